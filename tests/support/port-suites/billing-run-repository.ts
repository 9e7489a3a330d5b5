import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { v7 } from "uuid"
import { BillingRunRepository } from "../../../application/ports/billing-run-repository.ts"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { CustomerServiceRepository } from "../../../application/ports/customer-service-repository.ts"
import { InvoiceRepository } from "../../../application/ports/invoice-repository.ts"
import { ServiceRepository } from "../../../application/ports/service-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { type BillingRun, BillingRunId } from "../../../domain/billing/billing-run.ts"
import { idsOf, invoiceLine, makeCustomer, makeInvoice, makePurchase, makeRun, makeService } from "./fixtures.ts"
import { allPages } from "./paging.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const billingRunRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    // Reports are stored with only the skip reasons that occurred: reading
    // them back is what answered 500 once any run existed.
    it.effect("stores a run report and reads it back, skips naming only the reasons that occurred", () =>
      Effect.gen(function*() {
        const repo = yield* BillingRunRepository
        const skipped = { customerServiceId: v7(), customerId: v7(), reason: "not-due" as const }
        const full = makeRun({
          customersBilled: 3,
          invoicesCreated: 2,
          invoicesExisting: 1,
          lines: 4,
          totalCents: 1_000_000_000_000,
          skippedByReason: { "not-due": 1, "already-invoiced": 2 },
          skipped: [skipped, { ...skipped, reason: "already-invoiced" }, { ...skipped, reason: "already-invoiced" }]
        })
        const empty = makeRun({ period: "2026-12" })
        yield* repo.insert(full)
        yield* repo.insert(empty)
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(full))
        assert.deepStrictEqual(yield* repo.findById(empty.id), Option.some(empty))
        assert.isTrue(Option.isNone(yield* repo.findById(BillingRunId.make(v7()))))
      }))

    it.effect("lists runs in id order, by period, a page at a time", () =>
      Effect.gen(function*() {
        const repo = yield* BillingRunRepository
        const runs = [
          makeRun({ period: "2030-01", skippedByReason: { ended: 1 } }),
          makeRun({ period: "2030-02", skippedByReason: { "invalid-price": 1, "customer-archived": 1 } }),
          makeRun({ period: "2030-01" })
        ]
        for (const run of [...runs].reverse()) yield* repo.insert(run)
        const [a, b, c] = [runs[0]!, runs[1]!, runs[2]!]
        assert.deepStrictEqual(yield* repo.list({ period: "2030-01", limit: 10 }), [a, c])
        assert.deepStrictEqual(yield* repo.list({ period: "2030-02", limit: 10 }), [b])
        assert.deepStrictEqual(yield* repo.list({ period: "2030-03", limit: 10 }), [])
        const everything = yield* repo.list({ limit: 1_000 })
        assert.deepStrictEqual(everything.filter((run) => run.period.startsWith("2030")), runs)
        const pages = yield* allPages((after: BillingRun | undefined) => repo.list({ limit: 2, after: after?.id }), 2)
        assert.deepStrictEqual(pages.flat(), everything)
        assert.deepStrictEqual(idsOf(everything), [...idsOf(everything)].sort())
        assert.deepStrictEqual(yield* repo.list({ period: "2030-01", limit: 1, after: a.id }), [c])
      }))

    it.effect("finds the active recurring purchases that touch a month, in customer order, with what pricing needs", () =>
      Effect.gen(function*() {
        const repo = yield* BillingRunRepository
        const purchases = yield* CustomerServiceRepository
        const exempt = makeCustomer({ companyName: "Exempt Co", taxExempt: true })
        const archived = makeCustomer({ companyName: "Archived Co", status: "archived" })
        for (const customer of [exempt, archived]) yield* (yield* CustomerRepository).insert(customer)
        const monthly = makeService({ recurring: "monthly", taxable: true })
        const yearly = makeService({ recurring: "yearly", taxable: false })
        const oneOff = makeService({ recurring: "none" })
        for (const service of [monthly, yearly, oneOff]) yield* (yield* ServiceRepository).insert(service)
        const bounds = { from: "2026-11-01", to: "2026-11-30" }
        const due = [
          makePurchase(exempt, monthly),
          makePurchase(exempt, yearly, { startDate: "2026-11-30" }),
          makePurchase(archived, monthly, { endDate: "2026-11-01" }),
          makePurchase(exempt, monthly, { startDate: "2025-11-30", endDate: "2027-01-01", quantity: 2.5 })
        ]
        const notDue = [
          makePurchase(exempt, monthly, { status: "paused" }),
          makePurchase(exempt, monthly, { status: "cancelled" }),
          makePurchase(exempt, oneOff),
          makePurchase(exempt, monthly, { endDate: "2026-10-31" }),
          makePurchase(exempt, monthly, { startDate: "2026-12-01" })
        ]
        for (const purchase of [...due, ...notDue]) yield* purchases.insert(purchase)
        const found = yield* repo.activeServices(bounds)
        const keys = found.map((s) => `${s.customerId} ${s.id}`)
        assert.deepStrictEqual(keys, [...keys].sort())
        const mine = new Set<string>([...due, ...notDue].map((p) => p.id))
        const expected = yield* Effect.forEach(due, (purchase) =>
          Effect.map(purchases.findById(purchase.id), (details) => ({
            ...Option.getOrThrow(details),
            customerStatus: purchase.customerId === archived.id ? "archived" as const : "active" as const,
            taxExempt: purchase.customerId === exempt.id,
            taxable: purchase.serviceId === monthly.id
          })))
        assert.deepStrictEqual(
          found.filter((s) => mine.has(s.id)),
          expected.sort((x, y) => `${x.customerId} ${x.id}` < `${y.customerId} ${y.id}` ? -1 : 1)
        )
      }))

    it.effect("names the customers already invoiced for a period, with their invoice, and locks a period in a transaction", () =>
      Effect.gen(function*() {
        const repo = yield* BillingRunRepository
        const [billed, otherPeriod, unbilled] = [makeCustomer(), makeCustomer(), makeCustomer()]
        for (const customer of [billed, otherPeriod, unbilled]) yield* (yield* CustomerRepository).insert(customer)
        const invoice = makeInvoice(billed, [invoiceLine(0)], { billingPeriod: "2032-01", status: "void" })
        yield* (yield* InvoiceRepository).insertMany([
          invoice,
          makeInvoice(otherPeriod, [invoiceLine(0)], { billingPeriod: "2032-02" }),
          makeInvoice(unbilled, [invoiceLine(0)])
        ])
        assert.deepStrictEqual([...(yield* repo.invoicedCustomers("2032-01")).entries()], [[billed.id, invoice.id]])
        assert.strictEqual((yield* repo.invoicedCustomers("2032-03")).size, 0)
        yield* (yield* Transactor).withTransaction(repo.lockPeriod("2032-01"))
      }))
  })
