import { Effect, Layer, Schema, Semaphore } from "effect"
import { SqlClient } from "effect/sql"
import { type ReceivablesRow, ReportRepository, type RevenueQuery } from "../../application/ports/report-repository.ts"
import type { LocalDate } from "../../domain/billing/local-date.ts"

/**
 * Long report reads computed at once. A report of every customer can hold
 * thousands of rows while it is decoded and written; beyond this many,
 * requests wait their turn, so a burst of them cannot balloon the heap.
 */
const REPORT_CONCURRENCY = 8

/**
 * Reads of a few rows do not wait for a permit: a page of customers (at most
 * limit + 1), or months or services (one row each). Holding them back made
 * the paged customer report queue behind itself (two reads per page).
 */
const isShort = ({ groupBy, page }: RevenueQuery) => groupBy !== "customer" || page !== undefined

const REPORT_VIEWS = ["report_revenue_by_day", "report_revenue_by_customer", "report_revenue_by_service", "report_open_invoices"]

const Counts = Schema.Struct({ changes: Schema.String, refreshed: Schema.String })
const decodeCounts = Schema.decodeUnknownEffect(Schema.Array(Counts))

const RevenueRow = Schema.Struct({
  key: Schema.NullOr(Schema.String),
  label: Schema.String,
  invoiced_cents: Schema.String,
  paid_cents: Schema.String
})
const decodeRevenue = Schema.decodeUnknownEffect(Schema.Array(RevenueRow))

const AgingRow = Schema.Struct({
  customer_id: Schema.String,
  company_name: Schema.String,
  current_cents: Schema.String,
  days_1_30_cents: Schema.String,
  days_31_60_cents: Schema.String,
  days_61_90_cents: Schema.String,
  days_90_plus_cents: Schema.String,
  total_cents: Schema.String
})
const decodeAging = Schema.decodeUnknownEffect(Schema.Array(AgingRow))

/**
 * Reports read materialized views (see migration 0005). Every statement
 * that changes invoices, lines, payments or allocations bumps a change
 * counter in its own transaction; a report read first compares it with the
 * count at the last refresh and, when it moved, refreshes the views
 * CONCURRENTLY (readers of the views are never blocked). Reading the counter
 * before refreshing makes the refresh see at least that many changes, so a
 * report never misses a change committed before it was asked for. Readers
 * that arrive during a refresh wait for it on an advisory lock.
 */
export const SqlReportRepository = Layer.effect(
  ReportRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const permits = yield* Semaphore.make(REPORT_CONCURRENCY)

    const counts = sql`
      SELECT c.changes::text AS changes, r.changes::text AS refreshed
        FROM report_changes c CROSS JOIN report_refreshes r`.pipe(
      Effect.flatMap(decodeCounts),
      Effect.map((rows) => ({ changes: BigInt(rows[0]!.changes), refreshed: BigInt(rows[0]!.refreshed) }))
    )

    const refresh = sql.withTransaction(Effect.gen(function*() {
      yield* sql`SELECT pg_advisory_xact_lock(hashtextextended('crm:report-refresh', 0))`
      const now = yield* counts
      if (now.changes <= now.refreshed) return
      for (const view of REPORT_VIEWS) yield* sql`REFRESH MATERIALIZED VIEW CONCURRENTLY ${sql.literal(view)}`
      yield* sql`UPDATE report_refreshes SET changes = ${String(now.changes)}::bigint, refreshed_at = now()`
    }))

    const fresh = Effect.flatMap(counts, (now) => now.changes > now.refreshed ? refresh : Effect.void)

    const revenueQuery = ({ from, groupBy, page, to }: RevenueQuery) => {
      switch (groupBy) {
        case "month":
          return sql`
            SELECT to_char(day, 'YYYY-MM') AS key, to_char(day, 'YYYY-MM') AS label,
                   sum(invoiced_cents)::text AS invoiced_cents, sum(paid_cents)::text AS paid_cents
              FROM report_revenue_by_day
             WHERE day BETWEEN ${from}::date AND ${to}::date
             GROUP BY 1, 2 ORDER BY 1`
        // Customers one at a time in (name, id) order, each summing its own
        // days in the range (indexes of migration 0008), until the page is
        // full: a page reads its own customers, not every customer's sums.
        // Customers without a day in the range are skipped. Names compare in
        // the C collation (code points, as in memory) whatever the database's.
        case "customer":
          return sql`
            SELECT c.id::text AS key, c.company_name AS label,
                   r.invoiced_cents::text AS invoiced_cents, r.paid_cents::text AS paid_cents
              FROM customers c
              CROSS JOIN LATERAL (
                SELECT count(*) AS days, sum(v.invoiced_cents) AS invoiced_cents, sum(v.paid_cents) AS paid_cents
                  FROM report_revenue_by_customer v
                 WHERE v.customer_id = c.id AND v.day BETWEEN ${from}::date AND ${to}::date) r
             WHERE r.days > 0
               AND ${page?.after === undefined ? sql`TRUE` : sql`(c.company_name COLLATE "C", c.id) > (${page.after.label} COLLATE "C", ${page.after.key}::uuid)`}
             ORDER BY c.company_name COLLATE "C", c.id
             ${page === undefined ? sql`` : sql`LIMIT ${page.limit + 1}`}`
        case "service":
          return sql`
            SELECT r.service_id::text AS key, coalesce(s.name, 'Lines without a service') AS label,
                   r.invoiced_cents::text AS invoiced_cents, r.paid_cents::text AS paid_cents
              FROM (SELECT service_id, sum(invoiced_cents) AS invoiced_cents, sum(paid_cents) AS paid_cents
                      FROM report_revenue_by_service
                     WHERE day BETWEEN ${from}::date AND ${to}::date
                     GROUP BY service_id) r
              LEFT JOIN services s ON s.id = r.service_id
             ORDER BY s.name NULLS LAST, r.service_id`
      }
    }

    const revenue = (query: RevenueQuery) =>
      fresh.pipe(
        Effect.andThen(revenueQuery(query)),
        Effect.flatMap(decodeRevenue),
        Effect.map((rows) =>
          rows.map((row) => ({
            key: row.key,
            label: row.label,
            invoicedCents: Number(row.invoiced_cents),
            paidCents: Number(row.paid_cents)
          }))
        ),
        Effect.orDie
      )

    const receivables = (asOf: LocalDate) =>
      fresh.pipe(
        Effect.andThen(sql`
          SELECT o.customer_id::text AS customer_id, c.company_name,
                 coalesce(sum(o.balance_cents) FILTER (WHERE o.due_date >= ${asOf}::date), 0)::text AS current_cents,
                 coalesce(sum(o.balance_cents) FILTER (WHERE ${asOf}::date - o.due_date BETWEEN 1 AND 30), 0)::text AS days_1_30_cents,
                 coalesce(sum(o.balance_cents) FILTER (WHERE ${asOf}::date - o.due_date BETWEEN 31 AND 60), 0)::text AS days_31_60_cents,
                 coalesce(sum(o.balance_cents) FILTER (WHERE ${asOf}::date - o.due_date BETWEEN 61 AND 90), 0)::text AS days_61_90_cents,
                 coalesce(sum(o.balance_cents) FILTER (WHERE ${asOf}::date - o.due_date > 90), 0)::text AS days_90_plus_cents,
                 sum(o.balance_cents)::text AS total_cents
            FROM report_open_invoices o JOIN customers c ON c.id = o.customer_id
           GROUP BY o.customer_id, c.company_name
           ORDER BY c.company_name COLLATE "C", o.customer_id`),
        Effect.flatMap(decodeAging),
        Effect.map((rows) =>
          rows.map((row): ReceivablesRow => ({
            customerId: row.customer_id,
            companyName: row.company_name,
            currentCents: Number(row.current_cents),
            days1to30Cents: Number(row.days_1_30_cents),
            days31to60Cents: Number(row.days_31_60_cents),
            days61to90Cents: Number(row.days_61_90_cents),
            days90PlusCents: Number(row.days_90_plus_cents),
            totalCents: Number(row.total_cents)
          }))
        ),
        Effect.orDie
      )

    return ReportRepository.of({
      revenue: (query) => isShort(query) ? revenue(query) : permits.withPermits(1)(revenue(query)),
      receivables: (asOf) => permits.withPermits(1)(receivables(asOf))
    })
  })
)
