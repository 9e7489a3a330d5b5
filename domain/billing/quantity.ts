import { Decimal, toScaledInteger } from "./decimal.ts"

/** Quantities keep three decimals (2.5 hours, 12.125 linear feet). */
export const QUANTITY_PLACES = 3

export const Quantity = Decimal({ places: QUANTITY_PLACES, minimum: 0, exclusiveMinimum: true, maximum: 1_000_000 })
  .annotate({ description: "How many units; positive, at most 3 decimals", examples: [1, 2.5, 12.125] })
export type Quantity = typeof Quantity.Type

/** A quantity in thousandths of a unit, for exact arithmetic. */
export const thousandths = (quantity: number): bigint => toScaledInteger(quantity, QUANTITY_PLACES) ?? 0n
