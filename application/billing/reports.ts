import { Context, Effect, Layer } from "effect"
import { dayNumber, type LocalDate } from "../../domain/billing/local-date.ts"
import { type ReceivablesRow, ReportRepository, type RevenueGrouping, type RevenueRow } from "../ports/report-repository.ts"
import { InvalidBillingInput } from "./billing-errors.ts"
import { today } from "./today.ts"

export interface RevenueReport {
  readonly from: LocalDate
  readonly to: LocalDate
  readonly groupBy: RevenueGrouping
  readonly rows: ReadonlyArray<RevenueRow>
  readonly invoicedCents: number
  readonly paidCents: number
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
  readonly revenue: (query: {
    readonly from: LocalDate
    readonly to: LocalDate
    readonly groupBy: RevenueGrouping
  }) => Effect.Effect<RevenueReport, InvalidBillingInput>
  readonly receivables: (asOf: LocalDate | undefined) => Effect.Effect<ReceivablesReport>
}>()("crm/application/billing/Reports") {
  static readonly layer = Layer.effect(
    Reports,
    Effect.gen(function*() {
      const repo = yield* ReportRepository

      const revenue = Effect.fn("Reports.revenue")(function*(query: { readonly from: LocalDate; readonly to: LocalDate; readonly groupBy: RevenueGrouping }) {
        if (dayNumber(query.to) < dayNumber(query.from)) {
          return yield* new InvalidBillingInput({ path: "to", message: `Ends (${query.to}) before it starts (${query.from})` })
        }
        const rows = yield* repo.revenue(query)
        return { ...query, rows, invoicedCents: sum(rows, (row) => row.invoicedCents), paidCents: sum(rows, (row) => row.paidCents) }
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
