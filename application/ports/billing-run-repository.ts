import { Context, type Effect, type Option } from "effect"
import type { BillingPeriod } from "../../domain/billing/billing-period.ts"
import type { BillingRun, BillingRunId } from "../../domain/billing/billing-run.ts"
import type { CustomerId } from "../../domain/billing/customer.ts"
import type { CustomerServiceDetails } from "../../domain/billing/customer-service.ts"

/** An active purchase a billing run considers, with what pricing needs. */
export interface BillableService extends CustomerServiceDetails {
  readonly customerStatus: "active" | "archived"
  readonly taxExempt: boolean
  readonly taxable: boolean
}

export class BillingRunRepository extends Context.Service<BillingRunRepository, {
  /** Serialises runs of the same period until the transaction ends. */
  readonly lockPeriod: (period: BillingPeriod) => Effect.Effect<void>
  /** Every active purchase whose dates touch `from`..`to`, in customer order. */
  readonly activeServices: (bounds: { readonly from: string; readonly to: string }) => Effect.Effect<ReadonlyArray<BillableService>>
  /** Customers that already have an invoice for the period, with its id. */
  readonly invoicedCustomers: (period: BillingPeriod) => Effect.Effect<ReadonlyMap<CustomerId, string>>
  readonly insert: (run: BillingRun) => Effect.Effect<void>
  readonly findById: (id: BillingRunId) => Effect.Effect<Option.Option<BillingRun>>
  readonly list: (query: { readonly period?: BillingPeriod | undefined; readonly after?: BillingRunId | undefined; readonly limit: number }) =>
    Effect.Effect<ReadonlyArray<BillingRun>>
}>()("crm/application/ports/BillingRunRepository") {}
