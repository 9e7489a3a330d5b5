import { Schema } from "effect"

/**
 * A number written with at most `places` decimals, as its integer count of
 * `10^-places` units. Parsing the shortest decimal spelling of the double
 * (what JSON carried) keeps 0.1 + 0.2 style float error out of it.
 */
export const toScaledInteger = (value: number, places: number): bigint | undefined => {
  if (!Number.isFinite(value)) return undefined
  const shortest = String(Math.abs(value))
  // String() is the shortest spelling; it switches to exponent form only
  // from 1e21 (no amount is that large) and below 1e-6 (spelled out here;
  // below 1e-20 it has more decimals than anything we keep).
  if (/e\+/u.test(shortest)) return undefined
  const spelled = /e-/u.test(shortest) ? Math.abs(value).toFixed(20).replace(/0+$/u, "") : shortest
  const [whole = "0", fraction = ""] = spelled.split(".")
  if (value !== 0 && /^0*$/u.test(whole + fraction)) return undefined
  if (fraction.length > places) return undefined
  const scaled = BigInt(whole + fraction.padEnd(places, "0"))
  return value < 0 ? -scaled : scaled
}

/** The number an integer count of `10^-places` units stands for. */
export const fromScaledInteger = (scaled: bigint, places: number): number => Number(scaled) / 10 ** places

/** A decimal string from PostgreSQL's numeric (e.g. "2.500") as scaled units. */
export const parseNumeric = (text: string, places: number): bigint => {
  const negative = text.startsWith("-")
  const [whole = "0", fraction = ""] = text.replace(/^-/u, "").split(".")
  const scaled = BigInt(whole + fraction.padEnd(places, "0").slice(0, places))
  return negative ? -scaled : scaled
}

/** A positive or non-negative decimal with at most `places` decimals, at most `maximum`. */
export const Decimal = (options: {
  readonly places: number
  readonly minimum: number
  readonly exclusiveMinimum: boolean
  readonly maximum: number
}) =>
  Schema.Number.check(
    options.exclusiveMinimum ? Schema.isGreaterThan(options.minimum) : Schema.isGreaterThanOrEqualTo(options.minimum),
    Schema.isLessThanOrEqualTo(options.maximum),
    Schema.makeFilter((n: number) =>
      toScaledInteger(n, options.places) === undefined ? `Expected at most ${options.places} decimals` : undefined
    )
  )
