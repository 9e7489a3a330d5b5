import { Context, Effect, Layer, Result } from "effect"
import type { Discount } from "./discount.ts"
import { InvalidPricing, type PricedDocument, priceDocument } from "./pricing.ts"
import { type TaxCode, type TaxRate, TaxRateTable } from "./tax-rate.ts"

export interface PricingRequestLine {
  readonly quantity: number
  readonly unitPriceCents: number
  readonly discount: Discount
  /** `null`: not taxed. */
  readonly taxCode: TaxCode | null
  readonly proration?: { readonly days: number; readonly periodDays: number } | undefined
}

export interface PricingRequest {
  readonly lines: ReadonlyArray<PricingRequestLine>
  readonly documentDiscount: Discount
  readonly taxExempt: boolean
}

export interface PricingResult {
  readonly priced: PricedDocument
  /** The rate each line was taxed at when priced (`null` when not taxed), kept with the document. */
  readonly rates: ReadonlyArray<number | null>
}

/**
 * Prices documents: reads the rates of the lines' tax codes from the
 * tax-rate table, then applies the pure rules of `priceDocument`.
 */
export class Pricing extends Context.Service<Pricing, {
  readonly price: (request: PricingRequest) => Effect.Effect<PricingResult, InvalidPricing>
  /** Prices many documents with one read of the tax-rate table (billing runs); each succeeds or fails alone. */
  readonly priceMany: (
    requests: ReadonlyArray<PricingRequest>
  ) => Effect.Effect<ReadonlyArray<Result.Result<PricingResult, InvalidPricing>>>
}>()("crm/domain/billing/Pricing") {
  /** The live service; needs the TaxRateTable. */
  static readonly layer = Layer.effect(
    Pricing,
    Effect.gen(function*() {
      const table = yield* TaxRateTable

      const withRates = (request: PricingRequest, rates: ReadonlyMap<TaxCode, TaxRate>) =>
        Effect.gen(function*() {
          const lineRates: Array<number | null> = []
          for (const [index, line] of request.lines.entries()) {
            if (line.taxCode === null) {
              lineRates.push(null)
              continue
            }
            const rate = rates.get(line.taxCode)
            if (rate === undefined) {
              return yield* new InvalidPricing({ path: `lines.${index}.taxCode`, message: `No tax rate has code ${line.taxCode}` })
            }
            lineRates.push(rate.ratePercent)
          }
          const priced = yield* Effect.fromResult(priceDocument({
            lines: request.lines.map((line, index) => ({ ...line, taxRatePercent: lineRates[index] ?? null })),
            documentDiscount: request.documentDiscount,
            taxExempt: request.taxExempt
          }))
          return { priced, rates: request.taxExempt ? lineRates.map(() => null) : lineRates }
        })

      const codesOf = (requests: ReadonlyArray<PricingRequest>) => [
        ...new Set(requests.flatMap((request) => request.lines.flatMap((line) => line.taxCode === null ? [] : [line.taxCode])))
      ]

      const priceMany = (requests: ReadonlyArray<PricingRequest>) =>
        Effect.flatMap(
          table.lookup(codesOf(requests)),
          (rates) => Effect.forEach(requests, (request) => Effect.result(withRates(request, rates)))
        )

      return Pricing.of({
        price: (request) => Effect.flatMap(table.lookup(codesOf([request])), (rates) => withRates(request, rates)),
        priceMany
      })
    })
  )

  /** Pricing over a fixed tax-rate table: the test layer. */
  static readonly fixed = (rates: ReadonlyArray<TaxRate>) => Pricing.layer.pipe(Layer.provide(TaxRateTable.fixed(rates)))
}

