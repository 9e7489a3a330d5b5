import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, DateTime, Duration, Effect, Layer, Redacted, Schedule } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { fastJobTimings, jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { QuickBooksSync } from "../../application/accounting/quickbooks-sync.ts"
import { SyncAllWorkflow } from "../../application/accounting/sync-all.ts"
import { Invoices } from "../../application/billing/invoices.ts"
import { TaxRates } from "../../application/billing/tax-rates.ts"
import { AccountingMappings } from "../../application/ports/accounting-mappings.ts"
import { AccountingSyncLog } from "../../application/ports/accounting-sync-log.ts"
import { JobExecutions } from "../../application/ports/job-executions.ts"
import { QuickBooksConnectionStore } from "../../application/ports/quickbooks-connection-store.ts"
import { aCustomer, aService, newInvoice, newPayment } from "../unit/application/billing/billing-fixtures.ts"
import { type FakeQuickBooks, fakeQuickBooks } from "../support/fake-quickbooks.ts"
import { testDatabase } from "../support/test-database.ts"
import { quickBooksEnv } from "../support/fake-quickbooks/server-env.ts"

// The whole application on PostgreSQL with the real job engine, configured
// by QUICKBOOKS_* to talk to the fake QuickBooks over HTTP: billing changes
// start push jobs, which the engine runs against the fake's validation.

const configFor = (fake: FakeQuickBooks) =>
  ConfigProvider.layer(ConfigProvider.fromUnknown(quickBooksEnv(fake)))

/** The application against a fresh fake, connected to its company (the connect flow has its own tests). */
const setup = Effect.gen(function*() {
  const fake = yield* fakeQuickBooks()
  const application = applicationLayer(testDatabase(), jobEngineLayer({ mode: "single", sharding: fastJobTimings })).pipe(
    Layer.provide(configFor(fake))
  )
  const context = yield* Layer.build(application)
  const run = <A, E>(effect: Effect.Effect<A, E, Layer.Success<typeof application>>) => Effect.provideContext(effect, context)
  const tokens = fake.connect()
  const now = yield* DateTime.now
  yield* run(QuickBooksConnectionStore.use((store) =>
    store.connect({
      realmId: fake.realmId,
      companyName: null,
      tokens: {
        accessToken: Redacted.make(tokens.accessToken),
        refreshToken: Redacted.make(tokens.refreshToken),
        accessTokenExpiresAt: DateTime.addDuration(now, Duration.hours(1)),
        refreshTokenExpiresAt: DateTime.addDuration(now, Duration.days(100))
      },
      connectedAt: now
    })
  ))
  return { fake, run, context }
})

/** Polls until `done` holds (the engine pushes in the background). */
const until = <E, R>(done: Effect.Effect<boolean, E, R>, what: string) =>
  Effect.flatMap(done, (ok) => (ok ? Effect.void : Effect.fail(`still waiting for ${what}`))).pipe(
    Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 600 })
  )

const noJobRunning = Effect.map(
  JobExecutions.use((jobs) => jobs.list({ status: "running" }, { limit: 1, after: undefined })),
  (page) => page.items.length === 0
)

const cents = (amount: unknown) => Math.round(Number(amount) * 100)

describe("QuickBooks push on PostgreSQL with the fake QuickBooks", () => {
  it.live("a month of invoices and payments reaches QuickBooks once each, to the cent, through the job engine", () =>
    Effect.scoped(Effect.gen(function*() {
      const { fake, run } = yield* setup
      const { customers, invoices, paid, voided } = yield* run(Effect.gen(function*() {
        yield* (yield* TaxRates).put({ code: "standard", name: "Sales tax", ratePercent: 8.25 })
        const services = [
          yield* aService("Crack injection", { unitPriceCents: 4_550 }),
          yield* aService("Sealcoat", { unitPriceCents: 1_275, unit: "hour" }),
          yield* aService("Inspection", { unitPriceCents: 9_900, taxable: false })
        ]
        const customers = [
          yield* aCustomer("Acme Roofing", { email: "ap@acme.test" }),
          yield* aCustomer("Blue Sky HOA", { phone: "+1 303 555 0142" }),
          // Same company name twice: the second goes to QuickBooks with a suffix.
          yield* aCustomer("Cedar Homes"),
          yield* aCustomer("Cedar Homes", { email: "north@cedar.test" })
        ]
        const invoicesUseCase = yield* Invoices
        const invoices = []
        for (let day = 1; day <= 20; day++) {
          const customer = customers[day % customers.length]!
          const draft = yield* invoicesUseCase.create(newInvoice({
            customerId: customer.id,
            discount: day % 3 === 0 ? { type: "percent", percent: 5 } : { type: "fixed", amountCents: day * 10 },
            lines: [
              { serviceId: services[day % 3]!.id, quantity: 1 + (day % 4) * 0.125 },
              { serviceId: services[(day + 1) % 3]!.id, quantity: 2 },
              { description: `Travel day ${day}`, unitPriceCents: 1_999 }
            ]
          }))
          invoices.push(yield* invoicesUseCase.issue(draft.id, `2026-11-${String(day).padStart(2, "0")}`))
        }
        const paid = []
        for (const invoice of invoices.slice(0, 12)) {
          const amount: number = invoice.totalCents > 5_000 && paid.length % 2 === 0 ? 5_000 : invoice.totalCents
          paid.push((yield* invoicesUseCase.recordPayment(invoice.id, newPayment({ amountCents: amount, method: "check", reference: `#${paid.length}` }))).payment)
        }
        const voided = invoices.slice(18)
        for (const invoice of voided) yield* invoicesUseCase.void(invoice.id)
        return { customers, invoices, paid, voided }
      }))

      const mappings = yield* run(AccountingMappings.use(Effect.succeed))
      yield* until(run(Effect.gen(function*() {
        const counts = fake.counts()
        if (counts.Customer !== customers.length || counts.Payment !== paid.length) return false
        const mapped = yield* mappings.count("invoice")
        return mapped >= invoices.length - voided.length && (yield* noJobRunning)
      })), "the pushes")

      // Nothing created twice; the fake refused nothing (its XSD-derived checks passed).
      assert.deepStrictEqual(fake.createdTwice(), [])
      const log = yield* run(AccountingSyncLog.use((syncLog) => syncLog.list({ before: undefined, limit: 1000 })))
      assert.deepStrictEqual(log.filter((entry) => entry.outcome !== "succeeded").map((entry) => entry.error), [])
      assert.sameMembers(
        fake.entities("Customer").map((row) => row["DisplayName"]),
        ["Acme Roofing", "Blue Sky HOA", "Cedar Homes", "Cedar Homes (2)"]
      )
      // Each pushed invoice's QuickBooks total is the CRM's, to the cent.
      for (const invoice of invoices.slice(0, 18)) {
        const mapped = yield* run(mappings.find("invoice", invoice.id))
        assert.isTrue(mapped._tag === "Some", `invoice ${invoice.number} mapped`)
        if (mapped._tag !== "Some") continue
        const qbo = fake.entity("Invoice", mapped.value.qboId)!
        assert.strictEqual(cents(qbo["TotalAmt"]), invoice.totalCents, `invoice ${invoice.number}`)
        assert.strictEqual(qbo["DocNumber"], String(invoice.number))
      }
      // A voided invoice is void in QuickBooks too, or never got there (voided before its push ran).
      for (const invoice of voided) {
        const mapped = yield* run(mappings.find("invoice", invoice.id))
        if (mapped._tag === "Some") assert.strictEqual(fake.entity("Invoice", mapped.value.qboId)!["TotalAmt"], 0)
      }
      const paidTotal = paid.reduce((sum, payment) => sum + payment.amountCents, 0)
      assert.strictEqual(fake.entities("Payment").reduce((sum, row) => sum + cents(row["TotalAmt"]), 0), paidTotal)

      // A full sync afterwards finds nothing to send: every job it starts logs a skip.
      const posts = () => fake.apiRequests().filter((request) => request.method === "POST").length
      const before = posts()
      const { run: syncRun } = yield* run(QuickBooksSync.use((sync) => sync.start))
      const counts = yield* run(SyncAllWorkflow.execute({ run: syncRun }))
      const started = Object.values(counts).reduce((sum, n) => sum + n, 0)
      assert.strictEqual(started, customers.length + 3 + invoices.length + paid.length)
      yield* until(run(Effect.map(
        AccountingSyncLog.use((syncLog) => syncLog.list({ before: undefined, limit: 1000, outcome: "succeeded" })),
        (entries) => entries.length - log.length >= started
      )), "the sync's jobs")
      yield* until(run(noJobRunning), "the sync's jobs to end")
      assert.strictEqual(posts(), before)
    })), { timeout: 120_000 })
})
