import { Context, Effect, Layer } from "effect"
import { dayNumber, type LocalDate } from "../../domain/billing/local-date.ts"
import { DEFAULT_PAGE_SIZE, type PageRequest, toPage } from "../pagination.ts"
import {
  type ReceivablesRow,
  ReportRepository,
  type RevenueGrouping,
  type RevenueRow,
  type RevenueRowKey
} from "../ports/report-repository.ts"
import { InvalidBillingInput } from "./billing-errors.ts"
import { today } from "./today.ts"

export interface RevenueReport {
  readonly from: LocalDate
  readonly to: LocalDate
  readonly groupBy: RevenueGrouping
  readonly rows: ReadonlyArray<RevenueRow>
  /** The customer grouping's next page, if any; the other groupings come whole. */
  readonly next: RevenueRowKey | undefined
  /** The whole range's totals, whichever page this is. */
  readonly invoicedCents: number
  readonly paidCents: number
}

export interface RevenueReportQuery {
  readonly from: LocalDate
  readonly to: LocalDate
  readonly groupBy: RevenueGrouping
  /** Pages the customer grouping (default: the first {@link DEFAULT_PAGE_SIZE} rows); refused for the others. */
  readonly page?: PageRequest<RevenueRowKey> | undefined
}

export interface ReceivablesReport {
  readonly asOf: LocalDate
  readonly customers: ReadonlyArray<ReceivablesRow>
  readonly total: Omit<ReceivablesRow, "customerId" | "companyName">
}

const sum = <A>(rows: ReadonlyArray<A>, pick: (row: A) => number) => rows.reduce((acc, row) => acc + pick(row), 0)

/**
 * Revenue (invoiced by issue date, paid by payment date; `from` and `to`
 * inclusive) and receivables aging (open balances by days past due).
 */
export class Reports extends Context.Service<Reports, {
  readonly revenue: (query: RevenueReportQuery) => Effect.Effect<RevenueReport, InvalidBillingInput>
  readonly receivables: (asOf: LocalDate | undefined) => Effect.Effect<ReceivablesReport>
}>()("crm/application/billing/Reports") {
  static readonly layer = Layer.effect(
    Reports,
    Effect.gen(function*() {
      const repo = yield* ReportRepository

      const revenue = Effect.fn("Reports.revenue")(function*(query: RevenueReportQuery) {
        const { from, groupBy, to } = query
        if (dayNumber(to) < dayNumber(from)) {
          return yield* new InvalidBillingInput({ path: "to", message: `Ends (${to}) before it starts (${from})` })
        }
        if (groupBy !== "customer") {
          if (query.page !== undefined) {
            return yield* new InvalidBillingInput({ path: "groupBy", message: "Only groupBy=customer is paged (limit, cursor)" })
          }
          const rows = yield* repo.revenue({ from, to, groupBy })
          return { from, to, groupBy, rows, next: undefined, invoicedCents: sum(rows, (row) => row.invoicedCents), paidCents: sum(rows, (row) => row.paidCents) }
        }
        // One row per customer can be thousands: a page of them, with the
        // range's totals from the (small) month grouping.
        const page = query.page ?? { limit: DEFAULT_PAGE_SIZE, after: undefined }
        const [found, months] = yield* Effect.all([repo.revenue({ from, to, groupBy, page }), repo.revenue({ from, to, groupBy: "month" })])
        const { items, next } = toPage(found, page.limit, (row): RevenueRowKey => ({ label: row.label, key: row.key ?? "" }))
        return { from, to, groupBy, rows: items, next, invoicedCents: sum(months, (row) => row.invoicedCents), paidCents: sum(months, (row) => row.paidCents) }
      })

      const receivables = Effect.fn("Reports.receivables")(function*(asOf: LocalDate | undefined) {
        const day = asOf ?? (yield* today)
        const customers = yield* repo.receivables(day)
        return {
          asOf: day,
          customers,
          total: {
            currentCents: sum(customers, (row) => row.currentCents),
            days1to30Cents: sum(customers, (row) => row.days1to30Cents),
            days31to60Cents: sum(customers, (row) => row.days31to60Cents),
            days61to90Cents: sum(customers, (row) => row.days61to90Cents),
            days90PlusCents: sum(customers, (row) => row.days90PlusCents),
            totalCents: sum(customers, (row) => row.totalCents)
          }
        }
      })

      return Reports.of({ revenue, receivables })
    })
  )
}
