import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { BillingRunRepository } from "../../application/ports/billing-run-repository.ts"
import type { BillingPeriod } from "../../domain/billing/billing-period.ts"
import type { BillingRun } from "../../domain/billing/billing-run.ts"
import { BillingRunId, BillingSkipReason, SkippedByReason } from "../../domain/billing/billing-run.ts"
import { CustomerId } from "../../domain/billing/customer.ts"
import { decodeBillable, SELECT } from "./customer-service-row.ts"

const InvoicedRow = Schema.Struct({ customer_id: CustomerId, id: Schema.String })
const decodeInvoiced = Schema.decodeUnknownEffect(Schema.Array(InvoicedRow))

const RunRow = Schema.Struct({
  id: BillingRunId,
  period: Schema.String,
  ran_at: Schema.Date,
  customers_billed: Schema.Number,
  invoices_created: Schema.Number,
  invoices_existing: Schema.Number,
  lines: Schema.Number,
  total_cents: Schema.String,
  skipped_by_reason: SkippedByReason,
  skipped: Schema.Array(Schema.Struct({ customerServiceId: Schema.String, customerId: Schema.String, reason: BillingSkipReason }))
})
const decodeRuns = Schema.decodeUnknownEffect(Schema.Array(RunRow))

const runFromRow = (row: typeof RunRow.Type): BillingRun => ({
  id: row.id,
  period: row.period,
  ranAt: DateTime.fromDateUnsafe(row.ran_at),
  customersBilled: row.customers_billed,
  invoicesCreated: row.invoices_created,
  invoicesExisting: row.invoices_existing,
  lines: row.lines,
  totalCents: Number(row.total_cents),
  skippedByReason: row.skipped_by_reason,
  skipped: row.skipped
})

const RUN_COLUMNS = "id, period, ran_at, customers_billed, invoices_created, invoices_existing, lines, total_cents::text AS total_cents, skipped_by_reason, skipped"

export const SqlBillingRunRepository = Layer.effect(
  BillingRunRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const runColumns = sql.literal(RUN_COLUMNS)

    const lockPeriod = (period: BillingPeriod) =>
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`billing-run:${period}`}, 0))`.pipe(Effect.asVoid, Effect.orDie)

    // Recurring, active purchases that overlap the month at all; which of
    // them are due is the domain's decision (billingDecision).
    const activeServices = (bounds: { readonly from: string; readonly to: string }) =>
      sql`
        ${sql.literal(SELECT)}
         WHERE cs.status = 'active' AND s.recurring <> 'none'
           AND cs.start_date <= ${bounds.to}::date
           AND (cs.end_date IS NULL OR cs.end_date >= ${bounds.from}::date)
         ORDER BY cs.customer_id, cs.id`.pipe(
        Effect.flatMap(decodeBillable),
        Effect.orDie
      )

    const invoicedCustomers = (period: BillingPeriod) =>
      sql`SELECT customer_id, id::text AS id FROM invoices WHERE billing_period = ${period}`.pipe(
        Effect.flatMap(decodeInvoiced),
        Effect.map((rows) => new Map(rows.map((row) => [row.customer_id, row.id]))),
        Effect.orDie
      )

    const insert = (run: BillingRun) =>
      sql`
        INSERT INTO billing_runs ${
        sql.insert({
          id: run.id,
          period: run.period,
          ran_at: DateTime.toDateUtc(run.ranAt),
          customers_billed: run.customersBilled,
          invoices_created: run.invoicesCreated,
          invoices_existing: run.invoicesExisting,
          lines: run.lines,
          total_cents: String(run.totalCents),
          skipped_by_reason: JSON.stringify(run.skippedByReason),
          skipped: JSON.stringify(run.skipped)
        })
      }`.pipe(Effect.asVoid, Effect.orDie)

    const findById = (id: BillingRunId) =>
      sql`SELECT ${runColumns} FROM billing_runs WHERE id = ${id}`.pipe(
        Effect.flatMap(decodeRuns),
        Effect.map((rows) => Option.fromNullishOr(rows[0]).pipe(Option.map(runFromRow))),
        Effect.orDie
      )

    const list = (query: { readonly period?: BillingPeriod | undefined; readonly after?: BillingRunId | undefined; readonly limit: number }) =>
      sql`
        SELECT ${runColumns} FROM billing_runs
         WHERE ${query.period === undefined ? sql`true` : sql`period = ${query.period}`}
           AND ${query.after === undefined ? sql`true` : sql`id > ${query.after}`}
         ORDER BY id LIMIT ${query.limit}`.pipe(
        Effect.flatMap(decodeRuns),
        Effect.map((rows) => rows.map(runFromRow)),
        Effect.orDie
      )

    return BillingRunRepository.of({ lockPeriod, activeServices, invoicedCustomers, insert, findById, list })
  })
)
