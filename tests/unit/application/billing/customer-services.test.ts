import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { BillingRuns } from "../../../../application/billing/billing-runs.ts"
import { Catalog } from "../../../../application/billing/catalog.ts"
import { CustomerServices } from "../../../../application/billing/customer-services.ts"
import { Customers } from "../../../../application/billing/customers.ts"
import { TestApplication, testUuid } from "../../../../application/testing/index.ts"
import { CustomerServiceId } from "../../../../domain/billing/customer-service.ts"
import {
  aCustomer,
  aPurchase,
  aService,
  customerPatch,
  customerServicePatch,
  newCustomerService,
  page,
  servicePatch,
  setNow
} from "./billing-fixtures.ts"

/** The failure's tag and path, for InvalidBillingInput. */
const pathOf = (error: { readonly _tag: string }) => ("path" in error ? `${error._tag}:${String(error.path)}` : error._tag)

describe("CustomerServices", () => {
  it.effect("sells at the catalogue price of the day, and keeps it when the catalogue changes", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T23:30:00Z")
      const purchases = yield* CustomerServices
      const customer = yield* aCustomer("Acme")
      const service = yield* aService("Lawn care", { unitPriceCents: 4_500, recurring: "monthly" })
      const bought = yield* aPurchase(customer.id, service.id)
      assert.deepInclude(bought, {
        customerId: customer.id,
        serviceId: service.id,
        companyName: "Acme",
        serviceName: "Lawn care",
        recurring: "monthly",
        quantity: 1,
        unitPriceCents: 4_500,
        startDate: "2026-11-21",
        endDate: null,
        status: "active"
      })
      assert.deepStrictEqual(bought.discount, { type: "none" })
      yield* (yield* Catalog).update(service.id, servicePatch({ unitPriceCents: 5_000, name: "Lawn service" }))
      const later = yield* purchases.get(bought.id)
      assert.strictEqual(later.unitPriceCents, 4_500)
      // The names are the current ones: they are read with the purchase.
      assert.strictEqual(later.serviceName, "Lawn service")
      assert.strictEqual((yield* aPurchase(customer.id, service.id)).unitPriceCents, 5_000)
      assert.strictEqual((yield* aPurchase(customer.id, service.id, { unitPriceCents: 3_999 })).unitPriceCents, 3_999)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses unknown or archived customers and unknown or inactive services, naming the field", () =>
    Effect.gen(function*() {
      const customer = yield* aCustomer("Acme")
      const service = yield* aService("Lawn care")
      const retired = yield* aService("Retired", { active: false })
      const archived = yield* aCustomer("Gone")
      yield* (yield* Customers).update(archived.id, customerPatch({ status: "archived" }))
      const failures = yield* Effect.forEach([
        [testUuid(999), service.id],
        [archived.id, service.id],
        [customer.id, testUuid(998)],
        [customer.id, retired.id]
      ], ([customerId, serviceId]) => Effect.flip(aPurchase(customerId!, serviceId!)))
      assert.deepStrictEqual(failures.map(pathOf), [
        "InvalidBillingInput:customerId",
        "InvalidBillingInput:customerId",
        "InvalidBillingInput:serviceId",
        "InvalidBillingInput:serviceId"
      ])
      assert.include(failures[1]!.message, "archived")
      assert.include(failures[3]!.message, "inactive")
      assert.deepStrictEqual((yield* (yield* CustomerServices).list({}, page)).items, [])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses an end before the start and a fixed discount larger than the line", () =>
    Effect.gen(function*() {
      const purchases = yield* CustomerServices
      const customer = yield* aCustomer("Acme")
      const service = yield* aService("Lawn care", { unitPriceCents: 4_500 })
      const backwards = yield* Effect.flip(aPurchase(customer.id, service.id, { startDate: "2026-11-10", endDate: "2026-11-09" }))
      assert.strictEqual(pathOf(backwards), "InvalidBillingInput:endDate")
      const tooMuch = yield* Effect.flip(aPurchase(customer.id, service.id, { discount: { type: "fixed", amountCents: 4_501 } }))
      assert.strictEqual(pathOf(tooMuch), "InvalidBillingInput:discount")
      assert.include(tooMuch.message, "45.01")
      // The whole line off is allowed; so is a one-day purchase.
      const free = yield* aPurchase(customer.id, service.id, {
        discount: { type: "fixed", amountCents: 4_500 },
        startDate: "2026-11-10",
        endDate: "2026-11-10"
      })
      const onUpdate = yield* Effect.flip(purchases.update(free.id, customerServicePatch({ endDate: "2026-11-01" })))
      assert.strictEqual(pathOf(onUpdate), "InvalidBillingInput:endDate")
      const cheaper = yield* Effect.flip(purchases.update(free.id, customerServicePatch({ unitPriceCents: 4_000 })))
      assert.strictEqual(pathOf(cheaper), "InvalidBillingInput:discount")
      assert.strictEqual((yield* purchases.get(free.id)).unitPriceCents, 4_500)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("patches terms; a missing purchase is BillingNotFound", () =>
    Effect.gen(function*() {
      const purchases = yield* CustomerServices
      const customer = yield* aCustomer("Acme")
      const service = yield* aService("Lawn care")
      const bought = yield* aPurchase(customer.id, service.id, { startDate: "2026-11-01" })
      const updated = yield* purchases.update(bought.id, customerServicePatch({ quantity: 2.5, endDate: "2027-01-31", status: "paused" }))
      assert.deepInclude(updated, { quantity: 2.5, endDate: "2027-01-31", status: "paused", companyName: "Acme" })
      assert.deepStrictEqual(yield* purchases.get(bought.id), updated)
      const missing = CustomerServiceId.make(testUuid(999))
      assert.deepInclude(yield* Effect.flip(purchases.get(missing)), { _tag: "BillingNotFound", resource: "customer service" })
      assert.strictEqual((yield* Effect.flip(purchases.update(missing, customerServicePatch({ quantity: 1 }))))._tag, "BillingNotFound")
      assert.strictEqual((yield* Effect.flip(purchases.remove(missing)))._tag, "BillingNotFound")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("deletes an unbilled purchase; a billed one is a conflict (cancel it instead)", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-01T12:00:00Z")
      const purchases = yield* CustomerServices
      const customer = yield* aCustomer("Acme")
      const service = yield* aService("Lawn care", { recurring: "monthly" })
      const unbilled = yield* aPurchase(customer.id, service.id, { startDate: "2026-12-01" })
      yield* purchases.remove(unbilled.id)
      assert.strictEqual((yield* Effect.flip(purchases.get(unbilled.id)))._tag, "BillingNotFound")
      const billed = yield* aPurchase(customer.id, service.id, { startDate: "2026-11-01" })
      yield* (yield* BillingRuns).run("2026-11")
      const refused = yield* Effect.flip(purchases.remove(billed.id))
      assert.strictEqual(refused._tag, "BillingConflict")
      assert.include(refused.message, "cancel")
      assert.strictEqual((yield* purchases.update(billed.id, customerServicePatch({ status: "cancelled" }))).status, "cancelled")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("lists by customer, service and status", () =>
    Effect.gen(function*() {
      const purchases = yield* CustomerServices
      const acme = yield* aCustomer("Acme")
      const blue = yield* aCustomer("Blue")
      const lawn = yield* aService("Lawn care")
      const pool = yield* aService("Pool care")
      const a = yield* aPurchase(acme.id, lawn.id)
      const b = yield* aPurchase(blue.id, lawn.id, { status: "paused" })
      const c = yield* aPurchase(acme.id, pool.id)
      const ids = (search: Parameters<typeof purchases.list>[0]) => Effect.map(purchases.list(search, page), (p) => p.items.map((x) => x.id))
      assert.deepStrictEqual(yield* ids({ customerId: acme.id }), [a.id, c.id])
      assert.deepStrictEqual(yield* ids({ serviceId: lawn.id }), [a.id, b.id])
      assert.deepStrictEqual(yield* ids({ status: "paused" }), [b.id])
      const first = yield* purchases.list({}, { limit: 2, after: undefined })
      assert.deepStrictEqual(first.items.map((x) => x.id), [a.id, b.id])
      assert.deepStrictEqual((yield* purchases.list({}, { limit: 2, after: first.next })).items.map((x) => x.id), [c.id])
      // Keep the unused decoder honest: a purchase input is decoded like the adapter does.
      assert.strictEqual(newCustomerService({ customerId: acme.id.toUpperCase(), serviceId: lawn.id }).customerId, acme.id)
    }).pipe(Effect.provide(TestApplication)))
})
