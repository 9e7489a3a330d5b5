import { Schema } from "effect"
import { Decimal, toScaledInteger } from "./decimal.ts"
import { Cents, roundHalfUp } from "./money.ts"

export const Percent = Decimal({ places: 2, minimum: 0, exclusiveMinimum: true, maximum: 100 })
  .annotate({ description: "A percentage, at most 2 decimals", examples: [10, 12.5] })

export const NoDiscount = Schema.Struct({ type: Schema.Literal("none") })
export const PercentDiscount = Schema.Struct({ type: Schema.Literal("percent"), percent: Percent })
export const FixedDiscount = Schema.Struct({ type: Schema.Literal("fixed"), amountCents: Cents })

/** No discount, a percentage of the amount, or a fixed number of cents off it. */
export const Discount = Schema.Union([NoDiscount, PercentDiscount, FixedDiscount]).annotate({
  identifier: "Discount",
  description: "`none`, `percent` (of the amount) or `fixed` (cents off the amount)"
})
export type Discount = typeof Discount.Type

export const NO_DISCOUNT: Discount = { type: "none" }

/** A percentage in basis points (12.5% → 1250). */
export const basisPoints = (percent: number): bigint => toScaledInteger(percent, 2) ?? 0n

/**
 * The cents a discount takes off an amount of `base` cents, rounded by the
 * rounding rule. A fixed discount is taken as it is; the caller refuses one
 * larger than the amount.
 */
export const discountCents = (discount: Discount, base: bigint): bigint => {
  switch (discount.type) {
    case "none":
      return 0n
    case "percent":
      return roundHalfUp(base * basisPoints(discount.percent), 10_000n)
    case "fixed":
      return BigInt(discount.amountCents)
  }
}

/** The discount as stored: a type and one whole number (basis points or cents). */
export const discountToColumns = (discount: Discount): { readonly type: Discount["type"]; readonly value: number } => {
  switch (discount.type) {
    case "none":
      return { type: "none", value: 0 }
    case "percent":
      return { type: "percent", value: Number(basisPoints(discount.percent)) }
    case "fixed":
      return { type: "fixed", value: discount.amountCents }
  }
}

export const discountFromColumns = (type: Discount["type"], value: number): Discount => {
  switch (type) {
    case "none":
      return NO_DISCOUNT
    case "percent":
      return { type: "percent", percent: value / 100 }
    case "fixed":
      return { type: "fixed", amountCents: value }
  }
}
