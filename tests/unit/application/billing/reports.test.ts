import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Invoices } from "../../../../application/billing/invoices.ts"
import { Reports } from "../../../../application/billing/reports.ts"
import { TestApplication } from "../../../../application/testing/index.ts"
import { balanceCents, OPEN_STATUSES } from "../../../../domain/billing/invoice.ts"
import { aCustomer, aDraftInvoice, anIssuedInvoice, aService, newInvoice, newPayment, page, setNow } from "./billing-fixtures.ts"

const sum = (values: ReadonlyArray<number>) => values.reduce((acc, value) => acc + value, 0)

/**
 * Two customers with invoices issued from September to December 2026, some
 * paid, one draft and one void (neither counts).
 */
const books = Effect.gen(function*() {
  yield* setNow("2026-12-15T12:00:00Z")
  const invoices = yield* Invoices
  const acme = yield* aCustomer("Acme")
  const blue = yield* aCustomer("Blue", { paymentTermsDays: 15 })
  const lawn = yield* aService("Lawn care", { unitPriceCents: 4_500, taxable: false })
  const pool = yield* aService("Pool care", { unitPriceCents: 12_000, taxable: false })
  const issue = (customerId: string, lines: ReadonlyArray<Record<string, unknown>>, issueDate: string) =>
    Effect.flatMap(invoices.create(newInvoice({ customerId, lines })), (draft) => invoices.issue(draft.id, issueDate))

  const old = yield* issue(acme.id, [{ serviceId: lawn.id }, { description: "Haul-away", unitPriceCents: 2_000 }], "2026-09-01")
  yield* issue(acme.id, [{ serviceId: pool.id, quantity: 2 }], "2026-11-21")
  const partly = yield* issue(blue.id, [{ serviceId: lawn.id }, { serviceId: pool.id }], "2026-11-15")
  const settled = yield* issue(blue.id, [{ serviceId: pool.id }], "2026-10-10")
  yield* invoices.recordPayment(partly.id, newPayment({ amountCents: 6_000, method: "card", paidAt: "2026-11-30T23:30:00-05:00" }))
  yield* invoices.recordPayment(settled.id, newPayment({ amountCents: 12_000, method: "ach", paidAt: "2026-10-20" }))
  yield* invoices.recordPayment(old.id, newPayment({ amountCents: 1_000, method: "cash", paidAt: "2026-09-15" }))
  yield* aDraftInvoice(acme.id, [99_999])
  const voided = yield* anIssuedInvoice(blue.id, [55_555], "2026-11-01")
  yield* invoices.void(voided.id)
  return { acme, blue, lawn, pool, invoices: (yield* invoices.list({}, page)).items }
})

describe("Reports", () => {
  it.effect("revenue: invoiced by issue date and paid by payment date (UTC), grouped three ways with equal totals", () =>
    Effect.gen(function*() {
      const reports = yield* Reports
      const { acme, blue, invoices } = yield* books
      const counted = invoices.filter((i) => ["issued", "partially_paid", "paid"].includes(i.status))
      const invoiced = sum(counted.map((i) => i.totalCents))
      const paid = sum(invoices.map((i) => i.paidCents))
      assert.strictEqual(invoiced, 6_500 + 24_000 + 16_500 + 12_000)

      const byMonth = yield* reports.revenue({ from: "2026-01-01", to: "2026-12-31", groupBy: "month" })
      assert.deepStrictEqual([byMonth.invoicedCents, byMonth.paidCents], [invoiced, paid])
      assert.deepStrictEqual(byMonth.rows.map((r) => [r.key, r.label, r.invoicedCents, r.paidCents]), [
        ["2026-09", "2026-09", 6_500, 1_000],
        ["2026-10", "2026-10", 12_000, 12_000],
        // The -05:00 payment of 30 November arrived on 1 December, UTC.
        ["2026-11", "2026-11", 40_500, 0],
        ["2026-12", "2026-12", 0, 6_000]
      ])

      const byService = yield* reports.revenue({ from: "2026-01-01", to: "2026-12-31", groupBy: "service" })
      assert.deepStrictEqual([byService.invoicedCents, byService.paidCents], [invoiced, paid])
      assert.deepStrictEqual(byService.rows.map((r) => [r.label, r.invoicedCents]), [
        ["Lawn care", 9_000],
        ["Pool care", 48_000],
        ["Lines without a service", 2_000]
      ])
      assert.isNull(byService.rows[2]!.key)

      const byCustomer = yield* reports.revenue({ from: "2026-01-01", to: "2026-12-31", groupBy: "customer" })
      assert.deepStrictEqual(byCustomer.rows.map((r) => [r.key, r.label, r.invoicedCents, r.paidCents]), [
        [acme.id, "Acme", 30_500, 1_000],
        [blue.id, "Blue", 28_500, 18_000]
      ])
      assert.deepStrictEqual([byCustomer.invoicedCents, byCustomer.paidCents], [invoiced, paid])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("revenue: from and to are inclusive days; to before from is refused", () =>
    Effect.gen(function*() {
      const reports = yield* Reports
      yield* books
      const november = yield* reports.revenue({ from: "2026-11-15", to: "2026-11-21", groupBy: "month" })
      assert.deepStrictEqual([november.invoicedCents, november.paidCents], [16_500 + 24_000, 0])
      const inside = yield* reports.revenue({ from: "2026-11-16", to: "2026-11-20", groupBy: "customer" })
      assert.deepStrictEqual(inside.rows, [])
      const backwards = yield* Effect.flip(reports.revenue({ from: "2026-11-21", to: "2026-11-20", groupBy: "month" }))
      assert.deepInclude(backwards, { _tag: "InvalidBillingInput", path: "to" })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("receivables: open balances by days past due, totals equal to the invoices' balances", () =>
    Effect.gen(function*() {
      const reports = yield* Reports
      const { acme, blue, invoices } = yield* books
      const open = invoices.filter((i) => OPEN_STATUSES.includes(i.status))
      // Acme: due 2026-10-01 (75 days late) and 2026-12-21 (not yet due); Blue: due 2026-11-30 (15 days late).
      const report = yield* reports.receivables(undefined)
      assert.strictEqual(report.asOf, "2026-12-15")
      assert.deepStrictEqual(report.customers, [
        {
          customerId: acme.id,
          companyName: "Acme",
          currentCents: 24_000,
          days1to30Cents: 0,
          days31to60Cents: 0,
          days61to90Cents: 5_500,
          days90PlusCents: 0,
          totalCents: 29_500
        },
        {
          customerId: blue.id,
          companyName: "Blue",
          currentCents: 0,
          days1to30Cents: 10_500,
          days31to60Cents: 0,
          days61to90Cents: 0,
          days90PlusCents: 0,
          totalCents: 10_500
        }
      ])
      assert.strictEqual(report.total.totalCents, sum(open.map(balanceCents)))
      assert.strictEqual(
        report.total.totalCents,
        report.total.currentCents + report.total.days1to30Cents + report.total.days31to60Cents + report.total.days61to90Cents +
          report.total.days90PlusCents
      )
      // On the due date an invoice is still current; a day later it is 1 day late; 91 days late is 90+.
      const onDue = yield* reports.receivables("2026-11-30")
      assert.strictEqual(onDue.customers[1]!.currentCents, 10_500)
      assert.strictEqual((yield* reports.receivables("2026-12-01")).customers[1]!.days1to30Cents, 10_500)
      const later = yield* reports.receivables("2026-12-31")
      assert.deepInclude(later.customers[0]!, { days90PlusCents: 5_500, days1to30Cents: 24_000, currentCents: 0 })
      assert.strictEqual(later.total.totalCents, report.total.totalCents)
    }).pipe(Effect.provide(TestApplication)))
})
