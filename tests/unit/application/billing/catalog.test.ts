import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Catalog } from "../../../../application/billing/catalog.ts"
import { Invoices } from "../../../../application/billing/invoices.ts"
import { Quotes } from "../../../../application/billing/quotes.ts"
import { TestApplication, testUuid } from "../../../../application/testing/index.ts"
import { ServiceId } from "../../../../domain/billing/catalog-service.ts"
import { aCustomer, aPurchase, aService, newInvoice, newQuote, newService, page, servicePatch } from "./billing-fixtures.ts"

describe("Catalog", () => {
  it.effect("creates a service with defaults: taxable, not recurring, active", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const created = yield* catalog.create(newService({ name: "Gutter cleaning", unit: "linear_foot", unitPriceCents: 150 }))
      assert.strictEqual(created.id, testUuid(1))
      assert.deepInclude(created, { taxable: true, recurring: "none", active: true, description: null })
      assert.deepStrictEqual(yield* catalog.get(created.id), created)
      const missing = yield* Effect.flip(catalog.get(ServiceId.make(testUuid(99))))
      assert.deepInclude(missing, { _tag: "BillingNotFound", resource: "service" })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses a second active service of the same name, whatever its case", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const first = yield* aService("Gutter cleaning")
      const duplicate = yield* Effect.flip(aService("GUTTER Cleaning"))
      assert.strictEqual(duplicate._tag, "BillingConflict")
      assert.include(duplicate.message, "GUTTER Cleaning")
      const other = yield* aService("Window washing")
      const renamed = yield* Effect.flip(catalog.update(other.id, servicePatch({ name: "gutter cleaning" })))
      assert.strictEqual(renamed._tag, "BillingConflict")
      assert.strictEqual((yield* catalog.get(other.id)).name, "Window washing")
      // Renaming a service to its own name in another case is no conflict.
      assert.strictEqual((yield* catalog.update(first.id, servicePatch({ name: "Gutter Cleaning" }))).name, "Gutter Cleaning")
      // An inactive service frees its name; reactivating it while the name is taken again is refused.
      yield* catalog.update(first.id, servicePatch({ active: false }))
      const reuse = yield* aService("gutter cleaning")
      assert.isTrue(reuse.active)
      const revive = yield* Effect.flip(catalog.update(first.id, servicePatch({ active: true })))
      assert.strictEqual(revive._tag, "BillingConflict")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("deletes an unused service, and deactivates one a purchase, quote or invoice line names", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const customer = yield* aCustomer("Acme")
      const unused = yield* aService("Unused")
      const removed = yield* catalog.remove(unused.id)
      assert.deepStrictEqual(removed, { outcome: "deleted", service: unused })
      assert.strictEqual((yield* Effect.flip(catalog.get(unused.id)))._tag, "BillingNotFound")
      assert.strictEqual((yield* Effect.flip(catalog.remove(unused.id)))._tag, "BillingNotFound")

      const bought = yield* aService("Bought")
      yield* aPurchase(customer.id, bought.id)
      const quoted = yield* aService("Quoted")
      yield* (yield* Quotes).create(newQuote({ customerId: customer.id, lines: [{ serviceId: quoted.id }] }))
      const invoiced = yield* aService("Invoiced")
      yield* (yield* Invoices).create(newInvoice({ customerId: customer.id, lines: [{ serviceId: invoiced.id }] }))
      for (const service of [bought, quoted, invoiced]) {
        const removal = yield* catalog.remove(service.id)
        assert.strictEqual(removal.outcome, "deactivated")
        assert.isFalse(removal.service.active)
        assert.isFalse((yield* catalog.get(service.id)).active)
      }
      // The deactivated name is free for a new service.
      assert.isTrue((yield* aService("bought")).active)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("lists by activity and name words, in creation order", () =>
    Effect.gen(function*() {
      const catalog = yield* Catalog
      const gutters = yield* aService("Gutter cleaning")
      yield* aService("Window cleaning")
      const retired = yield* aService("Gutter guards", { active: false })
      assert.deepStrictEqual((yield* catalog.list({ q: "gutter" }, page)).items.map((s) => s.id), [gutters.id, retired.id])
      assert.deepStrictEqual((yield* catalog.list({ q: "gutter", active: true }, page)).items.map((s) => s.id), [gutters.id])
      assert.deepStrictEqual((yield* catalog.list({ q: "CLEANING gutter" }, page)).items.map((s) => s.id), [gutters.id])
      const first = yield* catalog.list({}, { limit: 2, after: undefined })
      assert.strictEqual(first.items.length, 2)
      const rest = yield* catalog.list({}, { limit: 2, after: first.next })
      assert.deepStrictEqual(rest.items.map((s) => s.id), [retired.id])
      assert.isUndefined(rest.next)
    }).pipe(Effect.provide(TestApplication)))
})
