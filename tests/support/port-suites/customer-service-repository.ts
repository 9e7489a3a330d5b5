import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { v7 } from "uuid"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { CustomerServiceRepository, type CustomerServiceQuery } from "../../../application/ports/customer-service-repository.ts"
import { InvoiceRepository } from "../../../application/ports/invoice-repository.ts"
import { ServiceRepository } from "../../../application/ports/service-repository.ts"
import type { CatalogService } from "../../../domain/billing/catalog-service.ts"
import type { Customer } from "../../../domain/billing/customer.ts"
import { type CustomerService, type CustomerServiceDetails, CustomerServiceId } from "../../../domain/billing/customer-service.ts"
import { idsOf, invoiceLine, makeCustomer, makeInvoice, makePurchase, makeService, sortedIds, updated } from "./fixtures.ts"
import { allPages } from "./paging.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const withNames = (purchase: CustomerService, customer: Customer, service: CatalogService) => ({
  ...purchase,
  companyName: customer.companyName,
  serviceName: service.name,
  recurring: service.recurring
})

export const customerServiceRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    const setUp = Effect.gen(function*() {
      const alice = makeCustomer({ companyName: "Alice Basements" })
      const bob = makeCustomer({ companyName: "Bob Slabs" })
      for (const customer of [alice, bob]) yield* (yield* CustomerRepository).insert(customer)
      const inspection = makeService({ name: `Inspection ${v7()}`, recurring: "quarterly", unitPriceCents: 7_500 })
      const sealing = makeService({ name: `Sealing ${v7()}`, recurring: "monthly" })
      for (const service of [inspection, sealing]) yield* (yield* ServiceRepository).insert(service)
      return { alice, bob, inspection, sealing }
    })

    it.effect("stores a purchase with decimals, discounts and dates and reads it back with the names; update keeps customer and service", () =>
      Effect.gen(function*() {
        const repo = yield* CustomerServiceRepository
        const { alice, bob, inspection, sealing } = yield* setUp
        const p1 = makePurchase(alice, inspection, {
          quantity: 2.5,
          unitPriceCents: 7_000,
          discount: { type: "percent", percent: 12.5 },
          startDate: "2026-01-31",
          endDate: "2026-12-31"
        })
        const p2 = makePurchase(alice, sealing, { quantity: 0.125, discount: { type: "fixed", amountCents: 250 }, status: "paused" })
        const p3 = makePurchase(bob, inspection, { quantity: 1_000_000, startDate: "2024-02-29" })
        for (const purchase of [p1, p2, p3]) yield* repo.insert(purchase)
        assert.deepStrictEqual(yield* repo.findById(p1.id), Option.some(withNames(p1, alice, inspection)))
        assert.deepStrictEqual(yield* repo.findById(p2.id), Option.some(withNames(p2, alice, sealing)))
        assert.deepStrictEqual(yield* repo.findById(p3.id), Option.some(withNames(p3, bob, inspection)))
        assert.isTrue(Option.isNone(yield* repo.findById(CustomerServiceId.make(v7()))))

        const changed: CustomerService = {
          ...p1,
          quantity: 12.125,
          discount: { type: "percent", percent: 0.01 },
          endDate: null,
          status: "cancelled",
          updatedAt: updated
        }
        // The customer and the service are fixed at purchase, and so is the creation time.
        yield* repo.update({ ...changed, customerId: bob.id, serviceId: sealing.id, createdAt: updated })
        assert.deepStrictEqual(yield* repo.findById(p1.id), Option.some(withNames(changed, alice, inspection)))
      }))

    it.effect("filters by customer, service and status, and pages in id order", () =>
      Effect.gen(function*() {
        const repo = yield* CustomerServiceRepository
        const { alice, bob, inspection, sealing } = yield* setUp
        const p1 = makePurchase(alice, inspection)
        const p2 = makePurchase(alice, sealing, { status: "paused" })
        const p3 = makePurchase(bob, inspection)
        const p4 = makePurchase(alice, inspection, { status: "cancelled" })
        for (const purchase of [p4, p3, p2, p1]) yield* repo.insert(purchase)
        const ids = (query: Omit<CustomerServiceQuery, "limit">) => Effect.map(repo.list({ limit: 10, ...query }), idsOf)
        assert.deepStrictEqual(yield* ids({ customerId: alice.id }), sortedIds([p1.id, p2.id, p4.id]))
        assert.deepStrictEqual(yield* ids({ serviceId: inspection.id }), sortedIds([p1.id, p3.id, p4.id]))
        assert.deepStrictEqual(yield* ids({ customerId: alice.id, status: "paused" }), [p2.id])
        assert.deepStrictEqual(yield* ids({ serviceId: inspection.id, status: "active" }), sortedIds([p1.id, p3.id]))
        assert.deepStrictEqual(yield* repo.list({ customerId: bob.id, limit: 10 }), [withNames(p3, bob, inspection)])
        const order = sortedIds([p1.id, p2.id, p4.id])
        const pages = yield* allPages((after: CustomerServiceDetails | undefined) => repo.list({ customerId: alice.id, limit: 2, after: after?.id }), 2)
        assert.deepStrictEqual(pages.map(idsOf), [order.slice(0, 2), order.slice(2)])
      }))

    it.effect("deletes an unbilled purchase and keeps one an invoice line bills", () =>
      Effect.gen(function*() {
        const repo = yield* CustomerServiceRepository
        const { alice, inspection } = yield* setUp
        const billed = makePurchase(alice, inspection)
        const spare = makePurchase(alice, inspection)
        yield* repo.insert(billed)
        yield* repo.insert(spare)
        assert.strictEqual(yield* repo.delete(spare.id), "deleted")
        assert.strictEqual(yield* repo.delete(spare.id), "absent")
        assert.isTrue(Option.isNone(yield* repo.findById(spare.id)))
        yield* (yield* InvoiceRepository).insertMany([makeInvoice(alice, [invoiceLine(0, { customerServiceId: billed.id })])])
        assert.strictEqual(yield* repo.delete(billed.id), "in-use")
        assert.isTrue(Option.isSome(yield* repo.findById(billed.id)))
      }))
  })
