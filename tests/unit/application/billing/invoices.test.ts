import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Ref } from "effect"
import { Customers } from "../../../../application/billing/customers.ts"
import { Invoices } from "../../../../application/billing/invoices.ts"
import { MemoryStore, TestApplication, testUuid } from "../../../../application/testing/index.ts"
import { balanceCents, InvoiceId } from "../../../../domain/billing/invoice.ts"
import { aCustomer, aDraftInvoice, anIssuedInvoice, customerPatch, newInvoice, newPayment, page, setNow } from "./billing-fixtures.ts"

const pathOf = (error: { readonly _tag: string }) => ("path" in error ? `${error._tag}:${String(error.path)}` : error._tag)

describe("Invoices", () => {
  it.effect("drafts a priced invoice for an active customer, numbered in order", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T10:00:00Z")
      const invoices = yield* Invoices
      const customer = yield* aCustomer("Acme")
      const draft = yield* invoices.create(newInvoice({
        customerId: customer.id,
        discount: { type: "fixed", amountCents: 1_000 },
        lines: [{ description: "Repair", unitPriceCents: 12_000 }, { description: "Parts", quantity: 3, unitPriceCents: 2_500 }]
      }))
      assert.deepInclude(draft, {
        number: 1,
        status: "draft",
        issueDate: null,
        dueDate: null,
        subtotalCents: 19_500,
        discountCents: 1_000,
        taxCents: 0,
        totalCents: 18_500,
        paidCents: 0
      })
      assert.strictEqual(draft.lines.reduce((acc, line) => acc + line.amountCents, 0), draft.totalCents)
      assert.strictEqual((yield* aDraftInvoice(customer.id, [1])).number, 2)

      const archived = yield* aCustomer("Gone")
      yield* (yield* Customers).update(archived.id, customerPatch({ status: "archived" }))
      const refused = yield* Effect.forEach([testUuid(999), archived.id], (customerId) => Effect.flip(aDraftInvoice(customerId, [100])))
      assert.deepStrictEqual(refused.map(pathOf), ["InvalidBillingInput:customerId", "InvalidBillingInput:customerId"])
      assert.deepInclude(yield* Effect.flip(invoices.get(InvoiceId.make(testUuid(998)))), { _tag: "BillingNotFound", resource: "invoice" })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("issues a draft: the due date is the issue date plus the customer's payment terms", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T23:59:00Z")
      const invoices = yield* Invoices
      const customer = yield* aCustomer("Acme", { paymentTermsDays: 15 })
      const today = yield* invoices.issue((yield* aDraftInvoice(customer.id, [10_000])).id, undefined)
      assert.deepInclude(today, { status: "issued", issueDate: "2026-11-21", dueDate: "2026-12-06" })
      const dated = yield* invoices.issue((yield* aDraftInvoice(customer.id, [10_000])).id, "2027-02-20")
      assert.deepInclude(dated, { issueDate: "2027-02-20", dueDate: "2027-03-07" })
      assert.deepStrictEqual(yield* invoices.get(dated.id), dated)
      const twice = yield* Effect.flip(invoices.issue(dated.id, undefined))
      assert.strictEqual(twice._tag, "BillingConflict")
      const cash = yield* aCustomer("Cash", { paymentTermsDays: 0 })
      assert.deepInclude(yield* anIssuedInvoice(cash.id, [100], "2026-11-21"), { dueDate: "2026-11-21" })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("voids only an unpaid invoice", () =>
    Effect.gen(function*() {
      const invoices = yield* Invoices
      const customer = yield* aCustomer("Acme")
      const draft = yield* aDraftInvoice(customer.id, [10_000])
      assert.strictEqual((yield* invoices.void(draft.id)).status, "void")
      assert.strictEqual((yield* Effect.flip(invoices.void(draft.id)))._tag, "BillingConflict")
      const issued = yield* anIssuedInvoice(customer.id, [10_000])
      assert.strictEqual((yield* invoices.void(issued.id)).status, "void")
      const paid = yield* anIssuedInvoice(customer.id, [10_000])
      yield* invoices.recordPayment(paid.id, newPayment({ amountCents: 1, method: "cash" }))
      const refused = yield* Effect.flip(invoices.void(paid.id))
      assert.strictEqual(refused._tag, "BillingConflict")
      assert.include(refused.message, "$0.01")
      assert.strictEqual((yield* invoices.get(paid.id)).status, "partially_paid")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses payments on drafts and void invoices, and payments larger than the balance", () =>
    Effect.gen(function*() {
      const invoices = yield* Invoices
      const customer = yield* aCustomer("Acme")
      const draft = yield* aDraftInvoice(customer.id, [10_000])
      const onDraft = yield* Effect.flip(invoices.recordPayment(draft.id, newPayment({ amountCents: 100, method: "cash" })))
      assert.strictEqual(onDraft._tag, "BillingConflict")
      assert.include(onDraft.message, "draft")
      yield* invoices.void(draft.id)
      assert.strictEqual((yield* Effect.flip(invoices.recordPayment(draft.id, newPayment({ amountCents: 100, method: "cash" }))))._tag, "BillingConflict")

      const issued = yield* anIssuedInvoice(customer.id, [10_000])
      yield* invoices.recordPayment(issued.id, newPayment({ amountCents: 6_000, method: "check" }))
      const over = yield* Effect.flip(invoices.recordPayment(issued.id, newPayment({ amountCents: 4_001, method: "check" })))
      assert.strictEqual(pathOf(over), "InvalidBillingInput:amountCents")
      assert.include(over.message, "$40.00")
      const missing = yield* Effect.flip(invoices.recordPayment(InvoiceId.make(testUuid(999)), newPayment({ amountCents: 1, method: "cash" })))
      assert.strictEqual(missing._tag, "BillingNotFound")
      // Refused payments leave no trace.
      assert.strictEqual((yield* invoices.payments(issued.id)).length, 1)
      assert.strictEqual((yield* invoices.payments(draft.id)).length, 0)
      assert.strictEqual((yield* invoices.get(issued.id)).paidCents, 6_000)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("goes partially paid, then paid; the balance is always the total minus the payments", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T10:00:00Z")
      const invoices = yield* Invoices
      const { state } = yield* MemoryStore
      const customer = yield* aCustomer("Acme")
      const issued = yield* anIssuedInvoice(customer.id, [7_001, 3_000, 2])
      assert.strictEqual(issued.totalCents, 10_003)
      const first = yield* invoices.recordPayment(issued.id, newPayment({ amountCents: 5_000, method: "card", paidAt: "2026-11-25" }))
      assert.deepInclude(first.invoice, { status: "partially_paid", paidCents: 5_000 })
      assert.strictEqual(balanceCents(first.invoice), 5_003)
      assert.deepInclude(first.payment, { amountCents: 5_000, method: "card", reference: null, invoiceId: issued.id })
      assert.strictEqual(DateTime.formatIso(first.payment.paidAt), "2026-11-25T00:00:00.000Z")
      const second = yield* invoices.recordPayment(
        issued.id,
        newPayment({ amountCents: 5_003, method: "check", reference: "#1001", paidAt: "2026-11-22T18:30:00-05:00" })
      )
      assert.deepInclude(second.invoice, { status: "paid", paidCents: 10_003 })
      assert.strictEqual(balanceCents(second.invoice), 0)
      assert.deepStrictEqual(yield* invoices.get(issued.id), second.invoice)
      // Oldest first, by when the money arrived.
      assert.deepStrictEqual((yield* invoices.payments(issued.id)).map((p) => p.id), [second.payment.id, first.payment.id])
      // The shares of every line add up to the payments and never exceed the line.
      const allocations = [...(yield* Ref.get(state)).payments.values()].flatMap((p) => p.allocations)
      for (const line of issued.lines) {
        const paid = allocations.filter((a) => a.position === line.position).reduce((acc, a) => acc + a.amountCents, 0)
        assert.strictEqual(paid, line.amountCents)
      }
      const noMore = yield* Effect.flip(invoices.recordPayment(issued.id, newPayment({ amountCents: 1, method: "cash" })))
      assert.strictEqual(pathOf(noMore), "InvalidBillingInput:amountCents")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("lists by customer and status, in creation order", () =>
    Effect.gen(function*() {
      const invoices = yield* Invoices
      const acme = yield* aCustomer("Acme")
      const blue = yield* aCustomer("Blue")
      const a = yield* aDraftInvoice(acme.id, [100])
      const b = yield* anIssuedInvoice(blue.id, [100])
      const c = yield* anIssuedInvoice(acme.id, [100])
      const ids = (search: Parameters<typeof invoices.list>[0]) => Effect.map(invoices.list(search, page), (p) => p.items.map((i) => i.id))
      assert.deepStrictEqual(yield* ids({ customerId: acme.id }), [a.id, c.id])
      assert.deepStrictEqual(yield* ids({ status: "issued" }), [b.id, c.id])
      assert.deepStrictEqual(yield* ids({ status: "issued", customerId: acme.id }), [c.id])
      const first = yield* invoices.list({}, { limit: 1, after: undefined })
      assert.deepStrictEqual((yield* invoices.list({}, { limit: 5, after: first.next })).items.map((i) => i.id), [b.id, c.id])
    }).pipe(Effect.provide(TestApplication)))
})
