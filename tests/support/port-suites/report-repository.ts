import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { InvoiceRepository } from "../../../application/ports/invoice-repository.ts"
import { ReportRepository, type RevenueRowKey } from "../../../application/ports/report-repository.ts"
import { ServiceRepository } from "../../../application/ports/service-repository.ts"
import type { Customer } from "../../../domain/billing/customer.ts"
import type { InvoiceLine } from "../../../domain/billing/document-line.ts"
import { invoiceLine, makeCustomer, makeInvoice, makePayment, makeService } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const reportRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    const customers = (...names: ReadonlyArray<string>) =>
      Effect.gen(function*() {
        const made = names.map((companyName) => makeCustomer({ companyName }))
        for (const customer of made) yield* (yield* CustomerRepository).insert(customer)
        return made
      })
    /** An invoice, stored, with its status and dates. */
    const invoice = (customer: Customer, lines: ReadonlyArray<InvoiceLine>, fields: Parameters<typeof makeInvoice>[2]) =>
      Effect.gen(function*() {
        const record = makeInvoice(customer, lines, fields)
        yield* (yield* InvoiceRepository).insertMany([record])
        return record
      })

    // Every invoice here is paid in full, so none of them shows in receivables.
    it.effect("sums invoiced revenue by issue date and paid revenue by payment date, grouped by month, customer or service", () =>
      Effect.gen(function*() {
        const reports = yield* ReportRepository
        const invoices = yield* InvoiceRepository
        const [beta, alpha] = yield* customers("Beta Co", "Alpha Co")
        const zeta = makeService({ name: "Zeta Sealing" })
        const eta = makeService({ name: "Eta Inspection" })
        for (const service of [zeta, eta]) yield* (yield* ServiceRepository).insert(service)
        const paidIn = (issueDate: string) => ({ status: "paid" as const, issueDate, dueDate: issueDate })

        const january = yield* invoice(beta!, [invoiceLine(0, { serviceId: zeta.id }), invoiceLine(1)], { ...paidIn("2031-01-10"), paidCents: 10_000 })
        yield* invoices.addPayment(makePayment(january.id, 10_000, "2031-02-03T12:00:00Z"), [
          { position: 0, amountCents: 5_000 },
          { position: 1, amountCents: 5_000 }
        ])
        const february = yield* invoice(alpha!, [invoiceLine(0, { serviceId: eta.id })], { ...paidIn("2031-02-20"), paidCents: 5_000 })
        yield* invoices.addPayment(makePayment(february.id, 5_000, "2031-03-01T12:00:00Z"), [{ position: 0, amountCents: 5_000 }])
        // Issued before the range, paid inside it: only the payment counts.
        const december = yield* invoice(beta!, [invoiceLine(0, { serviceId: zeta.id })], { ...paidIn("2030-12-31"), paidCents: 5_000 })
        yield* invoices.addPayment(makePayment(december.id, 5_000, "2031-01-05T12:00:00Z"), [{ position: 0, amountCents: 5_000 }])
        // Drafts and voided invoices are not revenue.
        yield* invoice(alpha!, [invoiceLine(0, { serviceId: eta.id })], { issueDate: "2031-01-15", dueDate: "2031-01-15" })
        yield* invoice(alpha!, [invoiceLine(0, { serviceId: eta.id })], { status: "void", issueDate: "2031-01-15", dueDate: "2031-01-15" })

        const range = { from: "2031-01-01", to: "2031-12-31" }
        assert.deepStrictEqual(yield* reports.revenue({ ...range, groupBy: "month" }), [
          { key: "2031-01", label: "2031-01", invoicedCents: 10_000, paidCents: 5_000 },
          { key: "2031-02", label: "2031-02", invoicedCents: 5_000, paidCents: 10_000 },
          { key: "2031-03", label: "2031-03", invoicedCents: 0, paidCents: 5_000 }
        ])
        assert.deepStrictEqual(yield* reports.revenue({ ...range, groupBy: "customer" }), [
          { key: alpha!.id, label: "Alpha Co", invoicedCents: 5_000, paidCents: 5_000 },
          { key: beta!.id, label: "Beta Co", invoicedCents: 10_000, paidCents: 15_000 }
        ])
        assert.deepStrictEqual(yield* reports.revenue({ ...range, groupBy: "service" }), [
          { key: eta.id, label: "Eta Inspection", invoicedCents: 5_000, paidCents: 5_000 },
          { key: zeta.id, label: "Zeta Sealing", invoicedCents: 5_000, paidCents: 10_000 },
          { key: null, label: "Lines without a service", invoicedCents: 5_000, paidCents: 5_000 }
        ])
        // Both ends of the range count.
        assert.deepStrictEqual(yield* reports.revenue({ from: "2031-01-10", to: "2031-01-10", groupBy: "month" }), [
          { key: "2031-01", label: "2031-01", invoicedCents: 10_000, paidCents: 0 }
        ])
        assert.deepStrictEqual(yield* reports.revenue({ from: "2035-01-01", to: "2035-12-31", groupBy: "customer" }), [])
      }))

    it.effect("pages the customer grouping in (name, id) order, whatever the names' case", () =>
      Effect.gen(function*() {
        const reports = yield* ReportRepository
        // Two customers share a name: the id breaks the tie.
        const made = yield* customers("beta co", "Beta Co", "alpha co", "Beta Co", "Échelle Ltd")
        for (const [i, customer] of made.entries()) {
          yield* invoice(customer, [invoiceLine(0)], { status: "paid", issueDate: `2033-01-0${i + 1}`, dueDate: "2033-02-01", paidCents: 5_000 })
        }
        const range = { from: "2033-01-01", to: "2033-01-31", groupBy: "customer" as const }
        const everything = yield* reports.revenue(range)
        // Names compare by code point, as in memory, whatever the database's collation
        // (report-collation-postgres.test.ts runs this on a linguistic one).
        const [lowerBeta, upperBeta, alpha, upperBeta2, accented] = made
        assert.deepStrictEqual(everything.map((row) => row.label), ["Beta Co", "Beta Co", "alpha co", "beta co", "Échelle Ltd"])
        assert.deepStrictEqual(everything.map((row) => row.key), [
          ...[upperBeta!.id, upperBeta2!.id].sort(),
          alpha!.id,
          lowerBeta!.id,
          accented!.id
        ])
        const paged: Array<ReadonlyArray<string | null>> = []
        let after: RevenueRowKey | undefined
        for (;;) {
          const rows = yield* reports.revenue({ ...range, page: { limit: 2, after } })
          const kept = rows.slice(0, 2)
          paged.push(kept.map((row) => row.key))
          if (rows.length <= 2) break
          const last = kept[kept.length - 1]!
          after = { label: last.label, key: last.key! }
        }
        assert.deepStrictEqual(paged.flat(), everything.map((row) => row.key))
        assert.deepStrictEqual(paged.map((page) => page.length), [2, 2, 1])
      }))

    it.effect("ages open balances by days past due, per customer", () =>
      Effect.gen(function*() {
        const reports = yield* ReportRepository
        const [gamma, delta] = yield* customers("Gamma Piers", "Delta Slabs")
        const open = (customer: Customer, dueDate: string, paidCents = 0) =>
          invoice(customer, [invoiceLine(0)], {
            status: paidCents === 0 ? "issued" : "partially_paid",
            issueDate: "2031-01-01",
            dueDate,
            paidCents
          })
        yield* open(gamma!, "2031-06-30")
        yield* open(gamma!, "2031-06-10", 1_000)
        yield* open(gamma!, "2031-05-31")
        yield* open(delta!, "2031-05-30")
        yield* open(delta!, "2031-04-15")
        yield* open(delta!, "2031-04-01")
        yield* open(delta!, "2031-03-31")
        yield* invoice(delta!, [invoiceLine(0)], { status: "paid", issueDate: "2031-01-01", dueDate: "2031-01-01", paidCents: 5_000 })
        yield* invoice(delta!, [invoiceLine(0)], {})
        const mine = new Set<string>([gamma!.id, delta!.id])
        const aging = (yield* reports.receivables("2031-06-30")).filter((row) => mine.has(row.customerId))
        assert.deepStrictEqual(aging, [
          {
            customerId: delta!.id,
            companyName: "Delta Slabs",
            currentCents: 0,
            days1to30Cents: 0,
            days31to60Cents: 5_000,
            days61to90Cents: 10_000,
            days90PlusCents: 5_000,
            totalCents: 20_000
          },
          {
            customerId: gamma!.id,
            companyName: "Gamma Piers",
            currentCents: 5_000,
            days1to30Cents: 9_000,
            days31to60Cents: 0,
            days61to90Cents: 0,
            days90PlusCents: 0,
            totalCents: 14_000
          }
        ])
      }))
  })
