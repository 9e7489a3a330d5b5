import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { type BillableService, BillingRunRepository } from "../../application/ports/billing-run-repository.ts"
import { Recurring } from "../../domain/billing/billing-period.ts"
import type { BillingPeriod } from "../../domain/billing/billing-period.ts"
import type { BillingRun } from "../../domain/billing/billing-run.ts"
import { BillingRunId } from "../../domain/billing/billing-run.ts"
import { ServiceId } from "../../domain/billing/catalog-service.ts"
import { CustomerId, CustomerStatus } from "../../domain/billing/customer.ts"
import { CustomerServiceId, CustomerServiceStatus } from "../../domain/billing/customer-service.ts"
import { fromScaledInteger, parseNumeric } from "../../domain/billing/decimal.ts"
import { discountFromColumns } from "../../domain/billing/discount.ts"
import { QUANTITY_PLACES } from "../../domain/billing/quantity.ts"

const BillableRow = Schema.Struct({
  id: CustomerServiceId,
  customer_id: CustomerId,
  service_id: ServiceId,
  quantity: Schema.String,
  unit_price_cents: Schema.String,
  discount_type: Schema.Literals(["none", "percent", "fixed"]),
  discount_value: Schema.String,
  start_date: Schema.String,
  end_date: Schema.NullOr(Schema.String),
  status: CustomerServiceStatus,
  created_at: Schema.Date,
  updated_at: Schema.Date,
  company_name: Schema.String,
  customer_status: CustomerStatus,
  tax_exempt: Schema.Boolean,
  service_name: Schema.String,
  recurring: Recurring,
  taxable: Schema.Boolean
})
const decodeBillable = Schema.decodeUnknownEffect(Schema.Array(BillableRow))

const billableFromRow = (row: typeof BillableRow.Type): BillableService => ({
  id: row.id,
  customerId: row.customer_id,
  serviceId: row.service_id,
  quantity: fromScaledInteger(parseNumeric(row.quantity, QUANTITY_PLACES), QUANTITY_PLACES),
  unitPriceCents: Number(row.unit_price_cents),
  discount: discountFromColumns(row.discount_type, Number(row.discount_value)),
  startDate: row.start_date,
  endDate: row.end_date,
  status: row.status,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at),
  companyName: row.company_name,
  serviceName: row.service_name,
  recurring: row.recurring,
  customerStatus: row.customer_status,
  taxExempt: row.tax_exempt,
  taxable: row.taxable
})

const InvoicedRow = Schema.Struct({ customer_id: CustomerId, id: Schema.String })
const decodeInvoiced = Schema.decodeUnknownEffect(Schema.Array(InvoicedRow))

const SkipReason = Schema.Literals(["not-recurring", "not-due", "not-started", "ended", "customer-archived", "already-invoiced", "invalid-price"])
const RunRow = Schema.Struct({
  id: BillingRunId,
  period: Schema.String,
  ran_at: Schema.Date,
  customers_billed: Schema.Number,
  invoices_created: Schema.Number,
  invoices_existing: Schema.Number,
  lines: Schema.Number,
  total_cents: Schema.String,
  skipped_by_reason: Schema.Record(SkipReason, Schema.Number),
  skipped: Schema.Array(Schema.Struct({ customerServiceId: Schema.String, customerId: Schema.String, reason: SkipReason }))
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
        SELECT cs.id, cs.customer_id, cs.service_id, cs.quantity::text AS quantity,
               cs.unit_price_cents::text AS unit_price_cents, cs.discount_type, cs.discount_value::text AS discount_value,
               cs.start_date::text AS start_date, cs.end_date::text AS end_date, cs.status, cs.created_at, cs.updated_at,
               c.company_name, c.status AS customer_status, c.tax_exempt,
               s.name AS service_name, s.recurring, s.taxable
          FROM customer_services cs
          JOIN customers c ON c.id = cs.customer_id
          JOIN services s ON s.id = cs.service_id
         WHERE cs.status = 'active' AND s.recurring <> 'none'
           AND cs.start_date <= ${bounds.to}::date
           AND (cs.end_date IS NULL OR cs.end_date >= ${bounds.from}::date)
         ORDER BY cs.customer_id, cs.id`.pipe(
        Effect.flatMap(decodeBillable),
        Effect.map((rows) => rows.map(billableFromRow)),
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
