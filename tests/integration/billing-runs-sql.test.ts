import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { backfillProration } from "../../adapters/sql/migrations/0006_invoice_line_proration.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { httpHarness } from "../support/http-harness.ts"
import { testDatabase, testDatabaseUrl } from "../support/test-database.ts"

type Json = Record<string, unknown>

// Reading stored reports back (the 500 once any run existed) is held by the
// BillingRunRepository behaviour suite (tests/support/port-suites), on both layers.
describe("billing runs over HTTP on PostgreSQL", () => {
  it.effect("answers GET /api/billing-runs and /api/billing-runs/{id} after a run, and shows proration on the lines", () =>
    Effect.gen(function*() {
      const url = Redacted.make(yield* testDatabaseUrl)
      const database = () => pgClientLayer(url, 2).pipe(Layer.orDie)
      const { request } = yield* httpHarness(applicationLayer(database()))
      const call = <A>(f: () => Promise<A>) => Effect.promise(f)
      const post = (path: string, body: unknown) => call(() => request("POST", path, { body }))
      const get = (path: string) => call(() => request("GET", path))
      const idOf = (response: { readonly body: unknown }) => (response.body as { id: string }).id

      const acme = idOf(yield* post("/api/customers", { companyName: "Acme Foundations" }))
      const monthly = idOf(yield* post("/api/services", {
        name: "Crack monitoring", unit: "month", unitPriceCents: 4999, taxable: false, recurring: "monthly"
      }))
      const quarterly = idOf(yield* post("/api/services", {
        name: "Sump inspection", unit: "each", unitPriceCents: 15000, taxable: false, recurring: "quarterly"
      }))
      yield* post("/api/customer-services", { customerId: acme, serviceId: monthly, quantity: 2, startDate: "2026-11-15" })
      yield* post("/api/customer-services", { customerId: acme, serviceId: monthly, startDate: "2026-01-01" })
      yield* post("/api/customer-services", { customerId: acme, serviceId: quarterly, startDate: "2026-10-01" })

      const run = yield* post("/api/billing-runs", { period: "2026-11" })
      assert.strictEqual(run.status, 201)
      assert.deepStrictEqual((run.body as Json)["skippedByReason"], { "not-due": 1 })

      const one = yield* get(`/api/billing-runs/${idOf(run)}`)
      assert.strictEqual(one.status, 200)
      assert.deepStrictEqual(one.body, run.body)
      const page = yield* get("/api/billing-runs?period=2026-11")
      assert.strictEqual(page.status, 200)
      assert.deepStrictEqual(page.body, { data: [run.body], nextCursor: null })
      assert.strictEqual((yield* get("/api/billing-runs")).status, 200)

      // 2 × 49.99 × 16/30 = 53.3227 → 5332: the line says which days it bills.
      const invoices = (yield* get("/api/invoices?billingPeriod=2026-11")).body as { data: Array<{ lines: Array<Json> }> }
      const figures = (page: { data: Array<{ lines: Array<Json> }> }) =>
        page.data[0]!.lines.map((line) => [line["subtotalCents"], line["prorationDays"], line["periodDays"]])
      assert.deepStrictEqual(figures(invoices), [[5332, 16, 30], [4999, null, null]])

      // Lines billed before migration 0006 get their figures from their descriptions.
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`UPDATE invoice_lines SET proration_days = NULL, period_days = NULL`
        yield* backfillProration
      }).pipe(Effect.provide(database()))
      const backfilled = (yield* get("/api/invoices?billingPeriod=2026-11")).body as { data: Array<{ lines: Array<Json> }> }
      assert.deepStrictEqual(figures(backfilled), [[5332, 16, 30], [4999, null, null]])
    }))

  it.effect("keeps the calendar's first and last days through PostgreSQL, and refuses what lies beyond with a 422", () =>
    Effect.gen(function*() {
      const { request } = yield* httpHarness(applicationLayer(testDatabase()))
      const send = (method: string, path: string, body?: unknown) =>
        Effect.promise(() => request(method, path, body === undefined ? {} : { body }))
      const idOf = (response: { readonly body: unknown }) => (response.body as { id: string }).id
      const pathsOf = (response: { readonly body: unknown }) =>
        (response.body as { errors: Array<{ path: string }> }).errors.map((error) => error.path)

      const acme = idOf(yield* send("POST", "/api/customers", { companyName: "Acme", paymentTermsDays: 30 }))
      const monthly = idOf(yield* send("POST", "/api/services", { name: "Care", unit: "month", unitPriceCents: 100, recurring: "monthly" }))
      const early = yield* send("POST", "/api/customer-services", { customerId: acme, serviceId: monthly, startDate: "1900-01-01", endDate: "2199-12-31" })
      assert.deepInclude(early.body as object, { startDate: "1900-01-01", endDate: "2199-12-31" })
      const zero = yield* send("POST", "/api/customer-services", { customerId: acme, serviceId: monthly, startDate: "0000-01-01" })
      assert.strictEqual(zero.status, 422)
      assert.deepStrictEqual(pathsOf(zero), ["startDate"])

      for (const period of ["1900-01", "2199-12"]) assert.strictEqual((yield* send("POST", "/api/billing-runs", { period })).status, 201)
      for (const period of ["0000-01", "9999-12"]) assert.strictEqual((yield* send("POST", "/api/billing-runs", { period })).status, 422)
      const last = ((yield* send("GET", "/api/invoices?billingPeriod=2199-12")).body as { data: Array<Json> }).data[0]!
      assert.deepInclude((last["lines"] as Array<Json>)[0]!, { periodFrom: "2199-12-01", periodTo: "2199-12-31" })

      assert.strictEqual((yield* send("POST", `/api/invoices/${last["id"]}/issue`, { issueDate: "2199-12-02" })).status, 422)
      const issued = yield* send("POST", `/api/invoices/${last["id"]}/issue`, { issueDate: "2199-12-01" })
      assert.deepInclude(issued.body as object, { issueDate: "2199-12-01", dueDate: "2199-12-31" })
      const pay = (paidAt: string) => send("POST", `/api/invoices/${last["id"]}/payments`, { amountCents: 1, method: "cash", paidAt })
      assert.strictEqual((yield* pay("0000-01-01T00:00:00Z")).status, 422)
      assert.strictEqual((yield* pay("2026-02-30")).status, 422)
      const paid = yield* pay("2199-12-31T23:59:59.999Z")
      assert.strictEqual(((paid.body as Json)["payment"] as Json)["paidAt"], "2199-12-31T23:59:59.999Z")
      assert.strictEqual((yield* pay("1900-01-01T00:00:00Z")).status, 201)
      const payments = ((yield* send("GET", `/api/invoices/${last["id"]}/payments`)).body as { data: Array<Json> }).data
      assert.deepStrictEqual(payments.map((p) => p["paidAt"]).sort(), ["1900-01-01T00:00:00.000Z", "2199-12-31T23:59:59.999Z"])

      const wide = yield* send("GET", "/api/reports/revenue?from=0000-01-01&to=9999-12-31")
      assert.strictEqual(wide.status, 422)
      assert.deepStrictEqual(pathsOf(wide), ["from", "to"])
      assert.strictEqual((yield* send("GET", "/api/reports/receivables?asOf=0000-01-01")).status, 422)
      const whole = yield* send("GET", "/api/reports/revenue?from=1900-01-01&to=2199-12-31&groupBy=month")
      assert.strictEqual(whole.status, 200)
      assert.deepInclude(whole.body as object, { invoicedCents: 100, paidCents: 2 })
      const aging = yield* send("GET", "/api/reports/receivables?asOf=2199-12-31")
      assert.deepInclude((aging.body as { total: object }).total, { currentCents: 98, totalCents: 98 })
    }))
})
