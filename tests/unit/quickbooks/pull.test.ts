import { assert, beforeAll, describe, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Option, Ref } from "effect"
import { TestClock } from "effect/testing"
import { Invoices } from "../../../application/billing/invoices.ts"
import { pollQuickBooksChanges } from "../../../application/accounting/cdc.ts"
import { QuickBooksConnect } from "../../../application/accounting/connect.ts"
import { QuickBooksWebhookIngestion } from "../../../application/accounting/pull-ingestion.ts"
import { FIRST_RUN, PullServices, QuickBooksPullWorkflow } from "../../../application/accounting/pull-workflow.ts"
import { retryWebhookEvents } from "../../../application/messaging/webhook-workflow.ts"
import { WebhookSettings } from "../../../application/messaging/webhook-settings.ts"
import { AccountingMappings, type MappedKind } from "../../../application/ports/accounting-mappings.ts"
import { AccountingSyncLog } from "../../../application/ports/accounting-sync-log.ts"
import type { QboEntityName } from "../../../application/ports/accounting-gateway.ts"
import { QuickBooksConnectionStore } from "../../../application/ports/quickbooks-connection-store.ts"
import { WebhookEventStore } from "../../../application/ports/webhook-event-store.ts"
import type { Customer } from "../../../domain/billing/customer.ts"
import { customerBody } from "../../../domain/quickbooks/mapping.ts"
import { pushedHash } from "../../../domain/quickbooks/pushed-hash.ts"
import { aCustomer, anIssuedInvoice, customerPatch } from "../application/billing/billing-fixtures.ts"
import { Customers } from "../../../application/billing/customers.ts"
import { MEMORY_QBO_REALM as REALM, MemoryAccountingGatewayControl } from "../../../application/testing/index.ts"
import { approve, gatewayCalls, QuickBooksTestApplication, RecordedPushes } from "../../support/quickbooks-test-application.ts"

interface Entity {
  readonly name: string
  readonly id: string
  readonly operation: string
  readonly lastUpdated?: string
}

const classic = (entities: ReadonlyArray<Entity>, realmId = REALM) => ({
  eventNotifications: [{ realmId, dataChangeEvent: { entities } }]
})

const connected = Effect.gen(function*() {
  const connect = yield* QuickBooksConnect
  const request = yield* connect.start("0190a0a0-0000-7000-8000-000000000001")
  const state = new URL(request.authorizeUrl).searchParams.get("state") ?? ""
  yield* connect.complete({ code: yield* approve, state, realmId: REALM })
})

const mapped = (kind: MappedKind, crmId: string, qboId: string, extra: { syncToken?: string; pushedHash?: string | null } = {}) =>
  Effect.gen(function*() {
    yield* (yield* AccountingMappings).save({
      kind,
      crmId,
      qboId,
      syncToken: extra.syncToken ?? "0",
      pushedHash: extra.pushedHash ?? null,
      origin: "pushed",
      updatedAt: yield* DateTime.now
    })
  })

/** A customer with an issued $100 invoice, both mapped (customer 58, invoice 130). */
const pushedInvoice = Effect.gen(function*() {
  yield* connected
  const customer = yield* aCustomer("Acme Foundations", { email: "ap@acme.test" })
  const invoice = yield* anIssuedInvoice(customer.id, [10_000])
  yield* mapped("customer", customer.id, "58", { pushedHash: pushedHash(customerBody(customer)) })
  yield* mapped("invoice", invoice.id, "130")
  // Billing announced the customer and the invoice; the tests look at what the pull asks for.
  yield* Effect.flatMap(RecordedPushes, (pushes) => Ref.set(pushes, []))
  return { customer, invoice }
})

const qboPayment = (id: string, lines: ReadonlyArray<{ amount: number; invoice: string }>, syncToken = "0") =>
  script("Payment", {
    Id: id,
    SyncToken: syncToken,
    TxnDate: "2026-11-20",
    TotalAmt: lines.reduce((sum, line) => sum + line.amount, 0),
    CustomerRef: { value: "58", name: "Acme Foundations" },
    Line: lines.map((line) => ({ Amount: line.amount, LinkedTxn: [{ TxnId: line.invoice, TxnType: "Invoice" }] })),
    MetaData: { CreateTime: "2026-11-20T10:00:00-08:00", LastUpdatedTime: "2026-11-20T10:00:00-08:00" }
  })

/** An entity as someone left it in QuickBooks. */
const script = (entity: QboEntityName, body: Readonly<Record<string, unknown>>) =>
  Effect.flatMap(MemoryAccountingGatewayControl, (books) => books.put(entity, body))
const pushes = Effect.flatMap(RecordedPushes, Ref.get)

/** Receives a webhook and runs each stored change's processing to the end (joining the run it started). */
const deliver = (payload: ReturnType<typeof classic>) =>
  Effect.gen(function*() {
    const receipt = yield* (yield* QuickBooksWebhookIngestion).receive(payload)
    const events = yield* WebhookEventStore
    const ids = payload.eventNotifications.flatMap((group) =>
      group.dataChangeEvent.entities.map((e) => `quickbooks:${group.realmId}:${e.name}:${e.id}:${e.operation}:${e.lastUpdated ?? ""}`)
    )
    const stored = yield* Effect.filter(ids, (id) => Effect.map(events.find(id), Option.isSome))
    const outcomes = yield* Effect.forEach(stored, (eventId) => QuickBooksPullWorkflow.execute({ eventId, run: FIRST_RUN }))
    return { receipt, outcomes }
  })

const log = Effect.flatMap(AccountingSyncLog, (syncLog) => syncLog.list({ before: undefined, limit: 50 }))

// One-off work (building the application, loading the engine) is done once per file, not in the first test.
beforeAll(() => Effect.runPromise(Effect.provide(connected, QuickBooksTestApplication)))

describe("QuickBooks pull: payments made in QuickBooks", () => {
  it.effect("a payment applied to a mapped invoice is recorded once, by webhook twice and by CDC", () =>
    Effect.gen(function*() {
      const { invoice } = yield* pushedInvoice
      yield* qboPayment("145", [{ amount: 40.25, invoice: "130" }])
      const body = classic([{ name: "Payment", id: "145", operation: "Create", lastUpdated: "2026-11-20T18:00:00.000Z" }])

      const first = yield* deliver(body)
      assert.deepStrictEqual(first.receipt, { notifications: 1, accepted: 1, duplicates: 0 })
      assert.deepStrictEqual(first.outcomes, ["Processed"])
      const again = yield* deliver(body)
      assert.deepStrictEqual(again.receipt, { notifications: 1, accepted: 0, duplicates: 1 })

      // CDC reports the same payment: stored under its own key, recorded nothing new.
      const polled = yield* pollQuickBooksChanges.pipe(Effect.provide(PullServices))
      assert.deepStrictEqual(polled, { polled: true, changes: 1, stored: 1 })

      const invoices = yield* Invoices
      const payments = yield* invoices.payments(invoice.id)
      assert.deepStrictEqual(payments.map((p) => [p.amountCents, p.method, p.reference]), [[4025, "other", "QuickBooks payment 145"]])
      assert.strictEqual(DateTime.formatIso(payments[0]!.paidAt), "2026-11-20T00:00:00.000Z")
      const updated = yield* invoices.get(invoice.id)
      assert.deepStrictEqual([updated.status, updated.paidCents], ["partially_paid", 4025])
      const mapping = yield* (yield* AccountingMappings).findByQboId("payment", "145:130")
      assert.deepInclude(Option.getOrThrow(mapping), { crmId: payments[0]!.id, origin: "pulled" })
      const entries = yield* log
      assert.deepStrictEqual(entries.map((e) => [e.kind, e.action, e.outcome]), [["payment", "pull", "succeeded"]])
      assert.include(entries[0]!.detail ?? "", "$40.25")
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("a payment of two invoices pays both; the rest of the balance marks the invoice paid", () =>
    Effect.gen(function*() {
      const { customer, invoice } = yield* pushedInvoice
      const second = yield* anIssuedInvoice(customer.id, [5_000])
      yield* mapped("invoice", second.id, "131")
      yield* qboPayment("146", [{ amount: 100, invoice: "130" }, { amount: 20, invoice: "131" }])
      yield* deliver(classic([{ name: "Payment", id: "146", operation: "Create" }]))
      const invoices = yield* Invoices
      const states = [yield* invoices.get(invoice.id), yield* invoices.get(second.id)].map((i) => [i.status, i.paidCents])
      assert.deepStrictEqual(states, [["paid", 10_000], ["partially_paid", 2_000]])
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("a payment the CRM pushed, one for an unmapped invoice, and one larger than the balance record nothing", () =>
    Effect.gen(function*() {
      const { invoice } = yield* pushedInvoice
      yield* mapped("payment", "0190a0a0-0000-7000-8000-0000000000aa", "147")
      yield* qboPayment("147", [{ amount: 10, invoice: "130" }])
      yield* qboPayment("148", [{ amount: 10, invoice: "999" }])
      yield* qboPayment("149", [{ amount: 150, invoice: "130" }])
      const delivered = yield* deliver(classic([
        { name: "Payment", id: "147", operation: "Create" },
        { name: "Payment", id: "148", operation: "Create" },
        { name: "Payment", id: "149", operation: "Update" }
      ]))
      assert.deepStrictEqual(delivered.outcomes, ["Processed", "Processed", "Processed"])
      assert.deepStrictEqual((yield* (yield* Invoices).payments(invoice.id)).length, 0)
      const entries = yield* log
      assert.sameDeepMembers(entries.map((e) => [e.qboId, e.action, e.outcome]), [
        ["148:999", "skip", "succeeded"],
        ["149:130", "conflict", "failed"]
      ])
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("a payment the CRM pushed, voided in QuickBooks, is a conflict for a person; the CRM keeps it", () =>
    Effect.gen(function*() {
      yield* pushedInvoice
      const crmPayment = "0190a0a0-0000-7000-8000-0000000000bb"
      yield* mapped("payment", crmPayment, "152")
      yield* script("Payment", { Id: "152", SyncToken: "1", TotalAmt: 0, CustomerRef: { value: "58" }, Line: [] })
      yield* deliver(classic([{ name: "Payment", id: "152", operation: "Void" }]))
      const [entry] = yield* log
      assert.deepInclude(entry!, { kind: "payment", crmId: crmPayment, qboId: "152", action: "conflict", outcome: "failed" })
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("QuickBooks not answering leaves the change for the retry job, which records it later", () =>
    Effect.gen(function*() {
      const { invoice } = yield* pushedInvoice
      yield* qboPayment("150", [{ amount: 25, invoice: "130" }])
      const books = yield* MemoryAccountingGatewayControl
      yield* books.fail({ op: "read", reason: "network", times: Number.POSITIVE_INFINITY })
      const first = yield* deliver(classic([{ name: "Payment", id: "150", operation: "Create" }]))
      assert.deepStrictEqual(first.outcomes, ["Failed"])
      const events = yield* WebhookEventStore
      const stored = Option.getOrThrow(yield* events.find(`quickbooks:${REALM}:Payment:150:Create:`))
      assert.deepInclude(stored, { attempts: 1, processedAt: null, type: "quickbooks.payment.create" })

      yield* books.clearFailures
      yield* TestClock.adjust(Duration.minutes(2))
      const retried = yield* retryWebhookEvents.pipe(Effect.provide(WebhookSettings.layer))
      assert.deepStrictEqual(retried.eventIds, [stored.id])
      assert.strictEqual(yield* QuickBooksPullWorkflow.execute({ eventId: stored.id, run: retried.run }), "Processed")
      assert.strictEqual((yield* (yield* Invoices).get(invoice.id)).paidCents, 2_500)
      assert.deepStrictEqual((yield* log).map((e) => [e.qboId, e.action, e.outcome]), [
        ["150:130", "pull", "succeeded"],
        ["150", "pull", "retrying"]
      ])
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("changes for another company, or other entities, are acknowledged and left alone", () =>
    Effect.gen(function*() {
      yield* pushedInvoice
      const delivered = yield* deliver({
        eventNotifications: [
          { realmId: "999", dataChangeEvent: { entities: [{ name: "Payment", id: "145", operation: "Create" }] } },
          { realmId: REALM, dataChangeEvent: { entities: [{ name: "Estimate", id: "7", operation: "Create" }] } }
        ]
      })
      assert.deepStrictEqual(delivered.receipt, { notifications: 2, accepted: 1, duplicates: 0 })
      assert.deepStrictEqual(delivered.outcomes, ["Processed"])
      assert.deepStrictEqual((yield* gatewayCalls).filter((call) => call.op === "read"), [])
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("a body that is not an Intuit webhook is refused", () =>
    Effect.gen(function*() {
      const ingestion = yield* QuickBooksWebhookIngestion
      for (const body of [{}, { eventNotifications: "x" }, [{ id: "1" }]]) {
        assert.strictEqual((yield* Effect.flip(ingestion.receive(body)))._tag, "MalformedQuickBooksWebhook")
      }
    }).pipe(Effect.provide(QuickBooksTestApplication)))
})

describe("QuickBooks pull: invoices and customers changed in QuickBooks", () => {
  it.effect("an invoice voided in QuickBooks while open in the CRM is a conflict; the CRM keeps it", () =>
    Effect.gen(function*() {
      const { invoice } = yield* pushedInvoice
      yield* script("Invoice", {
        Id: "130", SyncToken: "2", TotalAmt: 0, Balance: 0, PrivateNote: "Voided", CustomerRef: { value: "58" }, Line: []
      })
      yield* deliver(classic([{ name: "Invoice", id: "130", operation: "Void" }]))
      assert.strictEqual((yield* (yield* Invoices).get(invoice.id)).status, "issued")
      const [entry] = yield* log
      assert.deepInclude(entry!, { kind: "invoice", action: "conflict", outcome: "failed", crmId: invoice.id })
      // The next push updates with the token QuickBooks holds now.
      assert.strictEqual(Option.getOrThrow(yield* (yield* AccountingMappings).find("invoice", invoice.id)).syncToken, "0")
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("an edited invoice is logged and its SyncToken kept; the echo of our own push is ignored", () =>
    Effect.gen(function*() {
      const { invoice } = yield* pushedInvoice
      const body = { Id: "130", SyncToken: "0", TotalAmt: 100, Balance: 100, CustomerRef: { value: "58" }, Line: [] }
      yield* script("Invoice", body)
      yield* deliver(classic([{ name: "Invoice", id: "130", operation: "Update", lastUpdated: "a" }]))
      assert.deepStrictEqual(yield* log, [])
      yield* script("Invoice", { ...body, SyncToken: "3" })
      yield* deliver(classic([{ name: "Invoice", id: "130", operation: "Update", lastUpdated: "b" }]))
      assert.deepStrictEqual((yield* log).map((e) => [e.action, e.outcome]), [["pull", "succeeded"]])
      assert.strictEqual(Option.getOrThrow(yield* (yield* AccountingMappings).find("invoice", invoice.id)).syncToken, "3")
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  const qboCustomer = (customer: Customer, changes: Record<string, unknown>) =>
    script("Customer", {
      Id: "58",
      SyncToken: "4",
      DisplayName: customer.companyName,
      CompanyName: customer.companyName,
      PrimaryEmailAddr: { Address: customer.email ?? "" },
      Taxable: true,
      ...changes
    })

  it.effect("a customer edited in QuickBooks only: the CRM's values win and are pushed back", () =>
    Effect.gen(function*() {
      const { customer } = yield* pushedInvoice
      yield* qboCustomer(customer, { PrimaryEmailAddr: { Address: "new@acme.test" } })
      yield* deliver(classic([{ name: "Customer", id: "58", operation: "Update" }]))
      assert.deepStrictEqual(yield* pushes, [{ kind: "customer", id: customer.id, action: "upsert" }])
      const [entry] = yield* log
      assert.deepInclude(entry!, { action: "pull", outcome: "succeeded" })
      assert.include(entry!.detail ?? "", "email")
      const mapping = Option.getOrThrow(yield* (yield* AccountingMappings).find("customer", customer.id))
      assert.deepInclude(mapping, { syncToken: "4", pushedHash: null })
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("a customer edited on both sides is a logged conflict; the CRM's value is pushed", () =>
    Effect.gen(function*() {
      const { customer } = yield* pushedInvoice
      const edited = yield* (yield* Customers).update(customer.id, customerPatch({ email: "crm@acme.test" }))
      yield* qboCustomer(customer, { PrimaryEmailAddr: { Address: "qbo@acme.test" } })
      yield* deliver(classic([{ name: "Customer", id: "58", operation: "Update" }]))
      // The edit announced itself; the pull asks again (one push job per version coalesces them).
      assert.deepStrictEqual(yield* pushes, [
        { kind: "customer", id: edited.id, action: "upsert" },
        { kind: "customer", id: edited.id, action: "upsert" }
      ])
      const [entry] = yield* log
      assert.deepInclude(entry!, { kind: "customer", action: "conflict", outcome: "succeeded", crmId: customer.id })
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("a customer whose QuickBooks values match the CRM's asks for nothing", () =>
    Effect.gen(function*() {
      const { customer } = yield* pushedInvoice
      // A suffixed DisplayName is QuickBooks' label, not a difference.
      yield* qboCustomer(customer, { DisplayName: `${customer.companyName} (2)` })
      yield* deliver(classic([{ name: "Customer", id: "58", operation: "Update" }]))
      assert.deepStrictEqual([yield* pushes, yield* log], [[], []])
    }).pipe(Effect.provide(QuickBooksTestApplication)))
})

describe("QuickBooks Change Data Capture", () => {
  it.effect("asks 30 days back at most, then from where the last poll started; nothing when not connected", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* pollQuickBooksChanges.pipe(Effect.provide(PullServices)), { polled: false, changes: 0, stored: 0 })
      yield* connected
      yield* TestClock.setTime(Date.parse("2026-11-20T12:00:00Z"))
      yield* pollQuickBooksChanges.pipe(Effect.provide(PullServices))
      yield* TestClock.adjust(Duration.minutes(15))
      yield* pollQuickBooksChanges.pipe(Effect.provide(PullServices))
      const calls = (yield* gatewayCalls).filter((call) => call.op === "cdc")
      assert.deepStrictEqual(calls.map((c) => [c.entities, c.since === undefined ? "" : DateTime.formatIso(c.since)]), [
        [["Payment", "Invoice", "Customer"], "2026-10-21T12:05:00.000Z"],
        [["Payment", "Invoice", "Customer"], "2026-11-20T12:00:00.000Z"]
      ])
      const connection = Option.getOrThrow(yield* (yield* QuickBooksConnectionStore).find)
      assert.strictEqual(DateTime.formatIso(connection.cdcCursor!), "2026-11-20T12:15:00.000Z")
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("a payment deleted in QuickBooks is logged for a person; CRM payments stay", () =>
    Effect.gen(function*() {
      const { invoice } = yield* pushedInvoice
      yield* qboPayment("151", [{ amount: 30, invoice: "130" }])
      yield* deliver(classic([{ name: "Payment", id: "151", operation: "Create" }]))
      // Deleted in QuickBooks: CDC reports it Deleted.
      yield* (yield* MemoryAccountingGatewayControl).remove("Payment", "151")
      yield* pollQuickBooksChanges.pipe(Effect.provide(PullServices))
      assert.strictEqual((yield* (yield* Invoices).get(invoice.id)).paidCents, 3_000)
      const [latest] = yield* log
      assert.deepInclude(latest!, { kind: "payment", action: "conflict", outcome: "failed", qboId: "151" })
    }).pipe(Effect.provide(QuickBooksTestApplication)))
})
