import { Context, Effect, Layer, Option, Schema } from "effect"
import { Decimal, toScaledInteger } from "./decimal.ts"

export const TaxCode = Schema.String.check(
  Schema.isPattern(/^[a-z0-9][a-z0-9_-]{0,31}$/u, { message: "Expected 1 to 32 lower-case letters, digits, _ or -" })
).annotate({ description: "A tax code from the tax-rate table", examples: ["standard", "exempt-labor"] })
export type TaxCode = typeof TaxCode.Type

/** The code a taxable service's line gets when none is given. */
export const DEFAULT_TAX_CODE: TaxCode = "standard"

export const RatePercent = Decimal({ places: 4, minimum: 0, exclusiveMinimum: false, maximum: 100 })
  .annotate({ description: "The rate in percent, at most 4 decimals (8.875)", examples: [8.875] })

export const TaxRate = Schema.Struct({
  code: TaxCode,
  name: Schema.String,
  ratePercent: RatePercent
}).annotate({ identifier: "TaxRate" })
export type TaxRate = typeof TaxRate.Type

/** A rate as millionths (8.875% → 88_750), so tax is exact integer arithmetic. */
export const rateMillionths = (ratePercent: number): bigint => toScaledInteger(ratePercent, 4) ?? 0n

/**
 * The tax-rate table. Pricing reads rates through it; PostgreSQL holds the
 * live table, `TaxRateTable.fixed` is the test layer.
 */
export class TaxRateTable extends Context.Service<TaxRateTable, {
  /** The rates of these codes that exist. */
  readonly lookup: (codes: ReadonlyArray<TaxCode>) => Effect.Effect<ReadonlyMap<TaxCode, TaxRate>>
  readonly list: Effect.Effect<ReadonlyArray<TaxRate>>
  readonly find: (code: TaxCode) => Effect.Effect<Option.Option<TaxRate>>
}>()("crm/domain/billing/TaxRateTable") {
  /** A fixed table, for tests and embedders without a database. */
  static readonly fixed = (rates: ReadonlyArray<TaxRate>) => {
    const byCode = new Map(rates.map((rate) => [rate.code, rate]))
    return Layer.succeed(TaxRateTable, TaxRateTable.of({
      lookup: (codes) => Effect.succeed(new Map(codes.flatMap((code) => {
        const rate = byCode.get(code)
        return rate === undefined ? [] : [[code, rate] as const]
      }))),
      list: Effect.succeed([...byCode.values()]),
      find: (code) => Effect.succeed(Option.fromNullishOr(byCode.get(code)))
    }))
  }
}
