import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { v7 } from "uuid"
import { SqlCustomerRepository } from "../../adapters/sql/sql-customer-repository.ts"
import { SqlCustomerServiceRepository } from "../../adapters/sql/sql-customer-service-repository.ts"
import { SqlInvoiceRepository } from "../../adapters/sql/sql-invoice-repository.ts"
import { SqlQuoteRepository } from "../../adapters/sql/sql-quote-repository.ts"
import { SqlServiceRepository } from "../../adapters/sql/sql-service-repository.ts"
import { SqlTaxRateTable } from "../../adapters/sql/sql-tax-rate-table.ts"
import { CustomerRepository } from "../../application/ports/customer-repository.ts"
import { CustomerServiceRepository } from "../../application/ports/customer-service-repository.ts"
import { InvoiceRepository, type NewInvoiceRecord } from "../../application/ports/invoice-repository.ts"
import { type NewQuoteRecord, QuoteRepository } from "../../application/ports/quote-repository.ts"
import { ServiceRepository } from "../../application/ports/service-repository.ts"
import { type CatalogService, ServiceId } from "../../domain/billing/catalog-service.ts"
import { type Customer, CustomerId } from "../../domain/billing/customer.ts"
import { type CustomerService, CustomerServiceId } from "../../domain/billing/customer-service.ts"
import type { DocumentLine, InvoiceLine } from "../../domain/billing/document-line.ts"
import { type Invoice, InvoiceId } from "../../domain/billing/invoice.ts"
import { type Payment, PaymentId } from "../../domain/billing/payment.ts"
import { QuoteId } from "../../domain/billing/quote.ts"
import { TaxRateTable } from "../../domain/billing/tax-rate.ts"
import { ContactId } from "../../domain/contact.ts"
import { testDatabase } from "../support/test-database.ts"

const repositories = Layer.mergeAll(
  SqlCustomerRepository,
  SqlServiceRepository,
  SqlCustomerServiceRepository,
  SqlQuoteRepository,
  SqlInvoiceRepository,
  SqlTaxRateTable
).pipe(Layer.provideMerge(testDatabase()))

const at = (iso: string) => DateTime.fromDateUnsafe(new Date(iso))
const created = at("2026-03-01T10:11:12.345Z")
const updated = at("2026-03-02T08:00:00.001Z")

const makeCustomer = (fields: Partial<Customer> = {}): Customer => ({
  id: CustomerId.make(v7()),
  companyName: "Acme Foundations",
  legalBusinessName: null,
  email: null,
  phone: null,
  billingAddress: null,
  primaryContactId: null,
  taxExempt: false,
  paymentTermsDays: 30,
  status: "active",
  createdAt: created,
  updatedAt: created,
  ...fields
})

const makeService = (fields: Partial<CatalogService> = {}): CatalogService => ({
  id: ServiceId.make(v7()),
  name: `Service ${v7()}`,
  description: null,
  unit: "each",
  unitPriceCents: 10_000,
  taxable: true,
  recurring: "none",
  active: true,
  createdAt: created,
  updatedAt: created,
  ...fields
})

const makePurchase = (customer: Customer, service: CatalogService, fields: Partial<CustomerService> = {}): CustomerService => ({
  id: CustomerServiceId.make(v7()),
  customerId: customer.id,
  serviceId: service.id,
  quantity: 1,
  unitPriceCents: service.unitPriceCents,
  discount: { type: "none" },
  startDate: "2026-01-01",
  endDate: null,
  status: "active",
  createdAt: created,
  updatedAt: created,
  ...fields
})

/** Lines whose figures satisfy the tables' CHECKs (amount = total − document share + tax). */
const line = (position: number, fields: Partial<DocumentLine> = {}): DocumentLine => ({
  position,
  serviceId: null,
  description: `Line ${position}`,
  quantity: 1,
  unitPriceCents: 5_000,
  discount: { type: "none" },
  taxCode: null,
  taxRatePercent: null,
  subtotalCents: 5_000,
  discountCents: 0,
  totalCents: 5_000,
  documentDiscountCents: 0,
  taxCents: 0,
  amountCents: 5_000,
  ...fields
})

const invoiceLine = (position: number, fields: Partial<InvoiceLine> = {}): InvoiceLine => ({
  ...line(position),
  customerServiceId: null,
  periodFrom: null,
  periodTo: null,
  ...fields
})

/** Totals as the sums of the lines' figures. */
const totals = (lines: ReadonlyArray<DocumentLine>) => {
  const sum = (f: (l: DocumentLine) => number) => lines.reduce((total, l) => total + f(l), 0)
  return {
    subtotalCents: sum((l) => l.subtotalCents),
    discountCents: sum((l) => l.discountCents + l.documentDiscountCents),
    taxCents: sum((l) => l.taxCents),
    totalCents: sum((l) => l.amountCents)
  }
}

const makeQuote = (customer: Customer, lines: ReadonlyArray<DocumentLine>, fields: Partial<NewQuoteRecord> = {}): NewQuoteRecord => ({
  id: QuoteId.make(v7()),
  customerId: customer.id,
  contactId: null,
  status: "draft",
  validUntil: null,
  discount: { type: "none" },
  notes: null,
  ...totals(lines),
  lines,
  invoiceId: null,
  createdAt: created,
  updatedAt: created,
  ...fields
})

const makeInvoice = (
  customer: Customer,
  lines: ReadonlyArray<InvoiceLine>,
  fields: Partial<NewInvoiceRecord> = {}
): NewInvoiceRecord => ({
  id: InvoiceId.make(v7()),
  customerId: customer.id,
  quoteId: null,
  billingPeriod: null,
  status: "draft",
  issueDate: null,
  dueDate: null,
  discount: { type: "none" },
  notes: null,
  ...totals(lines),
  lines,
  paidCents: 0,
  createdAt: created,
  updatedAt: created,
  ...fields
})

/** A line with a quantity of 2.5 hours, a 12.5% line discount, a document share and 8.875% tax. */
const richLine = (position: number, serviceId: ServiceId | null): DocumentLine =>
  line(position, {
    serviceId,
    description: "Crack injection",
    quantity: 2.5,
    unitPriceCents: 12_345,
    discount: { type: "percent", percent: 12.5 },
    taxCode: "nyc",
    taxRatePercent: 8.875,
    subtotalCents: 30_863,
    discountCents: 3_858,
    totalCents: 27_005,
    documentDiscountCents: 1_000,
    taxCents: 2_308,
    amountCents: 28_313
  })

/** A small quantity (0.125) with a fixed discount and no tax. */
const smallLine = (position: number): DocumentLine =>
  line(position, {
    description: "Sealant, partial tube",
    quantity: 0.125,
    unitPriceCents: 800,
    discount: { type: "fixed", amountCents: 50 },
    subtotalCents: 100,
    discountCents: 50,
    totalCents: 50,
    amountCents: 50
  })

const sortedIds = <A extends string>(ids: ReadonlyArray<A>) => [...ids].sort()

layer(repositories, { timeout: 120_000 })("billing repositories on PostgreSQL", (it) => {
  it.effect("customers: round trip, update, lock, search, status filter and pages", () =>
    Effect.gen(function*() {
      const repo = yield* CustomerRepository
      const sql = yield* SqlClient.SqlClient
      const contactId = ContactId.make(v7())
      yield* sql`INSERT INTO contacts (id, first_name, created_at, updated_at) VALUES (${contactId}, 'Ann', now(), now())`
      const full = makeCustomer({
        companyName: "Quartzite Builders",
        legalBusinessName: "Quartzite Builders LLC",
        email: "billing@quartzite.example",
        phone: "+14155552671",
        billingAddress: { street: "1 Main St", city: "Austin", state: "TX", postalCode: "78701" },
        primaryContactId: contactId,
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
      yield* repo.update(changed)
      assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(changed))
      assert.deepStrictEqual(yield* sql.withTransaction(repo.findByIdForUpdate(full.id)), Option.some(changed))
      assert.isTrue(Option.isNone(yield* repo.findById(CustomerId.make(v7()))))

      const a = makeCustomer({ companyName: "Zebulon Slab Co", email: "office@zebulon.example" })
      const b = makeCustomer({ companyName: "Zebulon Basements", phone: "+15035550142" })
      const c = makeCustomer({ companyName: "Zebulon 100%_ Foundations", status: "archived" })
      for (const customer of [a, b, c]) yield* repo.insert(customer)
      const ids = (list: ReadonlyArray<Customer>) => list.map((customer) => customer.id)
      const all = { limit: 50 }
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "zebulon" })), sortedIds([a.id, b.id]))
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "ZEBULON", status: "all" })), sortedIds([a.id, b.id, c.id]))
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "zebulon", status: "archived" })), [c.id])
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "slab zebulon" })), [a.id])
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "zebulon.example" })), [a.id])
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "(503) 555-0142" })), [b.id])
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "100%_", status: "all" })), [c.id])
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "0%_x", status: "all" })), [])
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "quartzite" })), [])
      assert.deepStrictEqual(ids(yield* repo.list({ ...all, q: "quartzite", status: "all" })), [full.id])
      const order = sortedIds([a.id, b.id, c.id])
      const first = yield* repo.list({ q: "zebulon", status: "all", limit: 2 })
      assert.deepStrictEqual(ids(first), order.slice(0, 2))
      const rest = yield* repo.list({ q: "zebulon", status: "all", limit: 2, after: first[1]!.id })
      assert.deepStrictEqual(ids(rest), order.slice(2))
    }))

  it.effect("customers: delete outcomes and open invoice count", () =>
    Effect.gen(function*() {
      const customers = yield* CustomerRepository
      const invoices = yield* InvoiceRepository
      const free = makeCustomer()
      const billed = makeCustomer()
      yield* customers.insert(free)
      yield* customers.insert(billed)
      assert.strictEqual(yield* customers.delete(free.id), "deleted")
      assert.strictEqual(yield* customers.delete(free.id), "absent")
      assert.strictEqual(yield* customers.openInvoiceCount(billed.id), 0)
      const draft = makeInvoice(billed, [invoiceLine(0)])
      const issued = makeInvoice(billed, [invoiceLine(0)], { status: "issued", issueDate: "2026-03-01", dueDate: "2026-03-31" })
      const partly = makeInvoice(billed, [invoiceLine(0)], {
        status: "partially_paid",
        issueDate: "2026-03-01",
        dueDate: "2026-03-31",
        paidCents: 100
      })
      const paid = makeInvoice(billed, [invoiceLine(0)], {
        status: "paid",
        issueDate: "2026-03-01",
        dueDate: "2026-03-31",
        paidCents: 5_000
      })
      yield* invoices.insertMany([draft, issued, partly, paid])
      assert.strictEqual(yield* customers.openInvoiceCount(billed.id), 2)
      // Inside a transaction the refused delete is a savepoint: the transaction goes on.
      const sql = yield* SqlClient.SqlClient
      const inUse = yield* sql.withTransaction(Effect.gen(function*() {
        const outcome = yield* customers.delete(billed.id)
        return [outcome, yield* customers.findById(billed.id)] as const
      })).pipe(Effect.orDie)
      assert.strictEqual(inUse[0], "in-use")
      assert.isTrue(Option.isSome(inUse[1]))
    }))

  it.effect("services: round trip, findByIds, name-taken on insert and update, search and filters", () =>
    Effect.gen(function*() {
      const repo = yield* ServiceRepository
      const sql = yield* SqlClient.SqlClient
      const wall = makeService({
        name: "Wall Crack Repair",
        description: "Epoxy injection",
        unit: "linear_foot",
        unitPriceCents: 1_000_000_000_000,
        recurring: "monthly"
      })
      assert.strictEqual(yield* repo.insert(wall), "ok")
      assert.deepStrictEqual(yield* repo.findById(wall.id), Option.some(wall))
      assert.strictEqual(yield* repo.insert(makeService({ name: "wall crack REPAIR" })), "name-taken")
      // A retired name may be reused, and reusing it leaves the retired one alone.
      const retired = makeService({ name: "Sump Pump Check", active: false })
      const current = makeService({ name: "sump pump check" })
      assert.strictEqual(yield* repo.insert(retired), "ok")
      assert.strictEqual(yield* repo.insert(current), "ok")
      assert.strictEqual(yield* repo.update({ ...retired, active: true }), "name-taken")
      assert.strictEqual(yield* repo.update({ ...current, name: "Wall crack repair" }), "name-taken")
      // Inside a transaction the refusal is a savepoint: the transaction goes on and commits.
      const renamed: CatalogService = { ...current, name: "Sump Pump Service", taxable: false, updatedAt: updated }
      const outcomes = yield* sql.withTransaction(Effect.gen(function*() {
        const refused = yield* repo.update({ ...current, name: "WALL CRACK REPAIR" })
        const accepted = yield* repo.update(renamed)
        return [refused, accepted] as const
      })).pipe(Effect.orDie)
      assert.deepStrictEqual(outcomes, ["name-taken", "ok"])
      assert.deepStrictEqual(yield* repo.findById(current.id), Option.some(renamed))
      assert.strictEqual(yield* repo.update({ ...retired, active: true }), "ok")

      const found = yield* repo.findByIds([wall.id, current.id, ServiceId.make(v7())])
      assert.deepStrictEqual(sortedIds(found.map((s) => s.id)), sortedIds([wall.id, current.id]))
      assert.deepStrictEqual(yield* repo.findByIds([]), [])

      const x1 = makeService({ name: "Xylo 50% Grout" })
      const x2 = makeService({ name: "Xylo Grout", active: false })
      const x3 = makeService({ name: "Xylo Membrane" })
      for (const service of [x1, x2, x3]) assert.strictEqual(yield* repo.insert(service), "ok")
      const ids = (list: ReadonlyArray<CatalogService>) => list.map((service) => service.id)
      assert.deepStrictEqual(ids(yield* repo.list({ q: "xylo", limit: 10 })), sortedIds([x1.id, x2.id, x3.id]))
      assert.deepStrictEqual(ids(yield* repo.list({ q: "XYLO grout", limit: 10 })), sortedIds([x1.id, x2.id]))
      assert.deepStrictEqual(ids(yield* repo.list({ q: "xylo", active: true, limit: 10 })), sortedIds([x1.id, x3.id]))
      assert.deepStrictEqual(ids(yield* repo.list({ q: "xylo", active: false, limit: 10 })), [x2.id])
      assert.deepStrictEqual(ids(yield* repo.list({ q: "50%", limit: 10 })), [x1.id])
      assert.deepStrictEqual(ids(yield* repo.list({ q: "o_g", limit: 10 })), [])
      const order = sortedIds([x1.id, x2.id, x3.id])
      const first = yield* repo.list({ q: "xylo", limit: 1 })
      assert.deepStrictEqual(ids(first), order.slice(0, 1))
      assert.deepStrictEqual(ids(yield* repo.list({ q: "xylo", limit: 5, after: first[0]!.id })), order.slice(1))
    }))

  it.effect("services and purchases: delete outcomes", () =>
    Effect.gen(function*() {
      const services = yield* ServiceRepository
      const customers = yield* CustomerRepository
      const purchases = yield* CustomerServiceRepository
      const invoices = yield* InvoiceRepository
      const customer = makeCustomer()
      yield* customers.insert(customer)
      const unused = makeService()
      const bought = makeService()
      const quoted = makeService()
      for (const service of [unused, bought, quoted]) yield* services.insert(service)
      assert.strictEqual(yield* services.delete(unused.id), "deleted")
      assert.strictEqual(yield* services.delete(unused.id), "absent")
      const purchase = makePurchase(customer, bought)
      yield* purchases.insert(purchase)
      assert.strictEqual(yield* services.delete(bought.id), "in-use")
      yield* (yield* QuoteRepository).insert(makeQuote(customer, [line(0, { serviceId: quoted.id })]))
      assert.strictEqual(yield* services.delete(quoted.id), "in-use")
      assert.strictEqual(yield* customers.delete(customer.id), "in-use")

      const spare = makePurchase(customer, bought)
      yield* purchases.insert(spare)
      assert.strictEqual(yield* purchases.delete(spare.id), "deleted")
      assert.strictEqual(yield* purchases.delete(spare.id), "absent")
      yield* invoices.insertMany([makeInvoice(customer, [invoiceLine(0, { customerServiceId: purchase.id })])])
      assert.strictEqual(yield* purchases.delete(purchase.id), "in-use")
      assert.isTrue(Option.isSome(yield* purchases.findById(purchase.id)))
    }))

  it.effect("purchases: round trip with names, decimals, discounts and dates; update; filters and pages", () =>
    Effect.gen(function*() {
      const services = yield* ServiceRepository
      const customers = yield* CustomerRepository
      const repo = yield* CustomerServiceRepository
      const alice = makeCustomer({ companyName: "Alice Basements" })
      const bob = makeCustomer({ companyName: "Bob Slabs" })
      yield* customers.insert(alice)
      yield* customers.insert(bob)
      const inspection = makeService({ name: `Inspection ${v7()}`, recurring: "quarterly", unitPriceCents: 7_500 })
      const sealing = makeService({ name: `Sealing ${v7()}`, recurring: "monthly" })
      yield* services.insert(inspection)
      yield* services.insert(sealing)
      const p1 = makePurchase(alice, inspection, {
        quantity: 2.5,
        unitPriceCents: 7_000,
        discount: { type: "percent", percent: 12.5 },
        startDate: "2026-01-31",
        endDate: "2026-12-31"
      })
      const p2 = makePurchase(alice, sealing, { quantity: 0.125, discount: { type: "fixed", amountCents: 250 }, status: "paused" })
      const p3 = makePurchase(bob, inspection, { quantity: 1000000, startDate: "2024-02-29" })
      for (const purchase of [p1, p2, p3]) yield* repo.insert(purchase)
      assert.deepStrictEqual(
        yield* repo.findById(p1.id),
        Option.some({ ...p1, companyName: "Alice Basements", serviceName: inspection.name, recurring: "quarterly" as const })
      )
      const read2 = yield* repo.findById(p2.id)
      assert.deepStrictEqual(
        read2,
        Option.some({ ...p2, companyName: "Alice Basements", serviceName: sealing.name, recurring: "monthly" as const })
      )
      assert.isTrue(Option.isNone(yield* repo.findById(CustomerServiceId.make(v7()))))

      const changed: CustomerService = {
        ...p1,
        quantity: 12.125,
        discount: { type: "percent", percent: 0.01 },
        endDate: null,
        status: "cancelled",
        updatedAt: updated
      }
      yield* repo.update(changed)
      const read1 = yield* repo.findById(p1.id)
      assert.isTrue(Option.isSome(read1))
      if (Option.isSome(read1)) {
        const { companyName: _c, serviceName: _s, recurring: _r, ...purchase } = read1.value
        assert.deepStrictEqual(purchase, changed)
      }

      const ids = (list: ReadonlyArray<{ readonly id: CustomerServiceId }>) => list.map((p) => p.id)
      assert.deepStrictEqual(ids(yield* repo.list({ customerId: alice.id, limit: 10 })), sortedIds([p1.id, p2.id]))
      assert.deepStrictEqual(ids(yield* repo.list({ serviceId: inspection.id, limit: 10 })), sortedIds([p1.id, p3.id]))
      assert.deepStrictEqual(ids(yield* repo.list({ customerId: alice.id, status: "paused", limit: 10 })), [p2.id])
      assert.deepStrictEqual(ids(yield* repo.list({ serviceId: inspection.id, status: "active", limit: 10 })), [p3.id])
      const listed = yield* repo.list({ customerId: bob.id, limit: 10 })
      assert.deepStrictEqual(listed, [{ ...p3, companyName: "Bob Slabs", serviceName: inspection.name, recurring: "quarterly" }])
      const order = sortedIds([p1.id, p2.id])
      const first = yield* repo.list({ customerId: alice.id, limit: 1 })
      assert.deepStrictEqual(ids(first), order.slice(0, 1))
      assert.deepStrictEqual(ids(yield* repo.list({ customerId: alice.id, limit: 1, after: first[0]!.id })), order.slice(1))
    }))

  it.effect("tax rates: lookup, list and find", () =>
    Effect.gen(function*() {
      const table = yield* TaxRateTable
      const sql = yield* SqlClient.SqlClient
      yield* sql`
        INSERT INTO tax_rates (code, name, rate_percent) VALUES
          ('nyc', 'New York City', 8.875), ('reduced', 'Reduced', 4.5), ('tiny', 'Tiny', 0.0001), ('all', 'All', 100)`
      assert.deepStrictEqual(yield* table.find("standard"), Option.some({ code: "standard", name: "Standard sales tax", ratePercent: 0 }))
      assert.deepStrictEqual(yield* table.find("nyc"), Option.some({ code: "nyc", name: "New York City", ratePercent: 8.875 }))
      assert.isTrue(Option.isNone(yield* table.find("nowhere")))
      const found = yield* table.lookup(["nyc", "tiny", "nowhere", "nyc", "all"])
      assert.deepStrictEqual(
        [...found.entries()].sort(([x], [y]) => x.localeCompare(y)),
        [
          ["all", { code: "all", name: "All", ratePercent: 100 }],
          ["nyc", { code: "nyc", name: "New York City", ratePercent: 8.875 }],
          ["tiny", { code: "tiny", name: "Tiny", ratePercent: 0.0001 }]
        ]
      )
      assert.strictEqual((yield* table.lookup([])).size, 0)
      assert.deepStrictEqual((yield* table.list).map((rate) => [rate.code, rate.ratePercent]), [
        ["all", 100],
        ["nyc", 8.875],
        ["reduced", 4.5],
        ["standard", 0],
        ["tiny", 0.0001]
      ])
    }))

  it.effect("quotes: numbers, round trip with lines, update replaces lines, filters and pages", () =>
    Effect.gen(function*() {
      const customers = yield* CustomerRepository
      const services = yield* ServiceRepository
      const repo = yield* QuoteRepository
      const sql = yield* SqlClient.SqlClient
      const customer = makeCustomer()
      const other = makeCustomer()
      yield* customers.insert(customer)
      yield* customers.insert(other)
      const service = makeService()
      yield* services.insert(service)
      const contactId = ContactId.make(v7())
      yield* sql`INSERT INTO contacts (id, first_name, created_at, updated_at) VALUES (${contactId}, 'Quinn', now(), now())`

      const lines = [richLine(0, service.id), smallLine(1), line(2)]
      const record = makeQuote(customer, lines, {
        contactId,
        validUntil: "2026-04-30",
        discount: { type: "fixed", amountCents: 1_000 },
        notes: "Includes cleanup"
      })
      const number = yield* repo.insert(record)
      assert.deepStrictEqual(yield* repo.findById(record.id), Option.some({ ...record, number }))
      const second = makeQuote(customer, [line(0)], { status: "sent", discount: { type: "percent", percent: 12.5 } })
      const secondNumber = yield* repo.insert(second)
      assert.isAbove(secondNumber, number)
      assert.deepStrictEqual(yield* repo.findById(second.id), Option.some({ ...second, number: secondNumber }))

      const replaced = [smallLine(0)]
      const changed = {
        ...record,
        ...totals(replaced),
        number,
        status: "accepted" as const,
        validUntil: null,
        discount: { type: "none" as const },
        notes: null,
        lines: replaced,
        updatedAt: updated
      }
      yield* repo.update(changed)
      assert.deepStrictEqual(yield* sql.withTransaction(repo.findByIdForUpdate(record.id)), Option.some(changed))
      // `expired` is how a sent quote reads; it is stored as sent.
      yield* repo.update({ ...second, number: secondNumber, status: "expired" })
      assert.strictEqual(Option.getOrThrow(yield* repo.findById(second.id)).status, "sent")
      assert.isTrue(Option.isNone(yield* repo.findById(QuoteId.make(v7()))))

      const third = makeQuote(other, [line(0), line(1, { description: "Second" })])
      const thirdNumber = yield* repo.insert(third)
      const ids = (list: ReadonlyArray<{ readonly id: QuoteId }>) => list.map((q) => q.id)
      const mine = yield* repo.list({ customerId: customer.id, limit: 10 })
      assert.deepStrictEqual(ids(mine), sortedIds([record.id, second.id]))
      assert.deepStrictEqual(mine.find((q) => q.id === record.id), changed)
      assert.deepStrictEqual(ids(yield* repo.list({ customerId: customer.id, status: "sent", limit: 10 })), [second.id])
      assert.deepStrictEqual(yield* repo.list({ customerId: other.id, limit: 10 }), [{ ...third, number: thirdNumber }])
      const first = yield* repo.list({ customerId: customer.id, limit: 1 })
      assert.deepStrictEqual(ids(first), sortedIds([record.id, second.id]).slice(0, 1))
      assert.strictEqual(first[0]!.lines.length, 1)
      assert.deepStrictEqual(
        ids(yield* repo.list({ customerId: customer.id, limit: 10, after: first[0]!.id })),
        sortedIds([record.id, second.id]).slice(1)
      )
    }))

  it.effect("invoices: round trip with billing-run lines, quote link, header updates, filters and pages", () =>
    Effect.gen(function*() {
      const customers = yield* CustomerRepository
      const services = yield* ServiceRepository
      const purchases = yield* CustomerServiceRepository
      const quotes = yield* QuoteRepository
      const repo = yield* InvoiceRepository
      const customer = makeCustomer()
      const other = makeCustomer()
      yield* customers.insert(customer)
      yield* customers.insert(other)
      const service = makeService({ recurring: "monthly" })
      yield* services.insert(service)
      const purchase = makePurchase(customer, service, { startDate: "2026-03-15" })
      yield* purchases.insert(purchase)
      const quote = makeQuote(customer, [line(0)], { status: "accepted" })
      const quoteNumber = yield* quotes.insert(quote)

      const runLine: InvoiceLine = {
        ...richLine(0, service.id),
        customerServiceId: purchase.id,
        periodFrom: "2026-03-01",
        periodTo: "2026-03-31"
      }
      const lines = [runLine, { ...smallLine(1), customerServiceId: null, periodFrom: null, periodTo: null }]
      const record = makeInvoice(customer, lines, {
        quoteId: quote.id,
        billingPeriod: "2026-03",
        discount: { type: "percent", percent: 12.5 },
        notes: "March"
      })
      const [number] = yield* repo.insertMany([record])
      assert.isDefined(number)
      const stored: Invoice = { ...record, number: number! }
      assert.deepStrictEqual(yield* repo.findById(record.id), Option.some(stored))
      yield* quotes.update({ ...quote, number: quoteNumber, invoiceId: record.id })
      assert.strictEqual(Option.getOrThrow(yield* quotes.findById(quote.id)).invoiceId, record.id)

      const issued: Invoice = { ...stored, status: "issued", issueDate: "2026-03-02", dueDate: "2026-04-01", updatedAt: updated }
      yield* repo.updateHeader(issued)
      const sql = yield* SqlClient.SqlClient
      assert.deepStrictEqual(yield* sql.withTransaction(repo.findByIdForUpdate(record.id)), Option.some(issued))
      // Only the header changes: notes and lines are as stored.
      yield* repo.updateHeader({ ...issued, notes: "ignored", lines: [], paidCents: 100, status: "partially_paid" })
      assert.deepStrictEqual(
        yield* repo.findById(record.id),
        Option.some({ ...issued, paidCents: 100, status: "partially_paid" as const })
      )
      assert.isTrue(Option.isNone(yield* repo.findById(InvoiceId.make(v7()))))
      assert.deepStrictEqual(yield* repo.insertMany([]), [])

      const d1 = makeInvoice(other, [invoiceLine(0)])
      const d2 = makeInvoice(other, [invoiceLine(0), invoiceLine(1)], { status: "void" })
      const d3 = makeInvoice(other, [invoiceLine(0)], { status: "issued", issueDate: "2026-02-28", dueDate: "2026-02-28" })
      const numbers = yield* repo.insertMany([d1, d2, d3])
      const ids = (list: ReadonlyArray<Invoice>) => list.map((i) => i.id)
      const theirs = yield* repo.list({ customerId: other.id, limit: 10 })
      assert.deepStrictEqual(theirs, [d1, d2, d3].map((d, i) => ({ ...d, number: numbers[i]! })))
      assert.deepStrictEqual(ids(yield* repo.list({ customerId: other.id, status: "void", limit: 10 })), [d2.id])
      assert.deepStrictEqual(ids(yield* repo.list({ customerId: customer.id, status: "partially_paid", limit: 10 })), [record.id])
      const first = yield* repo.list({ customerId: other.id, limit: 2 })
      assert.deepStrictEqual(ids(first), [d1.id, d2.id])
      assert.deepStrictEqual(ids(yield* repo.list({ customerId: other.id, limit: 2, after: first[1]!.id })), [d3.id])
    }))

  it.effect("invoices: payments with allocations, oldest first, and paid by line", () =>
    Effect.gen(function*() {
      const customers = yield* CustomerRepository
      const repo = yield* InvoiceRepository
      const customer = makeCustomer()
      yield* customers.insert(customer)
      const invoice = makeInvoice(customer, [invoiceLine(0), invoiceLine(1), invoiceLine(2)], {
        status: "issued",
        issueDate: "2026-03-01",
        dueDate: "2026-03-31"
      })
      yield* repo.insertMany([invoice])
      assert.strictEqual((yield* repo.paidByLine(invoice.id)).size, 0)
      assert.deepStrictEqual(yield* repo.payments(invoice.id), [])
      const payment = (amountCents: number, paidAt: string, fields: Partial<Payment> = {}): Payment => ({
        id: PaymentId.make(v7()),
        invoiceId: invoice.id,
        amountCents,
        paidAt: at(paidAt),
        method: "check",
        reference: null,
        createdAt: updated,
        ...fields
      })
      const later = payment(6_000, "2026-03-20T15:04:05.123Z", { method: "card", reference: "receipt 42" })
      const earlier = payment(3_000, "2026-03-05T00:00:00Z")
      yield* repo.addPayment(later, [{ position: 0, amountCents: 5_000 }, { position: 1, amountCents: 1_000 }])
      yield* repo.addPayment(earlier, [{ position: 1, amountCents: 2_500 }, { position: 2, amountCents: 500 }])
      assert.deepStrictEqual(yield* repo.payments(invoice.id), [earlier, later])
      assert.deepStrictEqual(
        [...(yield* repo.paidByLine(invoice.id)).entries()].sort(([x], [y]) => x - y),
        [[0, 5_000], [1, 3_500], [2, 500]]
      )
    }))

  it.effect("invoices: insertMany stores 2,500 invoices with 2 lines each and answers numbers in input order", () =>
    Effect.gen(function*() {
      const customers = yield* CustomerRepository
      const repo = yield* InvoiceRepository
      const sql = yield* SqlClient.SqlClient
      const count = 2_500
      const billed = Array.from({ length: count }, (_, i) => makeCustomer({ companyName: `Bulk ${i}` }))
      yield* sql`
        INSERT INTO customers (id, company_name, created_at, updated_at)
        SELECT id, company_name, ${DateTime.toDateUtc(created)}, ${DateTime.toDateUtc(created)}
          FROM unnest(${billed.map((c) => c.id)}::uuid[], ${billed.map((c) => c.companyName)}::text[]) AS t (id, company_name)`
        .pipe(Effect.orDie)
      assert.isTrue(Option.isSome(yield* customers.findById(billed[0]!.id)))
      // Input order differs from id order, so numbers cannot come back right by accident of sorting.
      const records = billed.map((customer, i) =>
        makeInvoice(customer, [invoiceLine(0, { quantity: 2.5 }), invoiceLine(1, { description: `Bulk line ${i}` })], {
          billingPeriod: "2026-05",
          notes: `#${i}`
        })
      ).reverse()
      const started = Date.now()
      const numbers = yield* repo.insertMany(records)
      const elapsed = Date.now() - started
      assert.strictEqual(numbers.length, count)
      for (let i = 1; i < count; i++) assert.isAbove(numbers[i]!, numbers[i - 1]!)
      assert.isBelow(elapsed, 20_000)
      const rows = yield* sql<{ readonly notes: string; readonly number: bigint | string; readonly lines: number }>`
        SELECT i.notes, i.number, (SELECT count(*)::int FROM invoice_lines l WHERE l.invoice_id = i.id) AS lines
          FROM invoices i WHERE i.billing_period = '2026-05'`.pipe(Effect.orDie)
      assert.strictEqual(rows.length, count)
      const byNote = new Map(rows.map((row) => [row.notes, row]))
      records.forEach((record, i) => {
        const row = byNote.get(record.notes!)
        assert.strictEqual(Number(row?.number), numbers[i])
        assert.strictEqual(row?.lines, 2)
      })
      const sample = records[1_234]!
      assert.deepStrictEqual(yield* repo.findById(sample.id), Option.some({ ...sample, number: numbers[1_234]! }))
    }))
})
