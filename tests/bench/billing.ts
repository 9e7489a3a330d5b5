import pg from "pg"
import { v7 } from "uuid"
import { currentRssMb, peakRssMb } from "./memory.ts"
import type { ServerProcess } from "./processes.ts"

export const PURCHASES = 10_000
const CUSTOMERS = 2_500

// Four recurring services; the purchases vary quantity (with decimals),
// price, discount and start date (a tenth start mid-November: prorated).
const SEED_SQL = `
  WITH services AS (
    INSERT INTO services (id, name, unit, unit_price_cents, taxable, recurring, active, created_at, updated_at)
    SELECT id, name, unit, price, taxable, recurring, true, now(), now()
      FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::text[])
        AS s(id, name, unit, price, taxable, recurring)
    RETURNING id
  ), customers AS (
    INSERT INTO customers (id, company_name, tax_exempt, payment_terms_days, created_at, updated_at)
    SELECT id, 'Customer ' || n, n % 10 = 0, 15 + (n % 3) * 15, now(), now()
      FROM unnest($7::uuid[]) WITH ORDINALITY AS c(id, n)
    RETURNING id
  )
  INSERT INTO customer_services (id, customer_id, service_id, quantity, unit_price_cents, discount_type, discount_value,
    start_date, end_date, status, created_at, updated_at)
  SELECT p.id, ($7::uuid[])[1 + (n - 1) / 4], ($1::uuid[])[1 + (n - 1) % 4],
         (1 + n % 3) + (n % 4) * 0.125, 1999 + (n % 50) * 100,
         CASE n % 5 WHEN 0 THEN 'percent' WHEN 1 THEN 'fixed' ELSE 'none' END,
         CASE n % 5 WHEN 0 THEN 1000 WHEN 1 THEN 500 ELSE 0 END,
         CASE WHEN n % 10 = 3 THEN date '2026-11-01' + (n % 28)::int ELSE date '2026-06-01' END,
         CASE WHEN n % 50 = 7 THEN date '2026-11-20' END,
         'active', now(), now()
    FROM unnest($8::uuid[]) WITH ORDINALITY AS p(id, n)`

const seedPurchases = async (client: pg.Client) => {
  const services = [
    ["Crack monitoring", "month", 4999, true, "monthly"],
    ["Sump pump service plan", "month", 2999, true, "monthly"],
    ["Moisture sensor rental", "each", 1500, false, "monthly"],
    ["Foundation inspection", "each", 15000, true, "quarterly"]
  ] as const
  await client.query(SEED_SQL, [
    services.map(() => v7()),
    services.map((s) => s[0]),
    services.map((s) => s[1]),
    services.map((s) => s[2]),
    services.map((s) => s[3]),
    services.map((s) => s[4]),
    Array.from({ length: CUSTOMERS }, () => v7()),
    Array.from({ length: PURCHASES }, () => v7())
  ])
  await client.query("UPDATE tax_rates SET rate_percent = 8.25 WHERE code = 'standard'")
  await client.query("VACUUM ANALYZE customers, services, customer_services")
}

/**
 * Issues every invoice on the first of its month and pays a third in full,
 * straight in SQL (the figures under test are the report's, not these writes).
 */
const issueAndPay = async (client: pg.Client) => {
  await client.query(`
    UPDATE invoices SET status = 'issued', issue_date = (billing_period || '-01')::date,
           due_date = (billing_period || '-01')::date + 30
     WHERE status = 'draft'`)
  await client.query(`
    WITH paid AS (
      INSERT INTO payments (id, invoice_id, amount_cents, paid_at, method, created_at)
      SELECT gen_random_uuid(), id, total_cents, issue_date + 10, 'ach', now()
        FROM invoices WHERE number % 3 = 0 AND total_cents > 0
      RETURNING id, invoice_id
    )
    INSERT INTO payment_allocations (payment_id, invoice_id, position, amount_cents)
    SELECT paid.id, l.invoice_id, l.position, l.amount_cents
      FROM paid JOIN invoice_lines l ON l.invoice_id = paid.invoice_id WHERE l.amount_cents > 0`)
  await client.query("UPDATE invoices SET paid_cents = total_cents, status = 'paid' WHERE number % 3 = 0 AND total_cents > 0")
  await client.query("VACUUM ANALYZE invoices, invoice_lines, payments, payment_allocations")
}

export interface BillingRunFigure {
  readonly period: string
  readonly ms: number
  readonly invoicesCreated: number
  readonly invoicesExisting: number
  readonly lines: number
  readonly totalCents: number
}

export interface BillingFigures {
  readonly purchases: number
  readonly customers: number
  readonly runs: ReadonlyArray<BillingRunFigure>
  /** The fresh server's resident memory before billing, then its peak over the runs. */
  readonly idleRssMb: number | null
  readonly runsPeakRssMb: number | null
}

/**
 * Billing runs over 10,000 purchases (three creating runs, each followed by
 * a re-run that must create nothing); then a third of the invoices are
 * issued and paid, for the reads that follow (heavy-reads.ts).
 */
export const benchBilling = async (options: {
  readonly url: string
  readonly server: ServerProcess
  readonly token: string
  readonly progress: (message: string) => void
}): Promise<BillingFigures> => {
  const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" }
  const client = new pg.Client({ connectionString: options.url })
  await client.connect()
  const idleRssMb = await currentRssMb(options.server.child.pid)
  try {
    options.progress(`seeding ${PURCHASES} customer services for ${CUSTOMERS} customers`)
    await seedPurchases(client)
    const runs: Array<BillingRunFigure> = []
    for (const period of ["2026-11", "2026-12", "2027-01"]) {
      for (const attempt of ["first", "again"]) {
        options.progress(`billing run ${period} (${attempt})`)
        const started = performance.now()
        const response = await fetch(`${options.server.baseUrl}/api/billing-runs`, {
          method: "POST",
          headers,
          body: JSON.stringify({ period })
        })
        const ms = performance.now() - started
        const body = await response.json() as Omit<BillingRunFigure, "ms" | "period">
        if (response.status !== 201) throw new Error(`billing run ${period}: ${response.status} ${JSON.stringify(body)}`)
        if (attempt === "again" && body.invoicesCreated !== 0) throw new Error(`re-running ${period} created invoices`)
        runs.push({ period: `${period} (${attempt})`, ms, ...pick(body) })
      }
    }
    const runsPeakRssMb = await peakRssMb(options.server.child.pid)
    await issueAndPay(client)

    return {
      purchases: PURCHASES,
      customers: CUSTOMERS,
      runs,
      idleRssMb,
      runsPeakRssMb
    }
  } finally {
    await client.end()
  }
}

const pick = (body: Omit<BillingRunFigure, "ms" | "period">) => ({
  invoicesCreated: body.invoicesCreated,
  invoicesExisting: body.invoicesExisting,
  lines: body.lines,
  totalCents: body.totalCents
})

export const mib = (value: number | null) => (value === null ? "unknown" : `${value.toFixed(0)} MiB`)

export const formatBilling = (figures: BillingFigures) => {
  const lines = [
    "",
    `Billing: ${figures.purchases} customer services of ${figures.customers} customers`,
    ...figures.runs.map((run) =>
      `  POST /api/billing-runs ${run.period.padEnd(16)} ${run.ms.toFixed(0).padStart(6)} ms  ` +
      `${run.invoicesCreated} invoices, ${run.lines} lines, ${run.totalCents} cents; ${run.invoicesExisting} already invoiced`
    ),
    `  server RSS: ${mib(figures.idleRssMb)} idle, peak ${mib(figures.runsPeakRssMb)} over the runs`
  ]
  return lines.join("\n")
}
