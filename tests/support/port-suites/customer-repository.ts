import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { v7 } from "uuid"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { type CustomerQuery, CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { CustomerServiceRepository } from "../../../application/ports/customer-service-repository.ts"
import { InvoiceRepository } from "../../../application/ports/invoice-repository.ts"
import { QuoteRepository } from "../../../application/ports/quote-repository.ts"
import { ServiceRepository } from "../../../application/ports/service-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { type Customer, CustomerId } from "../../../domain/billing/customer.ts"
import {
  idsOf,
  invoiceLine,
  line,
  makeContact,
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

export const customerRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores and reads back every field, updates, locks, and answers none for an unknown id", () =>
      Effect.gen(function*() {
        const repo = yield* CustomerRepository
        const contact = makeContact({ firstName: "Ann" })
        yield* (yield* ContactRepository).insert(contact)
        const full = makeCustomer({
          companyName: "Quartzite Builders",
          legalBusinessName: "Quartzite Builders LLC",
          email: "billing@quartzite.example",
          phone: "+14155552671",
          billingAddress: { street: "1 Main St", city: "Austin", state: "TX", postalCode: "78701" },
          primaryContactId: contact.id,
          taxExempt: true,
          paymentTermsDays: 45
        })
        yield* repo.insert(full)
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(full))
        // A partial address stays an address.
        const changed: Customer = {
          ...full,
          billingAddress: { street: null, city: "Dallas", state: null, postalCode: null },
          phone: null,
          status: "archived",
          updatedAt: updated
        }
        // The creation time is the row's own: an update leaves it.
        yield* repo.update({ ...changed, createdAt: updated })
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(changed))
        assert.deepStrictEqual(yield* (yield* Transactor).withTransaction(repo.findByIdForUpdate(full.id)), Option.some(changed))
        assert.isTrue(Option.isNone(yield* repo.findById(CustomerId.make(v7()))))
        const never = makeCustomer()
        yield* repo.update(never)
        assert.isTrue(Option.isNone(yield* repo.findById(never.id)))
        const bare = makeCustomer()
        yield* repo.insert(bare)
        assert.deepStrictEqual(yield* repo.findById(bare.id), Option.some(bare))
      }))

    it.effect("searches words in names, email and phone; filters by status, phone, email and primary contact", () =>
      Effect.gen(function*() {
        const repo = yield* CustomerRepository
        const contact = makeContact({ firstName: "Zed" })
        yield* (yield* ContactRepository).insert(contact)
        const a = makeCustomer({ companyName: "Zebulon Slab Co", email: "office@zebulon.example", primaryContactId: contact.id })
        const b = makeCustomer({ companyName: "Zebulon Basements", phone: "+15035550142", legalBusinessName: "ZB Holdings" })
        const c = makeCustomer({ companyName: "Zebulon 100%_ Foundations", status: "archived", phone: "+15035550142" })
        for (const customer of [a, b, c]) yield* repo.insert(customer)
        const ids = (query: Omit<CustomerQuery, "limit">) => Effect.map(repo.list({ limit: 50, ...query }), idsOf)
        assert.deepStrictEqual(yield* ids({ q: "zebulon" }), sortedIds([a.id, b.id]))
        assert.deepStrictEqual(yield* ids({ q: "ZEBULON", status: "all" }), sortedIds([a.id, b.id, c.id]))
        assert.deepStrictEqual(yield* ids({ q: "zebulon", status: "archived" }), [c.id])
        assert.deepStrictEqual(yield* ids({ q: "slab zebulon" }), [a.id])
        assert.deepStrictEqual(yield* ids({ q: "zebulon.example" }), [a.id])
        assert.deepStrictEqual(yield* ids({ q: "holdings" }), [b.id])
        assert.deepStrictEqual(yield* ids({ q: "(503) 555-0142" }), [b.id])
        assert.deepStrictEqual(yield* ids({ q: "100%_", status: "all" }), [c.id])
        assert.deepStrictEqual(yield* ids({ q: "0%_x", status: "all" }), [])
        assert.deepStrictEqual(yield* ids({ phone: "+15035550142", status: "all" }), sortedIds([b.id, c.id]))
        assert.deepStrictEqual(yield* ids({ phone: "+15035550142" }), [b.id])
        assert.deepStrictEqual(yield* ids({ email: "office@zebulon.example" }), [a.id])
        assert.deepStrictEqual(yield* ids({ primaryContactId: contact.id }), [a.id])
        assert.deepStrictEqual(yield* ids({ q: "zebulon", email: "nobody@zebulon.example" }), [])
      }))

    it.effect("pages in id order: exact pages, every customer once", () =>
      Effect.gen(function*() {
        const repo = yield* CustomerRepository
        const mine = Array.from({ length: 5 }, (_, i) => makeCustomer({ companyName: `Pagewright ${i}` }))
        for (const customer of [...mine].reverse()) yield* repo.insert(customer)
        const order = sortedIds(idsOf(mine))
        const pages = yield* allPages((after: Customer | undefined) => repo.list({ q: "pagewright", limit: 2, after: after?.id }), 2)
        assert.deepStrictEqual(pages.map(idsOf), [order.slice(0, 2), order.slice(2, 4), order.slice(4)])
      }))

    it.effect("deletes an unused customer, keeps one with purchases, quotes or invoices, and counts open invoices", () =>
      Effect.gen(function*() {
        const customers = yield* CustomerRepository
        const invoices = yield* InvoiceRepository
        const free = makeCustomer()
        const billed = makeCustomer()
        const quoted = makeCustomer()
        const buyer = makeCustomer()
        for (const customer of [free, billed, quoted, buyer]) yield* customers.insert(customer)
        assert.strictEqual(yield* customers.delete(free.id), "deleted")
        assert.strictEqual(yield* customers.delete(free.id), "absent")
        assert.isTrue(Option.isNone(yield* customers.findById(free.id)))
        assert.strictEqual(yield* customers.openInvoiceCount(billed.id), 0)
        const issued = { status: "issued" as const, issueDate: "2026-03-01", dueDate: "2026-03-31" }
        yield* invoices.insertMany([
          makeInvoice(billed, [invoiceLine(0)]),
          makeInvoice(billed, [invoiceLine(0)], issued),
          makeInvoice(billed, [invoiceLine(0)], { ...issued, status: "partially_paid", paidCents: 100 }),
          makeInvoice(billed, [invoiceLine(0)], { ...issued, status: "paid", paidCents: 5_000 }),
          makeInvoice(billed, [invoiceLine(0)], { status: "void" })
        ])
        assert.strictEqual(yield* customers.openInvoiceCount(billed.id), 2)
        yield* (yield* QuoteRepository).insert(makeQuote(quoted, [line(0)]))
        const service = makeService()
        yield* (yield* ServiceRepository).insert(service)
        yield* (yield* CustomerServiceRepository).insert(makePurchase(buyer, service))
        // Inside a transaction the refused delete leaves the transaction usable.
        const outcomes = yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
          const refused = [yield* customers.delete(billed.id), yield* customers.delete(quoted.id), yield* customers.delete(buyer.id)]
          return [refused, yield* customers.findById(billed.id)] as const
        }))
        assert.deepStrictEqual(outcomes, [["in-use", "in-use", "in-use"], Option.some(billed)])
      }))
  })
