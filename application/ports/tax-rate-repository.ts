import { Context, type Effect } from "effect"
import type { TaxRate } from "../../domain/billing/tax-rate.ts"

/** Changes to the tax-rate table (pricing reads it through TaxRateTable). */
export class TaxRateRepository extends Context.Service<TaxRateRepository, {
  /** Creates or replaces the rate of its code. */
  readonly save: (rate: TaxRate) => Effect.Effect<void>
}>()("crm/application/ports/TaxRateRepository") {}
