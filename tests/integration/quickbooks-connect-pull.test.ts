import { assert, layer } from "@effect/vitest"
import { ConfigProvider, Context, DateTime, Effect, Layer, Option, Redacted, Schedule } from "effect"
import { FetchHttpClient } from "effect/http"
import { makeHttpApp } from "../../adapters/http/app.ts"
import { httpRuntime } from "../../adapters/http/http-runtime.ts"
import type { HttpServices } from "../../adapters/http/http-services.ts"
import { fastJobTimings, jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { LiveIds } from "../../adapters/platform/live-ids.ts"
import { quickBooksOn } from "../../adapters/quickbooks/quickbooks-layer.ts"
import { QuickBooksWebhookVerifier, quickBooksWebhookVerifier } from "../../adapters/quickbooks/webhook-signature.ts"
import { SqlPorts } from "../../adapters/sql/sql-ports.ts"
import { AccountingSyncOff } from "../../application/accounting/accounting-sync-live.ts"
import { pollQuickBooksChanges } from "../../application/accounting/cdc.ts"
import { QuickBooksPull } from "../../application/accounting/pull-processing.ts"
import { PullServices, QuickBooksPullWorkflowLayer } from "../../application/accounting/pull-workflow.ts"
import { QuickBooksSync } from "../../application/accounting/quickbooks-sync.ts"
import { ApiTokens } from "../../application/auth/api-tokens.ts"
import { Customers } from "../../application/billing/customers.ts"
import { Invoices } from "../../application/billing/invoices.ts"
import { AccountingGateway } from "../../application/ports/accounting-gateway.ts"
import { AccountingMappings } from "../../application/ports/accounting-mappings.ts"
import { AccountingSyncLog } from "../../application/ports/accounting-sync-log.ts"
import { WebhookEventStore } from "../../application/ports/webhook-event-store.ts"
import { MemorySmsGateway } from "../../application/testing/index.ts"
import { UseCases } from "../../application/use-cases.ts"
import { contractClient } from "../support/contract.ts"
import { type FakeQuickBooks, fakeQuickBooks, FAKE_QBO_COMPANY } from "../support/fake-quickbooks.ts"
import { ADMIN_SECRET } from "../support/http-harness.ts"
import { testQuickBooksConfig } from "../support/quickbooks-test-config.ts"
import { testDatabase } from "../support/test-database.ts"
import { customerBody } from "../../domain/quickbooks/mapping.ts"
import { pushedHash } from "../../domain/quickbooks/pushed-hash.ts"
import { newCustomer, newInvoice } from "../unit/application/billing/billing-fixtures.ts"

// The application on PostgreSQL with the real job engine, QuickBooks on
// against the fake QuickBooks server (OAuth and API on one socket), and the
// webhook route verifying with the fake's verifier token.

class Fake extends Context.Service<Fake, FakeQuickBooks>()("tests/integration/FakeQuickBooks") {}

const TOKEN_KEY = "07".repeat(32)

const application = Layer.unwrap(Effect.gen(function*() {
  const fake = yield* fakeQuickBooks()
  const config = testQuickBooksConfig(fake.url, {
    clientId: fake.clientId,
    clientSecret: Redacted.make(fake.clientSecret),
    webhookVerifier: Redacted.make(fake.webhookVerifier),
    tokenKey: Redacted.make(TOKEN_KEY)
  })
  const ports = Layer.mergeAll(SqlPorts, LiveIds, MemorySmsGateway, jobEngineLayer({ mode: "single", sharding: fastJobTimings }))
  const quickBooks = quickBooksOn(config).pipe(Layer.provide(FetchHttpClient.layer), Layer.provideMerge(ports))
  return Layer.mergeAll(QuickBooksPullWorkflowLayer).pipe(
    Layer.provideMerge(UseCases),
    Layer.provideMerge(Layer.mergeAll(AccountingSyncOff, QuickBooksSync.layer).pipe(Layer.provideMerge(quickBooks))),
    Layer.provideMerge(testDatabase()),
    Layer.merge(Layer.succeed(QuickBooksWebhookVerifier, quickBooksWebhookVerifier(config.webhookVerifier))),
    Layer.merge(Layer.succeed(Fake, fake))
  )
})).pipe(
  // The SQL connection store encrypts tokens with QUICKBOOKS_TOKEN_KEY.
  Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ QUICKBOOKS_TOKEN_KEY: TOKEN_KEY })))
)

const client = Effect.gen(function*() {
  const context = yield* Effect.context<HttpServices>()
  yield* ApiTokens.use((tokens) => tokens.bootstrap(Option.some(Redacted.make(ADMIN_SECRET))))
  const app = makeHttpApp(httpRuntime(context))
  const contract = yield* Effect.promise(() => contractClient(app, { token: ADMIN_SECRET }))
  return { app, request: (method: string, url: string, options: Parameters<typeof contract.request>[2] = {}) => Effect.promise(() => contract.request(method, url, options)) }
})

/** The whole connect flow: our authorize URL, the fake's authorize redirect, our callback page. */
const connectThroughBrowser = Effect.gen(function*() {
  const { app, request } = yield* client
  const started = yield* request("GET", "/api/integrations/quickbooks/connect")
  const { authorizeUrl } = started.body as { readonly authorizeUrl: string }
  const redirect = yield* Effect.promise(() => fetch(authorizeUrl, { redirect: "manual" }))
  const location = new URL(redirect.headers.get("location") ?? "")
  const page = yield* Effect.promise(async () => {
    const response = await app.request(`/integrations/quickbooks/callback${location.search}`)
    return { status: response.status, html: await response.text() }
  })
  return { authorizeUrl, redirectStatus: redirect.status, location, page, request }
})

/** Polls until the engine has processed the stored change. */
const processed = (eventId: string) =>
  WebhookEventStore.use((store) => store.find(eventId)).pipe(
    Effect.map(Option.getOrThrow),
    Effect.flatMap((event) => (event.processedAt === null ? Effect.fail("pending" as const) : Effect.succeed(event))),
    Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 400 })
  )

/** A CRM customer and issued invoice, both in QuickBooks (created there directly) and mapped, as a push leaves them. */
const mappedInvoice = (companyName: string, cents: number) =>
  Effect.gen(function*() {
    const fake = yield* Fake
    const customer = yield* Customers.use((customers) => customers.create(newCustomer({ companyName })))
    const invoices = yield* Invoices
    const draft = yield* invoices.create(newInvoice({ customerId: customer.id, lines: [{ description: "Pier repair", unitPriceCents: cents }] }))
    const invoice = yield* invoices.issue(draft.id, undefined)
    const qboCustomer = fake.createInQbo("Customer", { DisplayName: companyName, CompanyName: companyName })
    const item = fake.createInQbo("Item", { Name: `Pier repair ${companyName}`, Type: "Service", UnitPrice: cents / 100, IncomeAccountRef: { value: "79" } })
    const qboInvoice = fake.createInQbo("Invoice", {
      DocNumber: String(invoice.number),
      CustomerRef: { value: String(qboCustomer["Id"]) },
      Line: [{
        Amount: cents / 100,
        DetailType: "SalesItemLineDetail",
        SalesItemLineDetail: { ItemRef: { value: String(item["Id"]) }, Qty: 1, UnitPrice: cents / 100, TaxCodeRef: { value: "NON" } }
      }]
    })
    const mappings = yield* AccountingMappings
    const now = yield* DateTime.now
    const hash = pushedHash(customerBody(customer))
    yield* mappings.save({ kind: "customer", crmId: customer.id, qboId: String(qboCustomer["Id"]), syncToken: String(qboCustomer["SyncToken"]), pushedHash: hash, origin: "pushed", updatedAt: now })
    yield* mappings.save({ kind: "invoice", crmId: invoice.id, qboId: String(qboInvoice["Id"]), syncToken: String(qboInvoice["SyncToken"]), pushedHash: null, origin: "pushed", updatedAt: now })
    return { customer, invoice, qboCustomer, qboInvoice }
  })

layer(application, { timeout: 120_000, excludeTestServices: true })("QuickBooks connect and pull on PostgreSQL", (it) => {
  it.effect("connects through Intuit's authorize redirect and shows the company", () =>
    Effect.gen(function*() {
      const fake = yield* Fake
      const flow = yield* connectThroughBrowser
      const authorize = new URL(flow.authorizeUrl)
      assert.strictEqual(authorize.searchParams.get("scope"), "com.intuit.quickbooks.accounting")
      assert.strictEqual(flow.redirectStatus, 302)
      assert.strictEqual(flow.location.searchParams.get("realmId"), fake.realmId)
      assert.strictEqual(flow.page.status, 200)
      assert.include(flow.page.html, `Connected to ${FAKE_QBO_COMPANY}`)
      const status = yield* flow.request("GET", "/api/integrations/quickbooks")
      assert.deepInclude(status.body as object, { enabled: true, connected: true, realmId: fake.realmId, companyName: FAKE_QBO_COMPANY })
    }))

  it.effect("a payment made in QuickBooks, by webhook twice and by CDC, is recorded once", () =>
    Effect.gen(function*() {
      const fake = yield* Fake
      const { request } = yield* connectThroughBrowser
      // An invoice the CRM pushed earlier: in QuickBooks, and mapped.
      const customer = yield* Customers.use((customers) => customers.create(newCustomer({ companyName: "Bedrock Homes" })))
      const invoices = yield* Invoices
      const draft = yield* invoices.create(newInvoice({ customerId: customer.id, lines: [{ description: "Pier repair", unitPriceCents: 12_500 }] }))
      const invoice = yield* invoices.issue(draft.id, undefined)
      const qboCustomer = fake.createInQbo("Customer", { DisplayName: "Bedrock Homes", CompanyName: "Bedrock Homes" })
      const item = fake.createInQbo("Item", { Name: "Pier repair", Type: "Service", UnitPrice: 125, IncomeAccountRef: { value: "79" } })
      const qboInvoice = fake.createInQbo("Invoice", {
        DocNumber: String(invoice.number),
        CustomerRef: { value: String(qboCustomer["Id"]) },
        Line: [{
          Amount: 125,
          DetailType: "SalesItemLineDetail",
          SalesItemLineDetail: { ItemRef: { value: String(item["Id"]) }, Qty: 1, UnitPrice: 125, TaxCodeRef: { value: "NON" } }
        }]
      })
      const mappings = yield* AccountingMappings
      const now = yield* DateTime.now
      yield* mappings.save({ kind: "customer", crmId: customer.id, qboId: String(qboCustomer["Id"]), syncToken: "0", pushedHash: null, origin: "pushed", updatedAt: now })
      yield* mappings.save({ kind: "invoice", crmId: invoice.id, qboId: String(qboInvoice["Id"]), syncToken: String(qboInvoice["SyncToken"]), pushedHash: null, origin: "pushed", updatedAt: now })

      const payment = fake.recordPaymentInQbo({ invoiceId: String(qboInvoice["Id"]), amountCents: 5_000, txnDate: "2026-11-20" })
      const signed = fake.webhookFor([{ name: "Payment", id: String(payment["Id"]), operation: "Create" }])
      const first = yield* request("POST", "/webhooks/quickbooks", { body: signed.body, token: null, headers: signed.headers })
      assert.deepStrictEqual([first.status, first.body], [200, { notifications: 1, accepted: 1, duplicates: 0 }])
      const again = yield* request("POST", "/webhooks/quickbooks", { body: signed.body, token: null, headers: signed.headers })
      assert.deepStrictEqual(again.body, { notifications: 1, accepted: 0, duplicates: 1 })
      const stored = JSON.parse(signed.body) as { eventNotifications: Array<{ dataChangeEvent: { entities: Array<{ lastUpdated: string }> } }> }
      const lastUpdated = stored.eventNotifications[0]!.dataChangeEvent.entities[0]!.lastUpdated
      yield* processed(`quickbooks:${fake.realmId}:Payment:${String(payment["Id"])}:Create:${lastUpdated}`)

      // The safety net sees the same payment (and the invoice it changed): nothing new is recorded.
      const polled = yield* pollQuickBooksChanges.pipe(Effect.provide(PullServices))
      assert.isTrue(polled.polled && polled.changes >= 1)

      const payments = yield* invoices.payments(invoice.id)
      assert.deepStrictEqual(payments.map((p) => [p.amountCents, p.reference]), [[5_000, `QuickBooks payment ${String(payment["Id"])}`]])
      const after = yield* invoices.get(invoice.id)
      assert.deepStrictEqual([after.status, after.paidCents], ["partially_paid", 5_000])
      assert.strictEqual(yield* mappings.count("payment"), 1)
    }))

  it.effect("the same payment processed by webhook and CDC at the same moment is recorded once", () =>
    Effect.gen(function*() {
      const fake = yield* Fake
      yield* connectThroughBrowser
      const { invoice, qboInvoice } = yield* mappedInvoice("Granite Ridge HOA", 20_000)
      const payment = fake.recordPaymentInQbo({ invoiceId: String(qboInvoice["Id"]), amountCents: 20_000 })
      const paymentId = String(payment["Id"])
      const record = yield* AccountingGateway.use((gateway) => gateway.read("Payment", paymentId))
      const events = yield* WebhookEventStore
      const receivedAt = yield* DateTime.now
      const change = (source: "webhook" | "cdc") => ({
        realmId: fake.realmId, entity: "Payment", id: paymentId, operation: "Create", lastUpdated: null, source
      })
      yield* events.insertIfNew({ id: `quickbooks:race-webhook-${paymentId}`, type: "quickbooks.payment.create", payload: change("webhook"), receivedAt })
      yield* events.insertIfNew({ id: `quickbooks:race-cdc-${paymentId}`, type: "quickbooks.payment.update", payload: change("cdc"), receivedAt })
      const outcomes = yield* Effect.all([
        QuickBooksPull.use((pull) => pull.process(`quickbooks:race-webhook-${paymentId}`)),
        QuickBooksPull.use((pull) => pull.process(`quickbooks:race-cdc-${paymentId}`, record))
      ], { concurrency: 2 }).pipe(Effect.provide(PullServices))
      assert.deepStrictEqual(outcomes, ["Processed", "Processed"])
      const invoices = yield* Invoices
      assert.deepStrictEqual((yield* invoices.payments(invoice.id)).map((p) => p.amountCents), [20_000])
      assert.strictEqual((yield* invoices.get(invoice.id)).status, "paid")
      // Neither run logged a conflict: the later one saw the earlier one's mapping.
      const entries = yield* AccountingSyncLog.use((syncLog) => syncLog.list({ before: undefined, limit: 20, kind: "payment" }))
      assert.deepStrictEqual(entries.filter((e) => e.qboId?.startsWith(`${paymentId}:`)).map((e) => [e.action, e.outcome]), [["pull", "succeeded"]])
    }))

  it.effect("CDC alone brings an invoice voided and a customer edited in QuickBooks: a conflict to look at, the CRM's customer pushed again", () =>
    Effect.gen(function*() {
      const fake = yield* Fake
      yield* connectThroughBrowser
      const { customer, invoice, qboCustomer, qboInvoice } = yield* mappedInvoice("Limestone Partners", 9_900)
      fake.voidInQbo(String(qboInvoice["Id"]))
      fake.updateInQbo("Customer", String(qboCustomer["Id"]), { PrimaryEmailAddr: { Address: "books@limestone.test" } })
      const polled = yield* pollQuickBooksChanges.pipe(Effect.provide(PullServices))
      assert.isTrue(polled.polled)

      assert.strictEqual((yield* (yield* Invoices).get(invoice.id)).status, "issued")
      const entries = yield* AccountingSyncLog.use((syncLog) => syncLog.list({ before: undefined, limit: 50 }))
      const voided = entries.find((e) => e.kind === "invoice" && e.crmId === invoice.id)
      assert.deepInclude(voided!, { action: "conflict", outcome: "failed" })
      const edited = entries.find((e) => e.kind === "customer" && e.crmId === customer.id)
      assert.deepInclude(edited!, { action: "pull", outcome: "succeeded" })
      const mapping = Option.getOrThrow(yield* (yield* AccountingMappings).find("customer", customer.id))
      assert.strictEqual(mapping.pushedHash, null)
      assert.notStrictEqual(mapping.syncToken, "0")
    }))
})

