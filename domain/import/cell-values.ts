import { Result } from "effect"
import { isInCalendar, isRealDate } from "../billing/local-date.ts"
import { MAX_CENTS } from "../billing/money.ts"

/**
 * Parsers for the values exports put in cells. Each takes a trimmed, non-empty
 * cell and answers the value or the reason it is not one (the reason ends up
 * in rejected.csv, so it says what was expected).
 */
export type Parsed<A> = Result.Result<A, string>

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/u

/** "1,234.5", "2 050": thousands separators and spaces are dropped. */
const plainNumber = (cell: string): number | null => {
  const text = cell.replace(/[,\s]/gu, "")
  return NUMBER.test(text) ? Number(text) : null
}

/**
 * Dollars to integer cents: "$123,456", "123456.78", "-$5,000", "($5,000)"
 * (accounting negative). Rounded half away from zero at the cent, computed on
 * the digits so 0.1 + 0.2 float error never leaks in.
 */
export const parseMoneyCents = (cell: string, options: { readonly allowNegative: boolean }): Parsed<number> => {
  let text = cell.replace(/[\s,]/gu, "")
  let negative = false
  const parenthesised = /^\((.*)\)$/u.exec(text)
  if (parenthesised !== null) {
    negative = true
    text = parenthesised[1] ?? ""
  }
  if (text.startsWith("-")) {
    negative = !negative
    text = text.slice(1)
  }
  text = text.replace(/^\$/u, "").replace(/^USD/iu, "")
  if (text.startsWith("-")) {
    negative = !negative
    text = text.slice(1)
  }
  const match = /^(\d*)(?:\.(\d*))?$/u.exec(text)
  if (match === null || (match[1] ?? "") + (match[2] ?? "") === "") return Result.fail("Expected an amount in dollars such as $123,456.78")
  const whole = match[1] ?? ""
  const fraction = (match[2] ?? "").padEnd(3, "0")
  let cents = Number(whole === "" ? "0" : whole) * 100 + Number(fraction.slice(0, 2))
  if (Number(fraction.charAt(2)) >= 5) cents += 1
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return Result.fail("Amount too large")
  if (negative && cents !== 0) {
    if (!options.allowNegative) return Result.fail("Expected an amount of zero or more")
    return Result.succeed(-cents)
  }
  return Result.succeed(cents)
}

/** "52", "52%", "42.5 %". */
export const parsePercent = (cell: string): Parsed<number> => {
  const value = plainNumber(cell.replace(/%\s*$/u, ""))
  if (value === null) return Result.fail("Expected a percentage such as 42.5%")
  if (value < -10_000 || value > 10_000) return Result.fail("Percentage out of range")
  return Result.succeed(value)
}

export const parseInteger = (cell: string, minimum: number, maximum: number): Parsed<number> => {
  const value = plainNumber(cell)
  // "2050.0" from a spreadsheet is still a whole number.
  if (value === null || !Number.isInteger(value)) return Result.fail("Expected a whole number")
  if (value < minimum || value > maximum) return Result.fail(`Expected a number from ${minimum} to ${maximum}`)
  return Result.succeed(value)
}

export const parseDecimal = (cell: string, minimum: number, maximum: number): Parsed<number> => {
  const value = plainNumber(cell)
  if (value === null) return Result.fail("Expected a number")
  if (value < minimum || value > maximum) return Result.fail(`Expected a number from ${minimum} to ${maximum}`)
  return Result.succeed(value)
}

const TRUE_WORDS: ReadonlySet<string> = new Set(["1", "y", "yes", "true", "t", "x"])
const FALSE_WORDS: ReadonlySet<string> = new Set(["0", "n", "no", "false", "f"])

/** PropertyRadar writes flags as 1/0; people write yes/no, Y/N, TRUE/FALSE. */
export const parseFlag = (cell: string): Parsed<boolean> => {
  const word = cell.trim().toLowerCase()
  if (TRUE_WORDS.has(word)) return Result.succeed(true)
  if (FALSE_WORDS.has(word)) return Result.succeed(false)
  return Result.fail("Expected yes or no (1/0, Y/N, true/false)")
}

const pad = (n: string): string => n.padStart(2, "0")

/**
 * A calendar date as YYYY-MM-DD from "2017-07-28", "7/28/2017", "07/28/17"
 * (US exports are month first; two-digit years pivot at 50) or an ISO
 * timestamp's date part.
 */
export const parseDate = (cell: string): Parsed<string> => {
  const text = cell.trim()
  let iso: string | null = null
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/u.exec(text)
  const usMatch = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/u.exec(text)
  if (isoMatch !== null) iso = `${isoMatch[1]}-${pad(isoMatch[2] ?? "")}-${pad(isoMatch[3] ?? "")}`
  else if (usMatch !== null) {
    const year = usMatch[3] ?? ""
    const fullYear = year.length === 4 ? year : `${Number(year) < 50 ? "20" : "19"}${year}`
    iso = `${fullYear}-${pad(usMatch[1] ?? "")}-${pad(usMatch[2] ?? "")}`
  }
  if (iso === null || !isRealDate(iso)) return Result.fail("Expected a date such as 2017-07-28 or 7/28/2017")
  if (!isInCalendar(iso)) return Result.fail("Date out of range")
  return Result.succeed(iso)
}
