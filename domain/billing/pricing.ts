import { Result, Schema } from "effect"
import { type Discount, discountCents } from "./discount.ts"
import { formatDollars as dollars, MAX_CENTS, roundHalfUp } from "./money.ts"
import { thousandths } from "./quantity.ts"
import { rateMillionths } from "./tax-rate.ts"

/**
 * Pricing, the one place where amounts are computed. All arithmetic is exact
 * (bigint over rationals) and every amount is rounded by `roundHalfUp`, once
 * per line:
 *
 * 1. line subtotal = quantity × unit price (× days / period days when prorated)
 * 2. line discount = percent of the subtotal, or fixed cents (prorated like the
 *    subtotal, at most the prorated subtotal); larger than the (whole period's)
 *    subtotal is an error, never a negative line
 * 3. line total = subtotal − discount
 * 4. a document discount is shared among the lines: a percent discount is that
 *    percent of each line total; fixed cents are split in proportion to the
 *    line totals, the leftover cents going to the largest remainders
 * 5. line tax = (line total − its share) × the line's rate; lines without a
 *    tax code and every line of a tax-exempt customer pay none
 * 6. the document's subtotal, discount (line discounts + document discount),
 *    tax and total are the sums of its lines' figures
 */

export interface PricingLine {
  readonly quantity: number
  readonly unitPriceCents: number
  readonly discount: Discount
  /** `null`: the line is not taxed. */
  readonly taxRatePercent: number | null
  /** Part of a billing period: `days` of `periodDays`. */
  readonly proration?: { readonly days: number; readonly periodDays: number } | undefined
}

export interface PricingInput {
  readonly lines: ReadonlyArray<PricingLine>
  readonly documentDiscount: Discount
  readonly taxExempt: boolean
}

export interface PricedLine {
  /** quantity × unit price, prorated, rounded. */
  readonly subtotalCents: number
  readonly discountCents: number
  /** subtotal − discount. */
  readonly totalCents: number
  /** This line's share of the document discount. */
  readonly documentDiscountCents: number
  readonly taxCents: number
  /** total − document discount share + tax: what the line adds to the document total. */
  readonly amountCents: number
}

export interface PricedDocument {
  readonly lines: ReadonlyArray<PricedLine>
  readonly subtotalCents: number
  /** Line discounts plus the document discount. */
  readonly discountCents: number
  readonly documentDiscountCents: number
  readonly taxCents: number
  readonly totalCents: number
}

/** Input that has no valid price, such as a discount larger than its line. */
export class InvalidPricing extends Schema.TaggedError<InvalidPricing>()("InvalidPricing", {
  path: Schema.String,
  message: Schema.String
}) {}


interface LineTotals {
  readonly subtotal: bigint
  readonly discount: bigint
  readonly total: bigint
}

const lineTotals = (line: PricingLine, index: number): Result.Result<LineTotals, InvalidPricing> => {
  const days = BigInt(line.proration?.days ?? 1)
  const periodDays = BigInt(line.proration?.periodDays ?? 1)
  const subtotal = roundHalfUp(thousandths(line.quantity) * BigInt(line.unitPriceCents) * days, 1000n * periodDays)
  if (subtotal > BigInt(MAX_CENTS)) {
    return Result.fail(new InvalidPricing({ path: `lines.${index}`, message: "The line exceeds the largest amount supported" }))
  }
  let discount = discountCents(line.discount, subtotal)
  if (line.discount.type === "fixed" && line.proration !== undefined) {
    // A fixed discount is prorated like the line. It must fit the whole
    // period's line; prorated, it is capped at the prorated line, since the
    // two roundings may part by a cent.
    const full = roundHalfUp(thousandths(line.quantity) * BigInt(line.unitPriceCents), 1000n)
    const amount = BigInt(line.discount.amountCents)
    if (amount > full) {
      return Result.fail(new InvalidPricing({
        path: `lines.${index}.discount`,
        message: `The discount (${dollars(amount)}) is larger than the line (${dollars(full)})`
      }))
    }
    const prorated = roundHalfUp(amount * days, periodDays)
    discount = prorated > subtotal ? subtotal : prorated
  }
  if (discount > subtotal) {
    return Result.fail(new InvalidPricing({
      path: `lines.${index}.discount`,
      message: `The discount (${dollars(discount)}) is larger than the line (${dollars(subtotal)})`
    }))
  }
  return Result.succeed({ subtotal, discount, total: subtotal - discount })
}

/** Shares of a fixed document discount, in proportion to the line totals. */
const shareFixed = (amount: bigint, lines: ReadonlyArray<LineTotals & { readonly rate: bigint }>): Array<bigint> => {
  const sum = lines.reduce((acc, line) => acc + line.total, 0n)
  if (sum === 0n) return lines.map(() => 0n)
  const shares = lines.map((line) => (amount * line.total) / sum)
  let left = amount - shares.reduce((acc, share) => acc + share, 0n)
  // Leftover cents go to the largest remainders; ties are broken by the
  // lines' own figures, so the result does not depend on their order.
  const order = lines.map((line, index) => ({ index, remainder: (amount * line.total) % sum, line }))
    .sort((a, b) =>
      compare(b.remainder, a.remainder) || compare(b.line.total, a.line.total) || compare(b.line.rate, a.line.rate) ||
      compare(b.line.subtotal, a.line.subtotal) || a.index - b.index
    )
  for (const { index } of order) {
    if (left === 0n) break
    shares[index]! += 1n
    left -= 1n
  }
  return shares
}

const compare = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0)

/** Prices a quote's or invoice's lines by the rules above. */
export const priceDocument = (input: PricingInput): Result.Result<PricedDocument, InvalidPricing> => {
  const totals: Array<LineTotals & { readonly rate: bigint }> = []
  for (const [index, line] of input.lines.entries()) {
    const result = lineTotals(line, index)
    if (Result.isFailure(result)) return Result.fail(result.failure)
    const taxed = line.taxRatePercent !== null && !input.taxExempt
    totals.push({ ...result.success, rate: taxed ? rateMillionths(line.taxRatePercent) : 0n })
  }
  const linesTotal = totals.reduce((acc, line) => acc + line.total, 0n)
  const documentDiscount = input.documentDiscount
  if (documentDiscount.type === "fixed" && BigInt(documentDiscount.amountCents) > linesTotal) {
    return Result.fail(new InvalidPricing({
      path: "discount",
      message: `The discount (${dollars(BigInt(documentDiscount.amountCents))}) is larger than the lines (${dollars(linesTotal)})`
    }))
  }
  const shares = documentDiscount.type === "fixed"
    ? shareFixed(BigInt(documentDiscount.amountCents), totals)
    : totals.map((line) => discountCents(documentDiscount, line.total))

  const lines = totals.map((line, index): PricedLine => {
    const share = shares[index]!
    const tax = roundHalfUp((line.total - share) * line.rate, 1_000_000n)
    return {
      subtotalCents: Number(line.subtotal),
      discountCents: Number(line.discount),
      totalCents: Number(line.total),
      documentDiscountCents: Number(share),
      taxCents: Number(tax),
      amountCents: Number(line.total - share + tax)
    }
  })
  const sum = (pick: (line: PricedLine) => number) => lines.reduce((acc, line) => acc + pick(line), 0)
  const subtotalCents = sum((line) => line.subtotalCents)
  const documentDiscountCents = sum((line) => line.documentDiscountCents)
  const discountCents_ = sum((line) => line.discountCents) + documentDiscountCents
  const taxCents = sum((line) => line.taxCents)
  const totalCents = sum((line) => line.amountCents)
  if (subtotalCents > MAX_CENTS || totalCents > MAX_CENTS) {
    return Result.fail(new InvalidPricing({ path: "lines", message: "The document's amounts exceed the largest amount supported" }))
  }
  return Result.succeed({
    lines,
    subtotalCents,
    discountCents: discountCents_,
    documentDiscountCents,
    taxCents,
    totalCents
  })
}
