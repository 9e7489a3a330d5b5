import { Schema } from "effect"

/**
 * The largest amount any money field holds: ten billion dollars. It keeps
 * every sum of a document's lines far inside JavaScript's safe integers, and
 * it fits PostgreSQL's bigint.
 */
export const MAX_CENTS = 1_000_000_000_000

/**
 * Money is a whole number of cents, never a float. A field named
 * `...Cents` holds one.
 */
export const Cents = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: MAX_CENTS })).annotate({
  description: "An amount in cents (USD); a whole number",
  examples: [12500]
})
export type Cents = typeof Cents.Type

/** A strictly positive amount, as payments are. */
export const PositiveCents = Cents.check(Schema.isGreaterThan(0))

/** Cents as dollars for messages, `$1,234.50`: integer arithmetic, no float. */
export const formatDollars = (cents: number | bigint): string => {
  const value = BigInt(cents)
  const sign = value < 0n ? "-" : ""
  const abs = value < 0n ? -value : value
  return `${sign}$${(abs / 100n).toLocaleString("en-US")}.${String(abs % 100n).padStart(2, "0")}`
}

/**
 * THE rounding rule, used for every amount that is not a whole number of
 * cents (quantity × price, percent discounts, tax, proration): round half up
 * to the cent, once per line. `numerator / denominator` is the exact
 * rational amount in cents; both are non-negative. Half up per item is what
 * US sales-tax law prescribes (SSUTA §324: round up when the third decimal is
 * greater than four; per item or per invoice), and QuickBooks computes tax
 * line by line too (shared/reference/external-apis-facts.md §2.10, §5).
 */
export const roundHalfUp = (numerator: bigint, denominator: bigint): bigint =>
  (2n * numerator + denominator) / (2n * denominator)
