import fc from "fast-check"
import type { Discount } from "../../../../domain/billing/discount.ts"
import type { PricingLine } from "../../../../domain/billing/pricing.ts"

/**
 * Generators and exact (bigint) reference arithmetic shared by the billing
 * property tests. Every generated number is built from an integer count of
 * its smallest unit, so the test always knows the exact value it stands for.
 */

/** A line with its exact figures: quantity in thousandths, rate in millionths. */
export interface LineSpec {
  readonly qty: bigint
  readonly price: bigint
  /** The discount as given to pricing. */
  readonly discount: Discount
  /** Basis points of a percent discount, cents of a fixed one. */
  readonly discountUnits: bigint
  /** `null`: not taxed. */
  readonly rate: bigint | null
  readonly proration: { readonly days: number; readonly periodDays: number } | undefined
}

export const toLine = (spec: LineSpec): PricingLine => ({
  quantity: Number(spec.qty) / 1000,
  unitPriceCents: Number(spec.price),
  discount: spec.discount,
  taxRatePercent: spec.rate === null ? null : Number(spec.rate) / 10_000,
  proration: spec.proration
})

/** Quantities from 0.001 to 1000 units with up to 3 decimals; a few round ones often. */
export const qtyThousandths = fc.oneof(
  fc.bigInt({ min: 1n, max: 1_000_000n }),
  fc.constantFrom(1000n, 2500n, 500n, 125n, 1n)
)
/** Unit prices up to $100,000; small ones often, for half-cent cases. */
export const priceCents = fc.oneof(fc.bigInt({ min: 0n, max: 10_000_000n }), fc.bigInt({ min: 0n, max: 100n }))
/** Tax rates 0% to 20% with up to 4 decimals, as millionths. */
export const rateMillionths = fc.oneof(fc.bigInt({ min: 0n, max: 200_000n }), fc.constantFrom(88_750n, 62_500n, 100_000n))
/** Percentages 0.01% to 100%, as basis points. */
export const basisPoints = fc.oneof(fc.bigInt({ min: 1n, max: 10_000n }), fc.constantFrom(1000n, 1250n, 5000n, 10_000n))

export const prorationArb = fc.option(
  fc.integer({ min: 28, max: 366 }).chain((periodDays) =>
    fc.record({ days: fc.integer({ min: 1, max: periodDays }), periodDays: fc.constant(periodDays) })
  ),
  { nil: undefined, freq: 2 }
)

/** Exact reference rounding, half up, written differently from the domain's. */
export const halfUp = (numerator: bigint, denominator: bigint): bigint => {
  const quotient = numerator / denominator
  return 2n * (numerator % denominator) >= denominator ? quotient + 1n : quotient
}

/**
 * True when `rounded` is `numerator / denominator` rounded half up: within
 * half a cent of the exact value, and an exact half goes up
 * (exact − ½ < rounded ≤ exact + ½).
 */
export const isHalfUpOf = (rounded: bigint, numerator: bigint, denominator: bigint): boolean => {
  const twiceError = 2n * (rounded * denominator - numerator)
  return -denominator < twiceError && twiceError <= denominator
}

/** The exact reference subtotal of a line, in cents. */
export const refSubtotal = (spec: Pick<LineSpec, "qty" | "price" | "proration">): bigint => {
  const days = BigInt(spec.proration?.days ?? 1)
  const periodDays = BigInt(spec.proration?.periodDays ?? 1)
  return halfUp(spec.qty * spec.price * days, 1000n * periodDays)
}

type DiscountKind = "none" | "percent" | "fixed"

/**
 * A valid line: its discount is never larger than the line. A fixed discount
 * is at most the unrounded full-period line (qty × price), so it stays valid
 * however the line is prorated.
 */
export const validLineSpec = (kinds: ReadonlyArray<DiscountKind> = ["none", "percent", "fixed"]): fc.Arbitrary<LineSpec> =>
  fc.record({
    qty: qtyThousandths,
    price: priceCents,
    kind: fc.constantFrom(...kinds),
    bp: basisPoints,
    permille: fc.integer({ min: 0, max: 1000 }),
    rate: fc.option(rateMillionths, { nil: null, freq: 4 }),
    proration: prorationArb
  }).map(({ bp, kind, permille, price, proration, qty, rate }): LineSpec => {
    switch (kind) {
      case "none":
        return { qty, price, discount: { type: "none" }, discountUnits: 0n, rate, proration }
      case "percent":
        return { qty, price, discount: { type: "percent", percent: Number(bp) / 100 }, discountUnits: bp, rate, proration }
      case "fixed": {
        const amount = (qty * price / 1000n) * BigInt(permille) / 1000n
        return { qty, price, discount: { type: "fixed", amountCents: Number(amount) }, discountUnits: amount, rate, proration }
      }
    }
  })

export const lineSpecs = (kinds?: ReadonlyArray<DiscountKind>) => fc.array(validLineSpec(kinds), { minLength: 0, maxLength: 8 })

/** A document discount: none, a percent, or fixed cents as per-mille of what the lines come to (resolved by the test). */
export type DocumentDiscountSpec =
  | { readonly type: "none" }
  | { readonly type: "percent"; readonly bp: bigint }
  | { readonly type: "fixed"; readonly permille: number }

export const documentDiscountSpec: fc.Arbitrary<DocumentDiscountSpec> = fc.oneof(
  fc.constant({ type: "none" as const }),
  basisPoints.map((bp) => ({ type: "percent" as const, bp })),
  fc.integer({ min: 0, max: 1000 }).map((permille) => ({ type: "fixed" as const, permille }))
)

/** Sorts a copy of `items` by their keys: a random permutation when the keys are random. */
export const permute = <A>(items: ReadonlyArray<A>, keys: ReadonlyArray<number>): Array<A> =>
  items.map((item, index) => ({ item, key: keys[index] ?? 0, index }))
    .sort((a, b) => a.key - b.key || b.index - a.index)
    .map(({ item }) => item)
