import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { TaxRateRepository } from "../../application/ports/tax-rate-repository.ts"
import type { TaxRate } from "../../domain/billing/tax-rate.ts"

export const SqlTaxRateRepository = Layer.effect(
  TaxRateRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const save = (rate: TaxRate) =>
      sql`
        INSERT INTO tax_rates (code, name, rate_percent, updated_at)
        VALUES (${rate.code}, ${rate.name}, ${String(rate.ratePercent)}::numeric, now())
        ON CONFLICT (code) DO UPDATE SET name = excluded.name, rate_percent = excluded.rate_percent, updated_at = now()`.pipe(
        Effect.asVoid,
        Effect.orDie
      )
    return TaxRateRepository.of({ save })
  })
)
