import { assert } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import { v7 } from "uuid"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { CustomerServiceRepository } from "../../../application/ports/customer-service-repository.ts"
import { InvoiceRepository, type InvoiceQuery } from "../../../application/ports/invoice-repository.ts"
import { QuoteRepository } from "../../../application/ports/quote-repository.ts"
import { ServiceRepository } from "../../../application/ports/service-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { plainInvoiceLine, type InvoiceLine } from "../../../domain/billing/document-line.ts"
import { type Invoice, InvoiceId } from "../../../domain/billing/invoice.ts"
import {
  idsOf,
  invoiceLine,
  line,
  makeCustomer,
  makeInvoice,
  makePayment,
  makePurchase,
  makeQuote,
  makeService,
  richLine,
  smallLine,
  sortedIds,
  updated
} from "./fixtures.ts"
import { allPages } from "./paging.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const invoiceRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    const customers = (count: number) =>
      Effect.gen(function*() {
        const made = Array.from({ length: count }, () => makeCustomer())
        for (const customer of made) yield* (yield* CustomerRepository).insert(customer)
        return made
      })

    it.effect("stores invoices with billing-run lines and a quote link, numbered in input order; none for an unknown id", () =>
      Effect.gen(function*() {
        const repo = yield* InvoiceRepository
        const [customer] = yield* customers(1)
        const service = makeService({ recurring: "monthly" })
        yield* (yield* ServiceRepository).insert(service)
        const purchase = makePurchase(customer!, service, { startDate: "2026-03-15" })
        yield* (yield* CustomerServiceRepository).insert(purchase)
        const quotes = yield* QuoteRepository
        const quote = makeQuote(customer!, [line(0)], { status: "accepted" })
        const quoteNumber = yield* quotes.insert(quote)
        const runLine: InvoiceLine = {
          ...richLine(0, service.id),
          customerServiceId: purchase.id,
          periodFrom: "2026-03-01",
          periodTo: "2026-03-31",
          // From 15 March: 17 of March's 31 days.
          prorationDays: 17,
          periodDays: 31
        }
        const record = makeInvoice(customer!, [runLine, plainInvoiceLine(smallLine(1))], {
          quoteId: quote.id,
          billingPeriod: "2026-03",
          discount: { type: "percent", percent: 12.5 },
          notes: "March"
        })
        // Input order differs from id order: numbers follow the input.
        const later = makeInvoice(customer!, [invoiceLine(0)])
        const numbers = yield* repo.insertMany([later, record])
        assert.strictEqual(numbers.length, 2)
        assert.isAbove(numbers[1]!, numbers[0]!)
        assert.deepStrictEqual(yield* repo.findById(record.id), Option.some({ ...record, number: numbers[1]! }))
        assert.deepStrictEqual(yield* repo.findById(later.id), Option.some({ ...later, number: numbers[0]! }))
        assert.isTrue(Option.isNone(yield* repo.findById(InvoiceId.make(v7()))))
        assert.deepStrictEqual(yield* repo.insertMany([]), [])
        // The quote names the invoice made from it.
        yield* quotes.update({ ...quote, number: quoteNumber, invoiceId: record.id })
        assert.strictEqual(Option.getOrThrow(yield* quotes.findById(quote.id)).invoiceId, record.id)
      }))

    it.effect("refuses a second invoice for a customer's period or for a quote, storing none of the batch", () =>
      Effect.gen(function*() {
        const repo = yield* InvoiceRepository
        const [customer, other] = yield* customers(2)
        const quote = makeQuote(customer!, [line(0)], { status: "accepted" })
        yield* (yield* QuoteRepository).insert(quote)
        yield* repo.insertMany([makeInvoice(customer!, [invoiceLine(0)], { billingPeriod: "2026-06", quoteId: quote.id })])
        const innocent = makeInvoice(other!, [invoiceLine(0)], { billingPeriod: "2026-06" })
        const samePeriod = makeInvoice(customer!, [invoiceLine(0)], { billingPeriod: "2026-06", status: "void" })
        const sameQuote = makeInvoice(other!, [invoiceLine(0)], { quoteId: quote.id })
        assert.isTrue(Exit.isFailure(yield* Effect.exit(repo.insertMany([innocent, samePeriod]))))
        assert.isTrue(Exit.isFailure(yield* Effect.exit(repo.insertMany([innocent, sameQuote]))))
        assert.isTrue(Option.isNone(yield* repo.findById(innocent.id)))
        // Another period, or no period at all, is fine.
        yield* repo.insertMany([makeInvoice(customer!, [invoiceLine(0)], { billingPeriod: "2026-07" }), makeInvoice(customer!, [invoiceLine(0)])])
        assert.strictEqual((yield* repo.list({ customerId: customer!.id, limit: 10 })).length, 3)
      }))

    it.effect("updates only the header: status, dates and paid amount", () =>
      Effect.gen(function*() {
        const repo = yield* InvoiceRepository
        const [customer] = yield* customers(1)
        const record = makeInvoice(customer!, [invoiceLine(0), invoiceLine(1)], { notes: "as stored" })
        const [number] = yield* repo.insertMany([record])
        const stored: Invoice = { ...record, number: number! }
        const issued: Invoice = { ...stored, status: "issued", issueDate: "2026-03-02", dueDate: "2026-04-01", updatedAt: updated }
        yield* repo.updateHeader(issued)
        assert.deepStrictEqual(yield* (yield* Transactor).withTransaction(repo.findByIdForUpdate(record.id)), Option.some(issued))
        yield* repo.updateHeader({ ...issued, notes: "ignored", lines: [], number: 0, createdAt: updated, paidCents: 100, status: "partially_paid" })
        assert.deepStrictEqual(yield* repo.findById(record.id), Option.some({ ...issued, paidCents: 100, status: "partially_paid" as const }))
      }))

    it.effect("filters by customer, status, billing period and overdue, and pages in id order", () =>
      Effect.gen(function*() {
        const repo = yield* InvoiceRepository
        const [customer, other] = yield* customers(2)
        const issued = { status: "issued" as const, issueDate: "2026-02-01", dueDate: "2026-02-28" }
        const draft = makeInvoice(customer!, [invoiceLine(0)])
        const voided = makeInvoice(customer!, [invoiceLine(0), invoiceLine(1)], { status: "void" })
        const late = makeInvoice(customer!, [invoiceLine(0)], { ...issued, billingPeriod: "2026-02" })
        const partly = makeInvoice(customer!, [invoiceLine(0)], { ...issued, status: "partially_paid", paidCents: 1_000 })
        const paid = makeInvoice(customer!, [invoiceLine(0)], { ...issued, status: "paid", paidCents: 5_000 })
        const notDue = makeInvoice(customer!, [invoiceLine(0)], { ...issued, dueDate: "2026-03-31" })
        const theirs = makeInvoice(other!, [invoiceLine(0)], { billingPeriod: "2026-02" })
        const mine = [draft, voided, late, partly, paid, notDue]
        const numbers = yield* repo.insertMany([...mine, theirs])
        const stored = new Map([...mine, theirs].map((invoice, i) => [invoice.id, { ...invoice, number: numbers[i]! }]))
        const ids = (query: Omit<InvoiceQuery, "limit">) => Effect.map(repo.list({ limit: 20, ...query }), idsOf)
        const byId = sortedIds(idsOf(mine))
        assert.deepStrictEqual(yield* repo.list({ customerId: customer!.id, limit: 20 }), byId.map((id) => stored.get(id)!))
        assert.deepStrictEqual(yield* ids({ customerId: customer!.id, status: "void" }), [voided.id])
        assert.deepStrictEqual(yield* ids({ billingPeriod: "2026-02" }), sortedIds([late.id, theirs.id]))
        assert.deepStrictEqual(yield* ids({ customerId: other!.id, billingPeriod: "2026-02" }), [theirs.id])
        // On 15 March: owing and past the due date.
        const today = "2026-03-15"
        assert.deepStrictEqual(yield* ids({ customerId: customer!.id, overdue: { is: true, today } }), sortedIds([late.id, partly.id]))
        assert.deepStrictEqual(
          yield* ids({ customerId: customer!.id, overdue: { is: false, today } }),
          sortedIds([draft.id, voided.id, paid.id, notDue.id])
        )
        assert.deepStrictEqual(yield* ids({ customerId: customer!.id, overdue: { is: true, today: "2026-02-28" } }), [])
        const pages = yield* allPages((after: Invoice | undefined) => repo.list({ customerId: customer!.id, limit: 4, after: after?.id }), 4)
        assert.deepStrictEqual(pages.map(idsOf), [byId.slice(0, 4), byId.slice(4)])
      }))

    it.effect("records payments with their allocations, lists them oldest first, and sums what each line was paid", () =>
      Effect.gen(function*() {
        const repo = yield* InvoiceRepository
        const [customer] = yield* customers(1)
        const invoice = makeInvoice(customer!, [invoiceLine(0), invoiceLine(1), invoiceLine(2)], {
          status: "issued",
          issueDate: "2026-03-01",
          dueDate: "2026-03-31"
        })
        const other = makeInvoice(customer!, [invoiceLine(0)], { status: "issued", issueDate: "2026-03-01", dueDate: "2026-03-31" })
        yield* repo.insertMany([invoice, other])
        assert.strictEqual((yield* repo.paidByLine(invoice.id)).size, 0)
        assert.deepStrictEqual(yield* repo.payments(invoice.id), [])
        const later = makePayment(invoice.id, 6_000, "2026-03-20T15:04:05.123Z", { method: "card", reference: "receipt 42" })
        const earlier = makePayment(invoice.id, 3_000, "2026-03-05T00:00:00Z")
        // Same instant as `earlier`, recorded after it.
        const sameTime = makePayment(invoice.id, 100, "2026-03-05T00:00:00Z", { method: "cash" })
        const elsewhere = makePayment(other.id, 700, "2026-03-01T00:00:00Z")
        yield* repo.addPayment(later, [{ position: 0, amountCents: 5_000 }, { position: 1, amountCents: 1_000 }])
        yield* repo.addPayment(earlier, [{ position: 1, amountCents: 2_500 }, { position: 2, amountCents: 500 }])
        yield* repo.addPayment(sameTime, [{ position: 2, amountCents: 100 }])
        yield* repo.addPayment(elsewhere, [{ position: 0, amountCents: 700 }])
        assert.deepStrictEqual(yield* repo.payments(invoice.id), [earlier, sameTime, later])
        assert.deepStrictEqual([...(yield* repo.paidByLine(invoice.id)).entries()].sort(([x], [y]) => x - y), [[0, 5_000], [1, 3_500], [2, 600]])
        assert.deepStrictEqual([...(yield* repo.paidByLine(other.id)).entries()], [[0, 700]])
      }))
  })
