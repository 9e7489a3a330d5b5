import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeQuickBooks, type RecordedRequest, startFakeQuickBooks } from "../support/fake-quickbooks.ts"
import { type ServerProcess, startServer } from "../support/server-process.ts"
import { ADMIN_TOKEN, call, freshDatabase, type FreshDatabase, problemLines, waitFor } from "./harness.ts"
import { quickBooksEnv } from "../support/fake-quickbooks/server-env.ts"

// Issue 11: a month of invoices and payments pushed to QuickBooks by a full
// sync, the server SIGKILLed when the fake QuickBooks has seen about half the
// creates, then started again on the same database. The sync resumes on its
// own; QuickBooks ends with each CRM invoice and payment exactly once (a
// create repeated after the kill carries the same requestid, and QuickBooks
// answers it with the entity the first made), and its totals equal the CRM's.

const CUSTOMERS = 12
const INVOICES = 60
const PAYMENTS = 30
/** Invoice creates answer this late (carried out at once): the kill lands while some are done in QuickBooks but not yet mapped. */
const SLOW_INVOICE_MILLIS = 400

let db: FreshDatabase
let fake: FakeQuickBooks
const servers: Array<ServerProcess> = []

beforeAll(async () => {
  db = await freshDatabase()
  fake = await startFakeQuickBooks()
})
afterAll(async () => {
  for (const server of servers) await server.kill()
  await fake.close()
  await db.close()
})

/**
 * The server against the fake QuickBooks. Engine timings are short so a
 * restarted process takes the dead one's shards within seconds (as in
 * harness.ts `serverEnv`); OpenPhone is left off.
 */
const env = (): Record<string, string> => ({
  DATABASE_URL: db.url,
  CRM_ADMIN_TOKEN: ADMIN_TOKEN,
  DATABASE_POOL_SIZE: "10",
  JOB_RUNNER: "single",
  JOB_MESSAGE_POLL_INTERVAL: "200 millis",
  JOB_SHARD_LOCK_REFRESH_INTERVAL: "2 seconds",
  JOB_SHARD_LOCK_EXPIRATION: "6 seconds",
  JOB_REFRESH_ASSIGNMENTS_INTERVAL: "500 millis",
  ...quickBooksEnv(fake),
  QUICKBOOKS_REQUEST_TIMEOUT: "10 seconds",
  QUICKBOOKS_RETRY_BASE: "200 millis"
})

const created = async (baseUrl: string, path: string, body: unknown, method = "POST") => {
  const answer = await call(baseUrl, method, path, body)
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`)
  return answer.body ?? {}
}

/** Tax, percentages, fixed discounts, fractional quantities and a line with no service: totals QuickBooks must match to the cent. */
const seedMonth = async (baseUrl: string) => {
  await created(baseUrl, "/api/tax-rates/standard", { name: "Sales tax", ratePercent: 8.25 }, "PUT")
  const services = [
    await created(baseUrl, "/api/services", { name: "Crack injection", unit: "each", unitPriceCents: 45_000, taxable: true }),
    await created(baseUrl, "/api/services", { name: "Foundation monitoring", unit: "month", unitPriceCents: 12_500, taxable: false }),
    await created(baseUrl, "/api/services", { name: "Inspection", unit: "hour", unitPriceCents: 9_750, taxable: true })
  ].map((s) => String(s["id"]))
  const customers: Array<string> = []
  for (let c = 0; c < CUSTOMERS; c++) {
    const customer = await created(baseUrl, "/api/customers", { companyName: `Kill Test Homes ${c + 1}`, email: `ap${c + 1}@kill-test.example` })
    customers.push(String(customer["id"]))
  }
  const invoices: Array<{ readonly id: string; readonly totalCents: number }> = []
  for (let i = 0; i < INVOICES; i++) {
    const draft = await created(baseUrl, "/api/invoices", {
      customerId: customers[i % CUSTOMERS],
      ...(i % 4 === 0 ? { discount: { type: "fixed", amountCents: 1_234 } } : {}),
      notes: null,
      lines: [
        { serviceId: services[0], quantity: 1 + (i % 3) * 0.5, ...(i % 5 === 0 ? { discount: { type: "percent", percent: 12.5 } } : {}) },
        { serviceId: services[1], quantity: 1 },
        { serviceId: services[2], quantity: (1_333 + i) / 1000 },
        ...(i % 3 === 0 ? [{ description: `Site visit ${i}`, unitPriceCents: 3_333 + i, quantity: 1 }] : [])
      ]
    })
    const day = String(1 + (i % 28)).padStart(2, "0")
    const issued = await created(baseUrl, `/api/invoices/${String(draft["id"])}/issue`, { issueDate: `2026-11-${day}` })
    invoices.push({ id: String(issued["id"]), totalCents: Number(issued["totalCents"]) })
  }
  for (let p = 0; p < PAYMENTS; p++) {
    const invoice = invoices[p]!
    // Every other one pays in part: QuickBooks' Balance must follow.
    const amountCents = p % 2 === 0 ? invoice.totalCents : Math.floor(invoice.totalCents / 3)
    await created(baseUrl, `/api/invoices/${invoice.id}/payments`, {
      amountCents,
      paidAt: `2026-11-${String(1 + (p % 28)).padStart(2, "0")}`,
      method: "check",
      reference: `CHK-${1000 + p}`
    })
  }
}

/** The real connect flow: our authorize URL, Intuit's (the fake's) 302, our callback page. */
const connect = async (baseUrl: string) => {
  const started = await call(baseUrl, "GET", "/api/integrations/quickbooks/connect")
  const authorizeUrl = String(started.body?.["authorizeUrl"])
  const redirect = await fetch(authorizeUrl, { redirect: "manual" })
  const location = new URL(redirect.headers.get("location") ?? "")
  const page = await fetch(`${baseUrl}/integrations/quickbooks/callback${location.search}`)
  const html = await page.text()
  if (redirect.status !== 302 || page.status !== 200 || !html.includes("Connected to")) {
    throw new Error(`connect: ${started.status} ${redirect.status} ${page.status} ${html}`)
  }
}

const isCreate = (r: RecordedRequest) =>
  r.kind === "api" && r.method === "POST" && typeof r.body === "object" && r.body !== null && !("Id" in r.body) &&
  !r.query.some(([name]) => name === "operation")

const mappedCounts = async () => {
  const rows = await db.query<{ kind: string; n: string }>("SELECT kind, count(*) AS n FROM accounting_mappings GROUP BY kind")
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)])) as Record<string, number>
}

const cents = (amount: unknown) => Math.round(Number(amount) * 100)

describe("a QuickBooks full sync, the server SIGKILLed mid-push", () => {
  it("resumes after the restart: each invoice and payment in QuickBooks once, mapped once, totals to the cent", async () => {
    const startedAt = performance.now()
    const start = async () => {
      const server = await startServer(env())
      servers.push(server)
      return server
    }
    let current = await start()
    const logs = problemLines(servers)
    // Seeded before connecting: nothing is pushed as it happens, the full sync pushes it all.
    await seedMonth(current.baseUrl)
    await connect(current.baseUrl)
    const seededAt = performance.now()

    // The first invoice create and one payment create are carried out but their answers lost.
    fake.fail({ mode: { kind: "drop-after" }, path: "/invoice?", method: "POST" })
    fake.fail({ mode: { kind: "drop-after" }, path: "/payment?", method: "POST" })
    fake.fail({ mode: { kind: "slow", millis: SLOW_INVOICE_MILLIS }, path: "/invoice?", method: "POST", times: 100_000 })
    const sync = await call(current.baseUrl, "POST", "/api/integrations/quickbooks/sync")
    expect(sync.status, JSON.stringify(sync)).toBe(202)

    const expectedCreates = CUSTOMERS + 3 + INVOICES + PAYMENTS
    const atKill = await waitFor("half the creates sent", async () => {
      const seen = fake.requests().filter(isCreate).length
      return seen >= expectedCreates / 2 ? seen : undefined
    }, { timeoutMs: 120_000, everyMs: 20, describe: async () => `${JSON.stringify(await mappedCounts())}\n${logs()}` })
    await current.kill()
    const killedAt = performance.now()
    const mappedAtKill = await mappedCounts()
    const qboAtKill = fake.counts()
    expect(mappedAtKill["invoice"] ?? 0, "killed mid-push").toBeLessThan(INVOICES)

    current = await start()
    const mapped = await waitFor("every invoice and payment pushed after the restart", async () => {
      const counts = await mappedCounts()
      return counts["invoice"] === INVOICES && counts["payment"] === PAYMENTS ? counts : undefined
    }, { timeoutMs: 240_000, everyMs: 500, describe: async () => `${JSON.stringify(await mappedCounts())} ${JSON.stringify(fake.counts())}\n${logs()}` })
    const finishedAt = performance.now()

    const crmInvoices = await db.query<{ id: string; number: string; total_cents: string; paid_cents: string }>(
      "SELECT id, number, total_cents, paid_cents FROM invoices WHERE status <> 'draft'"
    )
    const crmPayments = await db.query<{ id: string; invoice_id: string; amount_cents: string }>("SELECT id, invoice_id, amount_cents FROM payments")
    const mappings = await db.query<{ kind: string; crm_id: string; qbo_id: string }>(
      "SELECT kind, crm_id, qbo_id FROM accounting_mappings WHERE kind IN ('invoice', 'payment')"
    )
    const failedLog = await db.query<{ kind: string; action: string; error: string }>(
      "SELECT kind, action, error FROM accounting_sync_log WHERE outcome = 'failed'"
    )
    const stats = fake.stats()
    const errorLines = servers.flatMap((s) => `${s.stdout()}\n${s.stderr()}`.split("\n").filter((line) => /"level":"(ERROR|FATAL)"/u.test(line)))
    process.stdout.write(`quickbooks-kill figures: ${JSON.stringify({
      customers: CUSTOMERS,
      invoices: INVOICES,
      payments: PAYMENTS,
      createsSeenAtKill: atKill,
      mappedAtKill,
      inQuickBooksAtKill: qboAtKill,
      seedSeconds: Math.round((seededAt - startedAt) / 100) / 10,
      killedAfterSyncSeconds: Math.round((killedAt - seededAt) / 100) / 10,
      resumedSeconds: Math.round((finishedAt - killedAt) / 100) / 10,
      totalSeconds: Math.round((finishedAt - startedAt) / 100) / 10,
      mapped,
      inQuickBooks: fake.counts(),
      replayed: stats.replayed,
      apiRequests: stats.apiRequests,
      byStatus: stats.byStatus,
      maxInFlight: stats.maxInFlight,
      maxPerMinute: stats.maxPerMinuteByRealm,
      serverErrors: errorLines.length,
      firstErrors: errorLines.slice(0, 3).map((line) => line.slice(0, 300))
    })}\n`)

    expect(fake.createdTwice()).toEqual([])
    expect(failedLog).toEqual([])
    expect(crmInvoices).toHaveLength(INVOICES)
    expect(crmPayments).toHaveLength(PAYMENTS)
    // Exactly one QuickBooks entity per CRM invoice and payment, and none besides.
    // Items: the three services and the generic "Services" item of the lines without one.
    expect(fake.counts()).toEqual({ Customer: CUSTOMERS, Item: 4, Invoice: INVOICES, Payment: PAYMENTS })
    // At least the two creates whose answers were lost were asked again with their requestid and answered from memory.
    expect(stats.replayed).toBeGreaterThanOrEqual(2)
    const qboIdOf = (kind: string) => new Map(mappings.filter((m) => m.kind === kind).map((m) => [m.crm_id, m.qbo_id]))
    const invoiceQbo = qboIdOf("invoice")
    const paymentQbo = qboIdOf("payment")
    expect(new Set(invoiceQbo.values()).size).toBe(INVOICES)
    expect(new Set(paymentQbo.values()).size).toBe(PAYMENTS)
    expect([...invoiceQbo.keys()].sort()).toEqual(crmInvoices.map((i) => i.id).sort())
    expect([...paymentQbo.keys()].sort()).toEqual(crmPayments.map((p) => p.id).sort())

    // QuickBooks' totals and balances are the CRM's to the cent; each payment applies to its own invoice.
    const mismatches: Array<string> = []
    for (const invoice of crmInvoices) {
      const qbo = fake.entity("Invoice", invoiceQbo.get(invoice.id) ?? "")
      const [total, balance] = [cents(qbo?.["TotalAmt"]), cents(qbo?.["Balance"])]
      const owed = Number(invoice.total_cents) - Number(invoice.paid_cents)
      if (total !== Number(invoice.total_cents) || balance !== owed || qbo?.["DocNumber"] !== invoice.number) {
        mismatches.push(`invoice ${invoice.number}: CRM ${invoice.total_cents}/${owed}, QuickBooks ${total}/${balance} (${String(qbo?.["DocNumber"])})`)
      }
    }
    for (const payment of crmPayments) {
      const qbo = fake.entity("Payment", paymentQbo.get(payment.id) ?? "")
      const linked = JSON.stringify(qbo?.["Line"] ?? [])
      if (cents(qbo?.["TotalAmt"]) !== Number(payment.amount_cents) || !linked.includes(`"${invoiceQbo.get(payment.invoice_id)}"`)) {
        mismatches.push(`payment ${payment.id}: CRM ${payment.amount_cents} on ${String(invoiceQbo.get(payment.invoice_id))}, QuickBooks ${linked}`)
      }
    }
    expect(mismatches).toEqual([])
  })
})
