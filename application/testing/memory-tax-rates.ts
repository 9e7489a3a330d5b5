import { Effect, Layer, Option, Ref } from "effect"
import { type TaxCode, type TaxRate, TaxRateTable } from "../../domain/billing/tax-rate.ts"
import { TaxRateRepository } from "../ports/tax-rate-repository.ts"
import { MemoryStore, withMap } from "./memory-store.ts"

/** Changes to MemoryStore.taxRates (seeded with `standard` at 0%, as the migration does). */
export const MemoryTaxRateRepository = Layer.effect(
  TaxRateRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return TaxRateRepository.of({
      save: (rate) => Ref.update(state, (s) => ({ ...s, taxRates: withMap(s.taxRates, rate.code, rate) }))
    })
  })
)

/** The tax-rate table pricing reads, over the same state, so a saved rate prices the next document. */
export const MemoryTaxRateTable = Layer.effect(
  TaxRateTable,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return TaxRateTable.of({
      lookup: (codes) =>
        Effect.map(Ref.get(state), (s) => {
          const found = new Map<TaxCode, TaxRate>()
          for (const code of codes) {
            const rate = s.taxRates.get(code)
            if (rate !== undefined) found.set(code, rate)
          }
          return found
        }),
      list: Effect.map(Ref.get(state), (s) => [...s.taxRates.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))),
      find: (code) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.taxRates.get(code)))
    })
  })
)
