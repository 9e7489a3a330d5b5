import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { v7 } from "uuid"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { CustomerServiceRepository } from "../../../application/ports/customer-service-repository.ts"
import { InvoiceRepository } from "../../../application/ports/invoice-repository.ts"
import { QuoteRepository } from "../../../application/ports/quote-repository.ts"
import { ServiceRepository, type ServiceQuery } from "../../../application/ports/service-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { type CatalogService, ServiceId } from "../../../domain/billing/catalog-service.ts"
import {
  idsOf,
  invoiceLine,
  line,
  makeCustomer,
  makeInvoice,
  makePurchase,
  makeQuote,
  makeService,
  sortedIds,
  updated
} from "./fixtures.ts"
import { allPages } from "./paging.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const serviceRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores and reads back every field; finds by ids; answers none for an unknown id", () =>
      Effect.gen(function*() {
        const repo = yield* ServiceRepository
        const wall = makeService({
          name: "Wall Crack Repair",
          description: "Epoxy injection",
          unit: "linear_foot",
          unitPriceCents: 1_000_000_000_000,
          taxable: false,
          recurring: "monthly"
        })
        const other = makeService()
        assert.strictEqual(yield* repo.insert(wall), "ok")
        assert.strictEqual(yield* repo.insert(other), "ok")
        assert.deepStrictEqual(yield* repo.findById(wall.id), Option.some(wall))
        assert.isTrue(Option.isNone(yield* repo.findById(ServiceId.make(v7()))))
        const never = makeService()
        assert.strictEqual(yield* repo.update(never), "ok")
        assert.isTrue(Option.isNone(yield* repo.findById(never.id)))
        const found = yield* repo.findByIds([wall.id, other.id, ServiceId.make(v7()), wall.id])
        assert.deepStrictEqual(sortedIds(idsOf(found)), sortedIds([wall.id, other.id]))
        assert.deepStrictEqual(found.find((s) => s.id === wall.id), wall)
        assert.deepStrictEqual(yield* repo.findByIds([]), [])
        // The creation time is the row's own: an update leaves it.
        const changed: CatalogService = { ...other, name: `Renamed ${v7()}`, unitPriceCents: 0, active: false, updatedAt: updated }
        assert.strictEqual(yield* repo.update({ ...changed, createdAt: updated }), "ok")
        assert.deepStrictEqual(yield* repo.findById(other.id), Option.some(changed))
      }))

    it.effect("keeps active names unique whatever their case, on insert and update; a retired name may be reused", () =>
      Effect.gen(function*() {
        const repo = yield* ServiceRepository
        const taken = makeService({ name: "Basement Waterproofing" })
        assert.strictEqual(yield* repo.insert(taken), "ok")
        assert.strictEqual(yield* repo.insert(makeService({ name: "basement WATERPROOFING" })), "name-taken")
        const retired = makeService({ name: "Sump Pump Check", active: false })
        const current = makeService({ name: "sump pump check" })
        assert.strictEqual(yield* repo.insert(retired), "ok")
        assert.strictEqual(yield* repo.insert(current), "ok")
        assert.strictEqual(yield* repo.update({ ...retired, active: true }), "name-taken")
        assert.strictEqual(yield* repo.update({ ...current, name: "Basement waterproofing" }), "name-taken")
        assert.deepStrictEqual(yield* repo.findById(current.id), Option.some(current))
        // Inside a transaction the refusal leaves the transaction usable, and it commits.
        const renamed: CatalogService = { ...current, name: "Sump Pump Service", taxable: false, updatedAt: updated }
        const outcomes = yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
          const refused = yield* repo.update({ ...current, name: "BASEMENT WATERPROOFING" })
          const accepted = yield* repo.update(renamed)
          return [refused, accepted] as const
        }))
        assert.deepStrictEqual(outcomes, ["name-taken", "ok"])
        assert.deepStrictEqual(yield* repo.findById(current.id), Option.some(renamed))
        assert.strictEqual(yield* repo.update({ ...retired, active: true }), "ok")
      }))

    it.effect("searches names word by word, filters by active, and pages in id order", () =>
      Effect.gen(function*() {
        const repo = yield* ServiceRepository
        const x1 = makeService({ name: "Xylo 50% Grout" })
        const x2 = makeService({ name: "Xylo Grout", active: false })
        const x3 = makeService({ name: "Xylo Membrane" })
        for (const service of [x3, x1, x2]) assert.strictEqual(yield* repo.insert(service), "ok")
        const ids = (query: Omit<ServiceQuery, "limit">) => Effect.map(repo.list({ limit: 10, ...query }), idsOf)
        assert.deepStrictEqual(yield* ids({ q: "xylo" }), sortedIds([x1.id, x2.id, x3.id]))
        assert.deepStrictEqual(yield* ids({ q: "XYLO grout" }), sortedIds([x1.id, x2.id]))
        assert.deepStrictEqual(yield* ids({ q: "xylo", active: true }), sortedIds([x1.id, x3.id]))
        assert.deepStrictEqual(yield* ids({ q: "xylo", active: false }), [x2.id])
        assert.deepStrictEqual(yield* ids({ q: "50%" }), [x1.id])
        assert.deepStrictEqual(yield* ids({ q: "o_g" }), [])
        const order = sortedIds([x1.id, x2.id, x3.id])
        const pages = yield* allPages((after: CatalogService | undefined) => repo.list({ q: "xylo", limit: 2, after: after?.id }), 2)
        assert.deepStrictEqual(pages.map(idsOf), [order.slice(0, 2), order.slice(2)])
      }))

    it.effect("deletes an unused service and keeps one that a purchase, quote line or invoice line names", () =>
      Effect.gen(function*() {
        const services = yield* ServiceRepository
        const customer = makeCustomer()
        yield* (yield* CustomerRepository).insert(customer)
        const [unused, bought, quoted, invoiced] = [makeService(), makeService(), makeService(), makeService()]
        for (const service of [unused, bought, quoted, invoiced]) yield* services.insert(service)
        assert.strictEqual(yield* services.delete(unused.id), "deleted")
        assert.strictEqual(yield* services.delete(unused.id), "absent")
        assert.isTrue(Option.isNone(yield* services.findById(unused.id)))
        yield* (yield* CustomerServiceRepository).insert(makePurchase(customer, bought))
        yield* (yield* QuoteRepository).insert(makeQuote(customer, [line(0, { serviceId: quoted.id })]))
        yield* (yield* InvoiceRepository).insertMany([makeInvoice(customer, [invoiceLine(0, { serviceId: invoiced.id })])])
        for (const service of [bought, quoted, invoiced]) {
          assert.strictEqual(yield* services.delete(service.id), "in-use")
          assert.deepStrictEqual(yield* services.findById(service.id), Option.some(service))
        }
      }))
  })
