import { Context, Effect, Layer } from "effect"
import { type TaxCode, type TaxRate, TaxRateTable } from "../../domain/billing/tax-rate.ts"
import { TaxRateRepository } from "../ports/tax-rate-repository.ts"
import type { BillingNotFound } from "./billing-errors.ts"
import { orNotFound } from "./load.ts"

/**
 * The tax-rate table. A new rate prices documents priced from now on;
 * every line keeps the rate it was priced at.
 */
export class TaxRates extends Context.Service<TaxRates, {
  readonly list: Effect.Effect<ReadonlyArray<TaxRate>>
  readonly get: (code: TaxCode) => Effect.Effect<TaxRate, BillingNotFound>
  readonly put: (rate: TaxRate) => Effect.Effect<TaxRate>
}>()("crm/application/billing/TaxRates") {
  static readonly layer = Layer.effect(
    TaxRates,
    Effect.gen(function*() {
      const table = yield* TaxRateTable
      const repo = yield* TaxRateRepository
      return TaxRates.of({
        list: table.list,
        get: (code) => orNotFound("tax rate", code)(table.find(code)),
        put: (rate) => Effect.as(repo.save(rate), rate)
      })
    })
  )
}
