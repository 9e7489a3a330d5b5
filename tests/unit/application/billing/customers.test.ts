import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Schema } from "effect"
import { Customers } from "../../../../application/billing/customers.ts"
import { Invoices } from "../../../../application/billing/invoices.ts"
import { ContactMerges } from "../../../../application/contacts/contact-merges.ts"
import { Contacts } from "../../../../application/contacts/contacts.ts"
import { TestApplication, testUuid } from "../../../../application/testing/index.ts"
import { CustomerId } from "../../../../domain/billing/customer.ts"
import { Actor } from "../../../../domain/contact-merge-record.ts"
import { NewContact } from "../../../../domain/contact-input.ts"
import {
  aCustomer,
  aDraftInvoice,
  anIssuedInvoice,
  aPurchase,
  aService,
  customerPatch,
  newCustomer,
  newPayment,
  page,
  setNow
} from "./billing-fixtures.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const actor = new Actor({ tokenId: null, name: "unit test" })

describe("Customers", () => {
  it.effect("creates a customer with default terms, normalised phone and email, fixed id and time", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T10:00:00Z")
      const customers = yield* Customers
      const created = yield* customers.create(newCustomer({ companyName: " Acme Gutters ", phone: "(415) 555-2671", email: "Billing@Acme.Example" }))
      assert.strictEqual(created.id, testUuid(1))
      assert.deepInclude(created, {
        companyName: "Acme Gutters",
        phone: "+14155552671",
        email: "billing@acme.example",
        paymentTermsDays: 30,
        taxExempt: false,
        primaryContactId: null,
        status: "active"
      })
      assert.strictEqual(DateTime.formatIso(created.createdAt), "2026-11-21T10:00:00.000Z")
      assert.deepStrictEqual(yield* customers.get(created.id), created)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses an unknown or merged primary contact with InvalidBillingInput on primaryContactId", () =>
    Effect.gen(function*() {
      const customers = yield* Customers
      const contacts = yield* Contacts
      const unknown = yield* Effect.flip(customers.create(newCustomer({ companyName: "Acme", primaryContactId: testUuid(999) })))
      assert.strictEqual(unknown._tag, "InvalidBillingInput")
      assert.strictEqual(unknown._tag === "InvalidBillingInput" && unknown.path, "primaryContactId")

      const keeper = yield* contacts.create(newContact({ firstName: "Pat" }))
      const merged = yield* contacts.create(newContact({ firstName: "Patricia" }))
      yield* (yield* ContactMerges).merge(keeper.id, merged.id, actor)
      const onCreate = yield* Effect.flip(customers.create(newCustomer({ companyName: "Acme", primaryContactId: merged.id })))
      assert.strictEqual(onCreate._tag === "InvalidBillingInput" && onCreate.path, "primaryContactId")
      assert.include(onCreate.message, keeper.id)

      const customer = yield* customers.create(newCustomer({ companyName: "Acme", primaryContactId: keeper.id }))
      assert.strictEqual(customer.primaryContactId, keeper.id)
      const onUpdate = yield* Effect.flip(customers.update(customer.id, customerPatch({ primaryContactId: merged.id })))
      assert.strictEqual(onUpdate._tag === "InvalidBillingInput" && onUpdate.path, "primaryContactId")
      const cleared = yield* customers.update(customer.id, customerPatch({ primaryContactId: null }))
      assert.isNull(cleared.primaryContactId)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("moves the primary contact when the contacts are merged", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const keeper = yield* contacts.create(newContact({ firstName: "Pat" }))
      const merged = yield* contacts.create(newContact({ firstName: "Patricia" }))
      const customer = yield* aCustomer("Acme", { primaryContactId: merged.id })
      yield* (yield* ContactMerges).merge(keeper.id, merged.id, actor)
      assert.strictEqual((yield* (yield* Customers).get(customer.id)).primaryContactId, keeper.id)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("patches per RFC 7396 and stamps updatedAt", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T10:00:00Z")
      const customers = yield* Customers
      const created = yield* aCustomer("Acme", { legalBusinessName: "Acme LLC", billingAddress: { city: "Austin" } })
      yield* setNow("2026-11-22T10:00:00Z")
      const updated = yield* customers.update(created.id, customerPatch({ legalBusinessName: null, paymentTermsDays: 15 }))
      assert.deepInclude(updated, { companyName: "Acme", legalBusinessName: null, paymentTermsDays: 15 })
      assert.strictEqual(updated.billingAddress?.city, "Austin")
      assert.strictEqual(DateTime.formatIso(updated.updatedAt), "2026-11-22T10:00:00.000Z")
      const missing = yield* Effect.flip(customers.update(CustomerId.make(testUuid(999)), customerPatch({ companyName: "X" })))
      assert.deepInclude(missing, { _tag: "BillingNotFound", resource: "customer", id: testUuid(999) })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses to archive a customer with an open invoice, until it is paid", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T10:00:00Z")
      const customers = yield* Customers
      const invoices = yield* Invoices
      const customer = yield* aCustomer("Acme")
      // A draft is not owed: it does not hold the customer back.
      const draft = yield* aDraftInvoice(customer.id, [5_000])
      const open = yield* anIssuedInvoice(customer.id, [10_000])
      const refused = yield* Effect.flip(customers.update(customer.id, customerPatch({ status: "archived", companyName: "Renamed" })))
      assert.strictEqual(refused._tag, "BillingConflict")
      assert.include(refused.message, "1 open invoice")
      // Nothing of the refused patch was kept.
      assert.deepStrictEqual(yield* customers.get(customer.id), customer)
      // Other changes are fine while it owes.
      const renamed = yield* customers.update(customer.id, customerPatch({ companyName: "Renamed" }))
      assert.strictEqual(renamed.companyName, "Renamed")

      yield* invoices.recordPayment(open.id, newPayment({ amountCents: 10_000, method: "card" }))
      const archived = yield* customers.update(customer.id, customerPatch({ status: "archived" }))
      assert.strictEqual(archived.status, "archived")
      assert.deepStrictEqual((yield* customers.list({}, page)).items, [])
      assert.deepStrictEqual((yield* customers.list({ status: "archived" }, page)).items.map((c) => c.id), [customer.id])
      // An archived customer is billed no more: its draft cannot be issued.
      const issue = yield* Effect.flip(invoices.issue(draft.id, undefined))
      assert.strictEqual(issue._tag, "BillingConflict")
      const restored = yield* customers.update(customer.id, customerPatch({ status: "active" }))
      assert.strictEqual(restored.status, "active")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("archives once the open invoice is voided", () =>
    Effect.gen(function*() {
      const customers = yield* Customers
      const customer = yield* aCustomer("Acme")
      const open = yield* anIssuedInvoice(customer.id, [10_000])
      yield* (yield* Invoices).void(open.id)
      assert.strictEqual((yield* customers.update(customer.id, customerPatch({ status: "archived" }))).status, "archived")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("deletes an unreferenced customer; one with purchases, quotes or invoices is a conflict", () =>
    Effect.gen(function*() {
      const customers = yield* Customers
      const lonely = yield* aCustomer("Lonely")
      yield* customers.remove(lonely.id)
      assert.strictEqual((yield* Effect.flip(customers.get(lonely.id)))._tag, "BillingNotFound")
      const again = yield* Effect.flip(customers.remove(lonely.id))
      assert.deepInclude(again, { _tag: "BillingNotFound", resource: "customer" })

      const buyer = yield* aCustomer("Buyer")
      const service = yield* aService("Gutter cleaning")
      yield* aPurchase(buyer.id, service.id)
      const inUse = yield* Effect.flip(customers.remove(buyer.id))
      assert.strictEqual(inUse._tag, "BillingConflict")
      assert.include(inUse.message, "archive")

      const billed = yield* aCustomer("Billed")
      yield* aDraftInvoice(billed.id, [100])
      assert.strictEqual((yield* Effect.flip(customers.remove(billed.id)))._tag, "BillingConflict")
      assert.strictEqual((yield* customers.get(billed.id)).id, billed.id)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("searches names, email and phone, and pages by id", () =>
    Effect.gen(function*() {
      const customers = yield* Customers
      const names = ["Acme Gutters", "Blue Roofing", "Acme Windows", "Delta Paint", "Echo Lawn"]
      for (const name of names) yield* aCustomer(name, name === "Delta Paint" ? { email: "ops@delta.example", phone: "+1 415 555 2671" } : {})
      const acme = yield* customers.list({ q: "ACME" }, page)
      assert.deepStrictEqual(acme.items.map((c) => c.companyName), ["Acme Gutters", "Acme Windows"])
      assert.deepStrictEqual((yield* customers.list({ q: "delta.example" }, page)).items.map((c) => c.companyName), ["Delta Paint"])
      assert.deepStrictEqual((yield* customers.list({ q: "(415) 555-2671" }, page)).items.map((c) => c.companyName), ["Delta Paint"])
      const first = yield* customers.list({}, { limit: 2, after: undefined })
      const second = yield* customers.list({}, { limit: 2, after: first.next })
      const third = yield* customers.list({}, { limit: 2, after: second.next })
      assert.deepStrictEqual([...first.items, ...second.items, ...third.items].map((c) => c.companyName), names)
      assert.isUndefined(third.next)
    }).pipe(Effect.provide(TestApplication)))
})
