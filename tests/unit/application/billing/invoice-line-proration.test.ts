import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { BillingRuns } from "../../../../application/billing/billing-runs.ts"
import { Invoices } from "../../../../application/billing/invoices.ts"
import { TestApplication } from "../../../../application/testing/index.ts"
import { aCustomer, aDraftInvoice, aPurchase, aService, page } from "./billing-fixtures.ts"

describe("invoice lines show their proration", () => {
  it.effect("a prorated run line names its days and the period's; whole and hand-written lines name none", () =>
    Effect.gen(function*() {
      const care = yield* aService("Lawn care", { unitPriceCents: 4_999, recurring: "monthly", taxable: false })
      const quarterly = yield* aService("Inspection", { unitPriceCents: 9_000, recurring: "quarterly", taxable: false })
      const acme = yield* aCustomer("Acme")
      yield* aPurchase(acme.id, care.id, { startDate: "2026-11-15", quantity: 2 })
      yield* aPurchase(acme.id, care.id, { startDate: "2026-01-01" })
      yield* aPurchase(acme.id, quarterly.id, { startDate: "2026-11-01", endDate: "2026-12-31" })
      yield* (yield* BillingRuns).run("2026-11")
      const [invoice] = (yield* (yield* Invoices).list({ billingPeriod: "2026-11" }, page)).items
      assert.deepStrictEqual(invoice!.lines.map((l) => [l.subtotalCents, l.prorationDays, l.periodDays]), [
        // 2 × 49.99 × 16/30 = 53.3227
        [5_332, 16, 30],
        [4_999, null, null],
        // November to January is 92 days; served to 31 December, 61: 90 × 61/92 = 59.674
        [5_967, 61, 92]
      ])
      const draft = yield* aDraftInvoice(acme.id, [1_000])
      assert.deepInclude(draft.lines[0]!, { prorationDays: null, periodDays: null, periodFrom: null })
    }).pipe(Effect.provide(TestApplication)))
})
