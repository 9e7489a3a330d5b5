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
  // Stryker disable next-line StringLiteral: split() always yields a first element, so the "0" default is never used
  const [whole = "0", fraction = ""] = spelled.split(".")
  // Stryker disable next-line Regex: all-zero digits are always spelled "0" here (String() and the trailing-zero strip leave one zero), so /^0$/ matches the same
  if (value !== 0 && /^0*$/u.test(whole + fraction)) return undefined
  if (fraction.length > places) return undefined
  const scaled = BigInt(whole + fraction.padEnd(places, "0"))
  // Stryker disable next-line EqualityOperator: at value 0, -0n and 0n are the same bigint
  return value < 0 ? -scaled : scaled
}

/** The number an integer count of `10^-places` units stands for. */
export const fromScaledInteger = (scaled: bigint, places: number): number => Number(scaled) / 10 ** places

/** A decimal string from PostgreSQL's numeric (e.g. "2.500") as scaled units. */
export const parseNumeric = (text: string, places: number): bigint => {
  const negative = text.startsWith("-")
  // Stryker disable next-line StringLiteral: split() always yields a first element, so the "0" default is never used
  const [whole = "0", fraction = ""] = text.replace(/^-/u, "").split(".")
  const scaled = BigInt(whole + fraction.padEnd(places, "0").slice(0, places))
  return negative ? -scaled : scaled
}

/**
 * A positive or non-negative decimal with at most `places` decimals, at most `maximum`.
 * Finite, so its JSON Schema is a plain number (Schema.Number's also admits
 * "NaN" and "Infinity" strings). The decimals check says it has a JSON
 * Schema form, approximate (none exact exists: float `multipleOf` is unreliable);
 * without one, the JSON Schema would drop the description and examples that
 * `.annotate` attaches to this last check.
 */
export const Decimal = (options: {
  readonly places: number
  readonly minimum: number
  readonly exclusiveMinimum: boolean
  readonly maximum: number
}) =>
  Schema.Finite.check(
    options.exclusiveMinimum ? Schema.isGreaterThan(options.minimum) : Schema.isGreaterThanOrEqualTo(options.minimum),
    Schema.isLessThanOrEqualTo(options.maximum),
    Schema.makeFilter(
      (n: number) => toScaledInteger(n, options.places) === undefined ? `Expected at most ${options.places} decimals` : undefined,
      // Stryker disable next-line BooleanLiteral: the JSON Schema compiler takes any array result as approximate (Array.isArray), whatever its flag
      { toJsonSchema: () => [{}, true] }
    )
  )
