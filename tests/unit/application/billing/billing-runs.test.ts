import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { BillingRuns } from "../../../../application/billing/billing-runs.ts"
import { Customers } from "../../../../application/billing/customers.ts"
import { Invoices } from "../../../../application/billing/invoices.ts"
import { TaxRates } from "../../../../application/billing/tax-rates.ts"
import { TestApplication, testUuid } from "../../../../application/testing/index.ts"
import { BillingRunId } from "../../../../domain/billing/billing-run.ts"
import { aCustomer, aPurchase, aService, customerPatch, page, setNow } from "./billing-fixtures.ts"

/** Monthly lawn care at $45 and a monthly pool service at $120, untaxed. */
const catalogue = Effect.gen(function*() {
  const lawn = yield* aService("Lawn care", { unitPriceCents: 4_500, recurring: "monthly", taxable: false })
  const pool = yield* aService("Pool care", { unitPriceCents: 12_000, recurring: "monthly", taxable: false })
  return { lawn, pool }
})

describe("BillingRuns", () => {
  it.effect("makes one draft invoice per customer, with a line per due purchase", () =>
    Effect.gen(function*() {
      yield* setNow("2026-12-01T06:00:00Z")
      const runs = yield* BillingRuns
      const invoices = yield* Invoices
      const { lawn, pool } = yield* catalogue
      const oneOff = yield* aService("Repair", { recurring: "none" })
      const acme = yield* aCustomer("Acme")
      const blue = yield* aCustomer("Blue")
      const acmeLawn = yield* aPurchase(acme.id, lawn.id, { startDate: "2026-10-01" })
      const acmePool = yield* aPurchase(acme.id, pool.id, { startDate: "2026-11-20", quantity: 2 })
      const blueLawn = yield* aPurchase(blue.id, lawn.id, { startDate: "2026-01-01", discount: { type: "percent", percent: 10 } })
      yield* aPurchase(blue.id, oneOff.id, { startDate: "2026-12-01" })
      yield* aPurchase(blue.id, pool.id, { startDate: "2026-12-01", status: "paused" })

      const report = yield* runs.run("2026-12")
      assert.deepInclude(report, { period: "2026-12", customersBilled: 2, invoicesCreated: 2, invoicesExisting: 0, lines: 3 })
      assert.deepStrictEqual(report.skipped, [])
      assert.strictEqual(DateTime.formatIso(report.ranAt), "2026-12-01T06:00:00.000Z")

      const made = (yield* invoices.list({ billingPeriod: "2026-12" }, page)).items
      assert.deepStrictEqual(made.map((i) => [i.customerId, i.status, i.billingPeriod]), [
        [acme.id, "draft", "2026-12"],
        [blue.id, "draft", "2026-12"]
      ])
      const [forAcme, forBlue] = made
      assert.deepStrictEqual(forAcme!.lines.map((l) => [l.customerServiceId, l.description, l.periodFrom, l.periodTo, l.amountCents]), [
        [acmeLawn.id, "Lawn care (2026-12-01 to 2026-12-31)", "2026-12-01", "2026-12-31", 4_500],
        [acmePool.id, "Pool care (2026-12-01 to 2026-12-31)", "2026-12-01", "2026-12-31", 24_000]
      ])
      assert.deepStrictEqual(forBlue!.lines.map((l) => [l.customerServiceId, l.amountCents]), [[blueLawn.id, 4_050]])
      assert.strictEqual(report.totalCents, forAcme!.totalCents + forBlue!.totalCents)
      assert.strictEqual(report.totalCents, 4_500 + 24_000 + 4_050)
      assert.deepStrictEqual(yield* runs.get(report.id), report)
      assert.deepStrictEqual((yield* invoices.list({ billingPeriod: "2026-11" }, page)).items, [])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("prorates by days a purchase that starts or ends inside the month", () =>
    Effect.gen(function*() {
      const runs = yield* BillingRuns
      const invoices = yield* Invoices
      const { lawn } = yield* catalogue
      const acme = yield* aCustomer("Acme")
      const purchase = yield* aPurchase(acme.id, lawn.id, { startDate: "2026-11-15", endDate: "2026-12-10" })
      const november = yield* runs.run("2026-11")
      const [first] = (yield* invoices.list({ billingPeriod: "2026-11" }, page)).items
      const line = first!.lines[0]!
      // 16 of November's 30 days: 4500 × 16 / 30 = 2400.
      assert.deepInclude(line, {
        customerServiceId: purchase.id,
        description: "Lawn care (2026-11-01 to 2026-11-30, 16 of 30 days)",
        subtotalCents: 2_400,
        amountCents: 2_400
      })
      assert.strictEqual(november.totalCents, 2_400)
      yield* runs.run("2026-12")
      const [second] = (yield* invoices.list({ billingPeriod: "2026-12" }, page)).items
      // 10 of December's 31 days: 4500 × 10 / 31 = 1451.6…, rounded half up.
      assert.strictEqual(second!.lines[0]!.subtotalCents, 1_452)
      const january = yield* runs.run("2027-01")
      assert.deepInclude(january, { invoicesCreated: 0, customersBilled: 0, lines: 0, totalCents: 0 })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("runs a period again without billing twice: the customers invoiced before are reported", () =>
    Effect.gen(function*() {
      const runs = yield* BillingRuns
      const invoices = yield* Invoices
      const { lawn, pool } = yield* catalogue
      const acme = yield* aCustomer("Acme")
      const blue = yield* aCustomer("Blue")
      const a = yield* aPurchase(acme.id, lawn.id, { startDate: "2026-11-01" })
      const b = yield* aPurchase(acme.id, pool.id, { startDate: "2026-11-01" })
      const c = yield* aPurchase(blue.id, lawn.id, { startDate: "2026-11-01" })
      const first = yield* runs.run("2026-11")
      assert.strictEqual(first.invoicesCreated, 2)
      // Voiding does not make the customer billable again for the period.
      const voided = (yield* invoices.list({ customerId: blue.id }, page)).items[0]!
      yield* invoices.void(voided.id)

      const second = yield* runs.run("2026-11")
      assert.deepInclude(second, { customersBilled: 2, invoicesCreated: 0, invoicesExisting: 2, lines: 0, totalCents: 0 })
      assert.deepStrictEqual(second.skippedByReason, { "already-invoiced": 3 })
      assert.deepStrictEqual(second.skipped.map((s) => [s.customerServiceId, s.customerId]), [
        [a.id, acme.id],
        [b.id, acme.id],
        [c.id, blue.id]
      ])
      assert.strictEqual((yield* invoices.list({}, page)).items.length, 2)
      assert.notStrictEqual(second.id, first.id)
      assert.deepStrictEqual((yield* runs.list("2026-11", page)).items.map((r) => r.id), [first.id, second.id])
      assert.deepStrictEqual((yield* runs.list("2026-12", page)).items, [])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("bills a quarterly service every third month from its start, and skips it as not due between", () =>
    Effect.gen(function*() {
      const runs = yield* BillingRuns
      const invoices = yield* Invoices
      const gutters = yield* aService("Gutter plan", { unitPriceCents: 30_000, recurring: "quarterly", taxable: false })
      const acme = yield* aCustomer("Acme")
      const purchase = yield* aPurchase(acme.id, gutters.id, { startDate: "2026-10-01" })
      const november = yield* runs.run("2026-11")
      assert.deepInclude(november, { invoicesCreated: 0, customersBilled: 0 })
      assert.deepStrictEqual(november.skippedByReason, { "not-due": 1 })
      assert.deepStrictEqual(november.skipped, [{ customerServiceId: purchase.id, customerId: acme.id, reason: "not-due" }])
      const january = yield* runs.run("2027-01")
      assert.strictEqual(january.invoicesCreated, 1)
      const line = (yield* invoices.list({ billingPeriod: "2027-01" }, page)).items[0]!.lines[0]!
      assert.deepInclude(line, { periodFrom: "2027-01-01", periodTo: "2027-03-31", amountCents: 30_000 })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("skips an archived customer's purchases and reports why", () =>
    Effect.gen(function*() {
      const runs = yield* BillingRuns
      const { lawn } = yield* catalogue
      const gone = yield* aCustomer("Gone")
      const purchase = yield* aPurchase(gone.id, lawn.id, { startDate: "2026-11-01" })
      yield* (yield* Customers).update(gone.id, customerPatch({ status: "archived" }))
      const report = yield* runs.run("2026-11")
      assert.deepInclude(report, { invoicesCreated: 0, customersBilled: 0 })
      assert.deepStrictEqual(report.skipped, [{ customerServiceId: purchase.id, customerId: gone.id, reason: "customer-archived" }])
      assert.deepStrictEqual((yield* (yield* Invoices).list({}, page)).items, [])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("taxes taxable services at the standard rate, except for tax-exempt customers", () =>
    Effect.gen(function*() {
      const runs = yield* BillingRuns
      const invoices = yield* Invoices
      yield* (yield* TaxRates).put({ code: "standard", name: "Standard sales tax", ratePercent: 10 })
      const alarm = yield* aService("Alarm monitoring", { unitPriceCents: 3_000, recurring: "monthly" })
      const taxed = yield* aCustomer("Taxed")
      const exempt = yield* aCustomer("Exempt", { taxExempt: true })
      yield* aPurchase(taxed.id, alarm.id, { startDate: "2026-11-01" })
      yield* aPurchase(exempt.id, alarm.id, { startDate: "2026-11-01" })
      const report = yield* runs.run("2026-11")
      const made = (yield* invoices.list({ billingPeriod: "2026-11" }, page)).items
      assert.deepStrictEqual(made.map((i) => [i.customerId, i.taxCents, i.totalCents, i.lines[0]!.taxRatePercent]), [
        [taxed.id, 300, 3_300, 10],
        [exempt.id, 0, 3_000, null]
      ])
      assert.strictEqual(report.totalCents, 6_300)
      assert.deepInclude(yield* Effect.flip(runs.get(BillingRunId.make(testUuid(999)))), { _tag: "BillingNotFound", resource: "billing run" })
    }).pipe(Effect.provide(TestApplication)))
})
