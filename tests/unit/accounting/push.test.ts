import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Fiber, Option } from "effect"
import { TestClock } from "effect/testing"
import {
  PushCustomerWorkflow,
  PushInvoiceWorkflow,
  PushPaymentWorkflow,
  PushServiceWorkflow,
  VoidInvoiceWorkflow
} from "../../../application/accounting/push-workflows.ts"
import { AccountingSync } from "../../../application/accounting/accounting-sync.ts"
import { pushVersion } from "../../../application/accounting/accounting-sync-live.ts"
import { Customers } from "../../../application/billing/customers.ts"
import { Invoices } from "../../../application/billing/invoices.ts"
import { AccountingMappings } from "../../../application/ports/accounting-mappings.ts"
import { AccountingSyncLog } from "../../../application/ports/accounting-sync-log.ts"
import { QuickBooksConnectionStore } from "../../../application/ports/quickbooks-connection-store.ts"
import type { InvoiceId } from "../../../domain/billing/invoice.ts"
import { aCustomer, aService, customerPatch, newInvoice, newPayment, setNow } from "../application/billing/billing-fixtures.ts"
import { MemoryAccountingGatewayControl } from "../../../application/testing/index.ts"
import { connect, gatewayCalls, PushTestApplication, recordsOf } from "../../support/quickbooks-test-application.ts"

/** The version AccountingSync gave the job a new entity's change started. */
const version = (entity: { readonly updatedAt: DateTime.Utc }) => pushVersion(entity.updatedAt, Option.none())

const logOf = Effect.gen(function*() {
  const entries = yield* (yield* AccountingSyncLog).list({ before: undefined, limit: 1000 })
  return [...entries].reverse().map((entry) => `${entry.kind} ${entry.action} ${entry.outcome}`)
})

/** An issued invoice: one catalogue line (2 x $100, taxable) and a free-text line, $10 off. */
const anInvoice = (customerId: string, serviceId: string) =>
  Effect.gen(function*() {
    const invoices = yield* Invoices
    const draft = yield* invoices.create(newInvoice({
      customerId,
      discount: { type: "fixed", amountCents: 1_000 },
      lines: [{ serviceId, quantity: 2 }, { description: "Travel", unitPriceCents: 2_550 }]
    }))
    return yield* invoices.issue(draft.id, "2026-11-21")
  })

/** Waits for the push the issue started (executing it again joins it). */
const pushed = (invoice: { readonly id: InvoiceId; readonly updatedAt: DateTime.Utc }) =>
  PushInvoiceWorkflow.execute({ invoiceId: invoice.id, version: version(invoice) })

describe("QuickBooks push", () => {
  it.effect("issuing an invoice pushes its customer, its items and the invoice, each once, to the cent", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T10:00:00Z")
      yield* connect
      const customer = yield* aCustomer("Acme Roofing", { email: "ap@acme.test" })
      const service = yield* aService("Gutter cleaning")
      const invoice = yield* anInvoice(customer.id, service.id)
      const outcome = yield* pushed(invoice)
      assert.strictEqual(outcome.action, "create")
      // The customer and service jobs the creates started ran too: still one of each in QuickBooks.
      yield* PushCustomerWorkflow.execute({ customerId: customer.id, version: version(customer) })
      yield* PushServiceWorkflow.execute({ serviceId: service.id, version: version(service) })

      assert.deepStrictEqual((yield* recordsOf("Customer")).map((r) => r.body["DisplayName"]), ["Acme Roofing"])
      assert.sameMembers((yield* recordsOf("Item")).map((r) => r.body["Name"]), ["Gutter cleaning", "Services"])
      const [qboInvoice] = yield* recordsOf("Invoice")
      assert.strictEqual(qboInvoice!.id, outcome.qboId)
      assert.deepInclude(qboInvoice!.body, { DocNumber: String(invoice.number), TxnDate: "2026-11-21", DueDate: invoice.dueDate })
      const lines = qboInvoice!.body["Line"] as ReadonlyArray<{ readonly Amount: number }>
      assert.deepStrictEqual(lines.map((line) => line.Amount), [200, 25.5, 10])
      // Every create carried a request id; no two creates of one entity differed.
      const calls = yield* gatewayCalls
      const creates = calls.filter((call) => call.op === "create")
      const customerCreates = new Set(creates.filter((call) => call.entity === "Customer").map((call) => call.requestId))
      assert.strictEqual(customerCreates.size, 1)

      const mappings = yield* AccountingMappings
      assert.deepInclude(Option.getOrThrow(yield* mappings.find("invoice", invoice.id)), { qboId: qboInvoice!.id, origin: "pushed" })
      // Nothing changed since: pushing again sends nothing.
      const again = yield* PushInvoiceWorkflow.execute({ invoiceId: invoice.id, version: "again" })
      assert.strictEqual(again.action, "skip")
      assert.strictEqual((yield* gatewayCalls).filter((call) => call.op !== "query").length, calls.length)
      const connection = Option.getOrThrow(yield* (yield* QuickBooksConnectionStore).find)
      assert.isNotNull(connection.lastSyncAt)
      assert.isNull(connection.lastError)
    }).pipe(Effect.provide(PushTestApplication)))

  it.effect("a customer edit is a sparse update with the stored SyncToken; on 5010 it re-reads and sends once more", () =>
    Effect.gen(function*() {
      yield* connect
      const customer = yield* aCustomer("Acme", { email: "ap@acme.test" })
      const created = yield* PushCustomerWorkflow.execute({ customerId: customer.id, version: version(customer) })
      // Someone edits the customer in QuickBooks meanwhile: the stored SyncToken is stale.
      const books = yield* MemoryAccountingGatewayControl
      yield* books.put("Customer", { Id: created.qboId!, SyncToken: "3", DisplayName: "Acme", Notes: "typed in QuickBooks" })
      const before = (yield* gatewayCalls).length
      const pushedBefore = yield* (yield* AccountingMappings).find("customer", customer.id)
      yield* TestClock.adjust("1 minute")
      const updated = yield* (yield* Customers).update(customer.id, customerPatch({ email: "billing@acme.test" }))
      const outcome = yield* PushCustomerWorkflow.execute({ customerId: customer.id, version: pushVersion(updated.updatedAt, pushedBefore) })
      assert.deepStrictEqual(outcome, { action: "update", qboId: created.qboId })
      const calls = (yield* gatewayCalls).slice(before)
      assert.deepStrictEqual(calls.map((call) => call.op), ["update", "read", "update"])
      assert.deepInclude(calls[0]!.body, { Id: created.qboId, SyncToken: "0", sparse: true })
      assert.notStrictEqual(calls[0]!.requestId, calls[2]!.requestId)
      const record = (yield* recordsOf("Customer"))[0]!
      assert.deepInclude(record.body, { PrimaryEmailAddr: { Address: "billing@acme.test" }, Notes: "typed in QuickBooks" })
      const mapping = Option.getOrThrow(yield* (yield* AccountingMappings).find("customer", customer.id))
      assert.strictEqual(mapping.syncToken, record.syncToken)
    }).pipe(Effect.provide(PushTestApplication)))

  it.effect("a push forced by a pull (hash cleared: CRM wins) runs even though the CRM did not change", () =>
    Effect.gen(function*() {
      yield* connect
      const customer = yield* aCustomer("Acme", { email: "ap@acme.test" })
      const created = yield* PushCustomerWorkflow.execute({ customerId: customer.id, version: version(customer) })
      // Edited in QuickBooks; the pull keeps the CRM's value by clearing the pushed hash, then announces the customer.
      yield* (yield* MemoryAccountingGatewayControl).put("Customer", {
        Id: created.qboId!,
        SyncToken: "1",
        DisplayName: "Acme",
        PrimaryEmailAddr: { Address: "typo@acme.test" }
      })
      const mappings = yield* AccountingMappings
      const mapping = Option.getOrThrow(yield* mappings.find("customer", customer.id))
      yield* mappings.save({ ...mapping, syncToken: "1", pushedHash: null })
      yield* (yield* AccountingSync).changed({ kind: "customer", id: customer.id, action: "upsert" })
      const forced = yield* PushCustomerWorkflow.execute({
        customerId: customer.id,
        version: pushVersion(customer.updatedAt, Option.some({ ...mapping, pushedHash: null }))
      })
      assert.strictEqual(forced.action, "update")
      assert.deepInclude((yield* recordsOf("Customer"))[0]!.body, { PrimaryEmailAddr: { Address: "ap@acme.test" } })
    }).pipe(Effect.provide(PushTestApplication)))

  it.effect("a taken DisplayName links to the QuickBooks customer with the same email, else takes a suffix and says so", () =>
    Effect.gen(function*() {
      yield* connect
      // Typed in QuickBooks (ids from 9000 up stay clear of created ones).
      yield* (yield* MemoryAccountingGatewayControl).put("Customer", { Id: "9001", DisplayName: "Acme", PrimaryEmailAddr: { Address: "AP@acme.test" } })
      const acme = yield* aCustomer("Acme", { email: "ap@acme.test" })
      const linked = yield* PushCustomerWorkflow.execute({ customerId: acme.id, version: version(acme) })
      assert.deepStrictEqual(linked, { action: "link", qboId: "9001" })
      const mappings = yield* AccountingMappings
      assert.deepInclude(Option.getOrThrow(yield* mappings.find("customer", acme.id)), { qboId: "9001", origin: "linked" })

      const other = yield* aCustomer("Acme", { email: "someone@else.test" })
      const suffixed = yield* PushCustomerWorkflow.execute({ customerId: other.id, version: version(other) })
      assert.strictEqual(suffixed.action, "create")
      assert.sameMembers((yield* recordsOf("Customer")).map((r) => r.body["DisplayName"]), ["Acme", "Acme (2)"])
      const entries = yield* (yield* AccountingSyncLog).list({ before: undefined, limit: 50 })
      const created = entries.find((entry) => entry.crmId === other.id && entry.action === "create")
      assert.include(created?.detail ?? "", "\"Acme (2)\"")
      // Unchanged: the suffix alone does not make it look changed.
      const again = yield* PushCustomerWorkflow.execute({ customerId: other.id, version: "again" })
      assert.strictEqual(again.action, "skip")
    }).pipe(Effect.provide(PushTestApplication)))

  it.effect("a create whose answer was lost is retried with the same request id: one entity, logged retrying then succeeded", () =>
    Effect.gen(function*() {
      yield* connect
      yield* (yield* MemoryAccountingGatewayControl).fail({ op: "create", reason: "timeout", afterWriting: true })
      const customer = yield* aCustomer("Acme")
      const push = yield* Effect.forkChild(PushCustomerWorkflow.execute({ customerId: customer.id, version: version(customer) }))
      // The second attempt waits 2 s first.
      yield* TestClock.adjust("2 seconds")
      const outcome = yield* Fiber.join(push)
      assert.strictEqual(outcome.action, "create")
      assert.strictEqual((yield* recordsOf("Customer")).length, 1)
      const creates = (yield* gatewayCalls).filter((call) => call.op === "create")
      assert.strictEqual(creates.length, 2)
      assert.strictEqual(creates[0]!.requestId, creates[1]!.requestId)
      assert.deepStrictEqual(yield* logOf, ["customer create retrying", "customer create succeeded"])
    }).pipe(Effect.provide(PushTestApplication)))

  it.effect("a refusal that will not pass is logged failed, fails the job and maps nothing", () =>
    Effect.gen(function*() {
      yield* connect
      yield* (yield* MemoryAccountingGatewayControl).fail({ op: "create", reason: "validation", code: "2050" })
      const customer = yield* aCustomer("Acme")
      const error = yield* Effect.flip(PushCustomerWorkflow.execute({ customerId: customer.id, version: version(customer) }))
      assert.deepInclude(error, { _tag: "AccountingError", reason: "validation", code: "2050" })
      assert.deepStrictEqual(yield* logOf, ["customer create failed"])
      const [entry] = yield* (yield* AccountingSyncLog).list({ before: undefined, limit: 1 })
      assert.include(entry!.error ?? "", "code 2050")
      assert.isTrue(Option.isNone(yield* (yield* AccountingMappings).find("customer", customer.id)))
      const connection = Option.getOrThrow(yield* (yield* QuickBooksConnectionStore).find)
      assert.include(connection.lastError ?? "", "code 2050")
    }).pipe(Effect.provide(PushTestApplication)))

  it.effect("a payment is applied to its invoice; a void voids the pushed invoice and skips one never pushed", () =>
    Effect.gen(function*() {
      yield* connect
      const invoices = yield* Invoices
      const customer = yield* aCustomer("Acme")
      const service = yield* aService("Gutter cleaning")
      const invoice = yield* anInvoice(customer.id, service.id)
      const { payment } = yield* invoices.recordPayment(invoice.id, newPayment({ amountCents: 10_050, method: "check", reference: "#1001" }))
      const paid = yield* PushPaymentWorkflow.execute({ invoiceId: invoice.id, paymentId: payment.id, version: "create" })
      assert.strictEqual(paid.action, "create")
      const invoiceQboId = Option.getOrThrow(yield* (yield* AccountingMappings).find("invoice", invoice.id)).qboId
      const [qboPayment] = yield* recordsOf("Payment")
      assert.deepInclude(qboPayment!.body, {
        TotalAmt: 100.5,
        PaymentRefNum: "#1001",
        Line: [{ Amount: 100.5, LinkedTxn: [{ TxnId: invoiceQboId, TxnType: "Invoice" }] }]
      })
      assert.strictEqual((yield* PushPaymentWorkflow.execute({ invoiceId: invoice.id, paymentId: payment.id, version: "again" })).action, "skip")

      const other = yield* anInvoice(customer.id, service.id)
      yield* pushed(other)
      yield* invoices.void(other.id)
      const voided = yield* VoidInvoiceWorkflow.execute({ invoiceId: other.id, version: "void" })
      assert.strictEqual(voided.action, "void")
      const otherQbo = (yield* recordsOf("Invoice")).find((record) => record.id === voided.qboId)
      assert.deepInclude(otherQbo!.body, { PrivateNote: "Voided" })

      const draft = yield* invoices.create(newInvoice({ customerId: customer.id, lines: [{ description: "x", unitPriceCents: 100 }] }))
      yield* invoices.void(draft.id)
      assert.deepStrictEqual(yield* VoidInvoiceWorkflow.execute({ invoiceId: draft.id, version: "void" }), { action: "skip", qboId: null })
    }).pipe(Effect.provide(PushTestApplication)))

  it.effect("not connected: billing changes start no push", () =>
    Effect.gen(function*() {
      const customer = yield* aCustomer("Acme")
      yield* (yield* Customers).update(customer.id, customerPatch({ email: "a@acme.test" }))
      assert.deepStrictEqual(yield* gatewayCalls, [])
      assert.deepStrictEqual(yield* logOf, [])
    }).pipe(Effect.provide(PushTestApplication)))
})
