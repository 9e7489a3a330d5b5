import { Context, type Effect } from "effect"
import type { LocalDate } from "../../domain/billing/local-date.ts"
import type { PageRequest } from "../pagination.ts"

export type RevenueGrouping = "service" | "customer" | "month"

export interface RevenueRow {
  /** Service id, customer id or `YYYY-MM`; null for lines without a service. */
  readonly key: string | null
  readonly label: string
  readonly invoicedCents: number
  readonly paidCents: number
}

/** Where a page of the customer grouping continues: rows are in (label, key) order. */
export interface RevenueRowKey {
  readonly label: string
  readonly key: string
}

export interface RevenueQuery {
  readonly from: LocalDate
  readonly to: LocalDate
  readonly groupBy: RevenueGrouping
  /**
   * Customer grouping only: at most `limit + 1` rows after `after` (the extra
   * row only shows that a next page exists). Without it, every row.
   */
  readonly page?: PageRequest<RevenueRowKey> | undefined
}

export interface ReceivablesRow {
  readonly customerId: string
  readonly companyName: string
  /** Balances by days past due: current (not yet due), 1-30, 31-60, 61-90, 90+. */
  readonly currentCents: number
  readonly days1to30Cents: number
  readonly days31to60Cents: number
  readonly days61to90Cents: number
  readonly days90PlusCents: number
  readonly totalCents: number
}

/**
 * Report figures, read from views kept for reporting. Reads see every
 * change committed before they start.
 */
export class ReportRepository extends Context.Service<ReportRepository, {
  readonly revenue: (query: RevenueQuery) => Effect.Effect<ReadonlyArray<RevenueRow>>
  readonly receivables: (asOf: LocalDate) => Effect.Effect<ReadonlyArray<ReceivablesRow>>
}>()("crm/application/ports/ReportRepository") {}
