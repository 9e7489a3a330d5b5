import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { httpHarness } from "../support/http-harness.ts"
import { testDatabase } from "../support/test-database.ts"

const call = Effect.promise

interface Line {
  readonly serviceId: string | null
  readonly amountCents: number
  readonly subtotalCents: number
  readonly totalCents: number
  readonly documentDiscountCents: number
  readonly taxCents: number
  readonly description: string
}
interface Invoice {
  readonly id: string
  readonly customerId: string
  readonly status: string
  readonly issueDate: string | null
  readonly dueDate: string | null
  readonly subtotalCents: number
  readonly discountCents: number
  readonly taxCents: number
  readonly totalCents: number
  readonly paidCents: number
  readonly balanceCents: number
  readonly lines: ReadonlyArray<Line>
}
interface Payment {
  readonly amountCents: number
  readonly paidAt: string
}
interface RevenueRow {
  readonly key: string | null
  readonly invoicedCents: number
  readonly paidCents: number
}

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)

// The billing side over the real SQL adapters; every response is held to
// /openapi.json by the harness.
describe("billing on PostgreSQL", () => {
  it.effect("bills a month, converts a quote, takes payments, and reports figures equal to the invoices", () =>
    Effect.gen(function*() {
      const { request } = yield* httpHarness(applicationLayer(testDatabase()))
      const post = (path: string, body: unknown) => call(() => request("POST", path, { body }))
      const get = (path: string) => call(() => request("GET", path))
      const idOf = (response: { readonly body: unknown }) => (response.body as { id: string }).id

      const rate = yield* call(() => request("PUT", "/api/tax-rates/standard", { body: { name: "Austin sales tax", ratePercent: 8.25 } }))
      assert.strictEqual(rate.status, 200)

      const acme = idOf(yield* post("/api/customers", { companyName: "Acme Foundations", phone: "(512) 555-0142" }))
      const bell = idOf(yield* post("/api/customers", { companyName: "Bell Homes", taxExempt: true, paymentTermsDays: 15 }))
      const monitoring = idOf(yield* post("/api/services", {
        name: "Crack monitoring", unit: "month", unitPriceCents: 4999, recurring: "monthly"
      }))
      const sump = idOf(yield* post("/api/services", {
        name: "Sump inspection", unit: "each", unitPriceCents: 15000, taxable: false, recurring: "quarterly"
      }))
      const anchor = idOf(yield* post("/api/services", { name: "Wall anchor", unit: "each", unitPriceCents: 65000 }))

      // Unknown references are 422s naming the field; a missing id is 404.
      const unknown = yield* post("/api/customer-services", { customerId: "0190a0a0-0000-7000-8000-000000000000", serviceId: monitoring })
      assert.strictEqual(unknown.status, 422)
      assert.strictEqual((unknown.body as { errors: Array<{ path: string }> }).errors[0]?.path, "customerId")
      assert.strictEqual((yield* get("/api/customer-services/0190a0a0-0000-7000-8000-000000000000")).status, 404)

      const acmeMonthly = yield* post("/api/customer-services", { customerId: acme, serviceId: monitoring, startDate: "2026-09-01" })
      assert.deepInclude(acmeMonthly.body as object, { companyName: "Acme Foundations", serviceName: "Crack monitoring", unitPriceCents: 4999 })
      yield* post("/api/customer-services", { customerId: acme, serviceId: sump, startDate: "2026-10-15" })
      yield* post("/api/customer-services", {
        customerId: bell, serviceId: monitoring, quantity: 2.5, discount: { type: "percent", percent: 10 }, startDate: "2026-11-15"
      })
      // The catalogue price changes; purchases keep theirs.
      yield* call(() => request("PATCH", `/api/services/${monitoring}`, { body: { unitPriceCents: 5999 } }))
      const listed = yield* get(`/api/customer-services?customerId=${acme}&serviceId=${monitoring}`)
      assert.deepStrictEqual((listed.body as { data: Array<{ unitPriceCents: number }> }).data.map((p) => p.unitPriceCents), [4999])

      const run = yield* post("/api/billing-runs", { period: "2026-11" })
      assert.strictEqual(run.status, 201)
      // Acme: monitoring, full month (4999 + 8.25% tax = 412.4175 → 412); sump not due (anchored in October).
      // Bell: 2.5 × 4999 × 16/30 = 6665.33 → 6665, less 10% (666.5 → 667) = 5998; tax exempt.
      assert.deepInclude(run.body as object, {
        customersBilled: 2, invoicesCreated: 2, invoicesExisting: 0, lines: 2, totalCents: 4999 + 412 + 5998
      })
      assert.deepStrictEqual((run.body as { skippedByReason: object }).skippedByReason, { "not-due": 1 })
      const again = yield* post("/api/billing-runs", { period: "2026-11" })
      assert.deepInclude(again.body as object, { customersBilled: 2, invoicesCreated: 0, invoicesExisting: 2, totalCents: 0 })
      const novemberPage = yield* get("/api/invoices?billingPeriod=2026-11")
      const november = (novemberPage.body as { data: Array<Invoice> }).data
      assert.strictEqual(november.length, 2)
      const bellInvoice = november.find((invoice) => invoice.customerId === bell)!
      assert.strictEqual(bellInvoice.lines[0]?.description, "Crack monitoring (2026-11-01 to 2026-11-30, 16 of 30 days)")

      // A quote with a catalogue line and a free line, a fixed document discount, converted twice.
      const quote = yield* post("/api/quotes", {
        customerId: acme,
        validUntil: "2099-12-31",
        discount: { type: "fixed", amountCents: 5000 },
        lines: [{ serviceId: anchor, quantity: 3 }, { description: "Site visit", unitPriceCents: 12550, taxCode: null }]
      })
      assert.strictEqual(quote.status, 201)
      const quoteId = idOf(quote)
      assert.strictEqual((yield* post(`/api/quotes/${quoteId}/convert`, {})).status, 409)
      yield* post(`/api/quotes/${quoteId}/send`, {})
      assert.strictEqual((yield* call(() => request("PATCH", `/api/quotes/${quoteId}`, { body: { notes: "late edit" } }))).status, 409)
      yield* post(`/api/quotes/${quoteId}/accept`, {})
      const converted = yield* post(`/api/quotes/${quoteId}/convert`, {})
      const convertedAgain = yield* post(`/api/quotes/${quoteId}/convert`, {})
      assert.strictEqual(converted.status, 200)
      assert.strictEqual(idOf(converted), idOf(convertedAgain))
      const quoted = converted.body as Invoice
      assert.strictEqual(quoted.totalCents, (quote.body as { totalCents: number }).totalCents)
      assert.deepStrictEqual(quoted.lines.map((l) => l.amountCents), (quote.body as Invoice).lines.map((l) => l.amountCents))

      const stillNovember = (yield* get("/api/invoices?billingPeriod=2026-11")).body as { data: Array<Invoice> }
      assert.deepStrictEqual(stillNovember.data.map((i) => i.id), november.map((i) => i.id))

      // Issue on different dates, so the aging buckets differ.
      const issued = new Map<string, Invoice>()
      for (const [invoice, issueDate] of [[november.find((i) => i.customerId === acme)!, "2026-11-01"], [bellInvoice, "2026-11-20"], [quoted, "2026-09-15"]] as const) {
        const response = yield* post(`/api/invoices/${invoice.id}/issue`, { issueDate })
        assert.strictEqual(response.status, 200)
        issued.set(invoice.id, response.body as Invoice)
      }
      const acmeTerms = issued.get(quoted.id)!
      assert.strictEqual(acmeTerms.dueDate, "2026-10-15")

      // A partial payment, an overpayment refused, a payment that settles.
      const partial = yield* post(`/api/invoices/${quoted.id}/payments`, { amountCents: 100_000, paidAt: "2026-10-01", method: "check", reference: "1042" })
      assert.strictEqual(partial.status, 201)
      assert.deepInclude((partial.body as { invoice: Invoice }).invoice, { status: "partially_paid", paidCents: 100_000, balanceCents: quoted.totalCents - 100_000 })
      const over = yield* post(`/api/invoices/${quoted.id}/payments`, { amountCents: quoted.totalCents, method: "card" })
      assert.strictEqual(over.status, 422)
      assert.strictEqual((over.body as { errors: Array<{ path: string }> }).errors[0]?.path, "amountCents")
      const settle = yield* post(`/api/invoices/${bellInvoice.id}/payments`, { amountCents: bellInvoice.totalCents, paidAt: "2026-12-02T15:30:00Z", method: "ach" })
      assert.strictEqual((settle.body as { invoice: Invoice }).invoice.status, "paid")

      // Archiving a customer who still owes is refused.
      assert.strictEqual((yield* call(() => request("PATCH", `/api/customers/${acme}`, { body: { status: "archived" } }))).status, 409)

      // Every report figure equals the sum computed from the invoices and their payments.
      const all = ((yield* get("/api/invoices?limit=200")).body as { data: Array<Invoice> }).data
      const payments = new Map<string, Array<Payment>>()
      for (const invoice of all) {
        payments.set(invoice.id, ((yield* get(`/api/invoices/${invoice.id}/payments`)).body as { data: Array<Payment> }).data)
        assert.strictEqual(invoice.balanceCents, invoice.totalCents - payments.get(invoice.id)!.reduce((a, p) => a + p.amountCents, 0))
        assert.strictEqual(invoice.totalCents, invoice.lines.reduce((a, l) => a + l.amountCents, 0))
      }
      const counted = all.filter((invoice) => ["issued", "partially_paid", "paid"].includes(invoice.status))
      const invoicedBy = (key: (invoice: Invoice) => string) => {
        const sums = new Map<string, number>()
        for (const invoice of counted) sums.set(key(invoice), (sums.get(key(invoice)) ?? 0) + invoice.totalCents)
        return sums
      }
      const paidBy = (key: (invoice: Invoice, payment: Payment) => string) => {
        const sums = new Map<string, number>()
        for (const invoice of all) {
          for (const payment of payments.get(invoice.id)!) sums.set(key(invoice, payment), (sums.get(key(invoice, payment)) ?? 0) + payment.amountCents)
        }
        return sums
      }
      const revenue = (groupBy: string) =>
        Effect.map(get(`/api/reports/revenue?from=2026-01-01&to=2026-12-31&groupBy=${groupBy}`), (r) =>
          r.body as { rows: Array<RevenueRow>; invoicedCents: number; paidCents: number })

      const byMonth = yield* revenue("month")
      const monthInvoiced = invoicedBy((invoice) => invoice.issueDate!.slice(0, 7))
      const monthPaid = paidBy((_, payment) => payment.paidAt.slice(0, 7))
      for (const row of byMonth.rows) {
        assert.strictEqual(row.invoicedCents, monthInvoiced.get(row.key!) ?? 0, `invoiced ${row.key}`)
        assert.strictEqual(row.paidCents, monthPaid.get(row.key!) ?? 0, `paid ${row.key}`)
      }
      assert.strictEqual(byMonth.invoicedCents, counted.reduce((a, i) => a + i.totalCents, 0))
      assert.strictEqual(byMonth.paidCents, all.reduce((a, i) => a + i.paidCents, 0))

      const byCustomer = yield* revenue("customer")
      const customerInvoiced = invoicedBy((invoice) => invoice.customerId)
      const customerPaid = paidBy((invoice) => invoice.customerId)
      assert.deepStrictEqual(
        new Map(byCustomer.rows.map((row) => [row.key!, [row.invoicedCents, row.paidCents]])),
        new Map([...customerInvoiced.keys()].map((key) => [key, [customerInvoiced.get(key)!, customerPaid.get(key) ?? 0]]))
      )

      const byService = yield* revenue("service")
      const serviceInvoiced = new Map<string | null, number>()
      for (const invoice of counted) {
        for (const line of invoice.lines) serviceInvoiced.set(line.serviceId, (serviceInvoiced.get(line.serviceId) ?? 0) + line.amountCents)
      }
      assert.deepStrictEqual(new Map(byService.rows.map((row) => [row.key, row.invoicedCents])), serviceInvoiced)
      assert.strictEqual(byService.rows.reduce((a, row) => a + row.paidCents, 0), byMonth.paidCents)

      const aging = (yield* get("/api/reports/receivables?asOf=2026-12-20")).body as {
        customers: Array<{ customerId: string; totalCents: number; currentCents: number; days1to30Cents: number; days31to60Cents: number; days61to90Cents: number; days90PlusCents: number }>
        total: { totalCents: number; currentCents: number; days1to30Cents: number; days31to60Cents: number; days61to90Cents: number; days90PlusCents: number }
      }
      const buckets = { currentCents: 0, days1to30Cents: 0, days31to60Cents: 0, days61to90Cents: 0, days90PlusCents: 0, totalCents: 0 }
      for (const invoice of all.filter((i) => ["issued", "partially_paid"].includes(i.status))) {
        const late = days(invoice.dueDate!, "2026-12-20")
        const bucket = late <= 0 ? "currentCents" : late <= 30 ? "days1to30Cents" : late <= 60 ? "days31to60Cents" : late <= 90 ? "days61to90Cents" : "days90PlusCents"
        buckets[bucket] += invoice.balanceCents
        buckets.totalCents += invoice.balanceCents
      }
      assert.deepStrictEqual(aging.total, buckets)
      assert.isTrue(aging.total.days61to90Cents > 0 && aging.total.days1to30Cents > 0)

      // Voiding a paid invoice is refused; a void draft drops out of nothing it was never in.
      assert.strictEqual((yield* post(`/api/invoices/${bellInvoice.id}/void`, {})).status, 409)
    }))

  it.effect("moves a customer's primary contact and a quote's contact with a contact merge, and back on undo", () =>
    Effect.gen(function*() {
      const { request } = yield* httpHarness(applicationLayer(testDatabase()))
      const post = (path: string, body: unknown) => call(() => request("POST", path, { body }))
      const idOf = (response: { readonly body: unknown }) => (response.body as { id: string }).id
      const keep = idOf(yield* post("/api/contacts", { firstName: "Dana", lastName: "Ruiz", phone: "(512) 555-0110" }))
      const dupe = idOf(yield* post("/api/contacts", { firstName: "Dana", lastName: "Ruiz", email: "dana@example.com" }))
      const customer = idOf(yield* post("/api/customers", { companyName: "Ruiz Rentals", primaryContactId: dupe }))
      const quote = idOf(yield* post("/api/quotes", {
        customerId: customer, contactId: dupe, lines: [{ description: "Estimate visit", unitPriceCents: 0 }]
      }))
      const merged = yield* post(`/api/contacts/${keep}/merge`, { secondaryId: dupe })
      assert.strictEqual(merged.status, 200)
      const after = yield* call(() => request("GET", `/api/customers/${customer}`))
      assert.strictEqual((after.body as { primaryContactId: string }).primaryContactId, keep)
      const quoted = yield* call(() => request("GET", `/api/quotes/${quote}`))
      assert.strictEqual((quoted.body as { contactId: string }).contactId, keep)
      // A merged contact cannot become a customer's primary contact.
      const refused = yield* call(() => request("PATCH", `/api/customers/${customer}`, { body: { primaryContactId: dupe } }))
      assert.strictEqual((refused.body as { errors: Array<{ path: string }> }).errors[0]?.path, "primaryContactId")
      yield* post(`/api/merges/${(merged.body as { merge: { id: string } }).merge.id}/undo`, {})
      const undone = yield* call(() => request("GET", `/api/customers/${customer}`))
      assert.strictEqual((undone.body as { primaryContactId: string }).primaryContactId, dupe)
    }))
})
