import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Fiber, Layer } from "effect"
import { TestClock } from "effect/testing"
import {
  PushCustomerWorkflow,
  PushInvoiceWorkflow,
  PushPaymentWorkflow,
  PushServiceWorkflow,
  VoidInvoiceWorkflow
} from "../../../application/accounting/push-workflows.ts"
import { QuickBooksSync } from "../../../application/accounting/quickbooks-sync.ts"
import { SyncAllWorkflow } from "../../../application/accounting/sync-all.ts"
import { Invoices } from "../../../application/billing/invoices.ts"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { InvoiceRepository } from "../../../application/ports/invoice-repository.ts"
import { JobExecutions } from "../../../application/ports/job-executions.ts"
import { ServiceRepository } from "../../../application/ports/service-repository.ts"
import { MemoryAccountingGatewayControl, TestApplication } from "../../../application/testing/index.ts"
import { aCustomer, anIssuedInvoice, aService, newPayment } from "../application/billing/billing-fixtures.ts"
import { connect, gatewayCalls, PushTestApplication, recordsOf } from "../../support/quickbooks-test-application.ts"

/** Waits for `effect` while the test clock moves on (the sync looks for room for its next page once a second). */
const advancing = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(effect)
    // Until it ends (at most an hour of test time): under load the engine's fibers may need many turns.
    for (let i = 0; i < 3600 && fiber.pollUnsafe() === undefined; i++) yield* TestClock.adjust("1 second")
    return yield* Fiber.join(fiber)
  })

/** Runs a full sync and waits for it and every push it started (each joined by its execution id). */
const fullSync = Effect.gen(function*() {
  const { run } = yield* (yield* QuickBooksSync).start
  const counts = yield* advancing(SyncAllWorkflow.execute({ run }))
  const version = `sync-${run}`
  const all = { customerId: undefined, limit: 1000, after: undefined }
  const actions: Array<string> = []
  for (const customer of yield* (yield* CustomerRepository).list({ status: "all", ...all })) {
    actions.push((yield* PushCustomerWorkflow.execute({ customerId: customer.id, version })).action)
  }
  for (const service of yield* (yield* ServiceRepository).list(all)) {
    actions.push((yield* PushServiceWorkflow.execute({ serviceId: service.id, version })).action)
  }
  const invoices = yield* InvoiceRepository
  for (const invoice of yield* invoices.list(all)) {
    if (invoice.status === "void") actions.push((yield* VoidInvoiceWorkflow.execute({ invoiceId: invoice.id, version })).action)
    else if (invoice.status !== "draft") actions.push((yield* PushInvoiceWorkflow.execute({ invoiceId: invoice.id, version })).action)
    for (const payment of yield* invoices.payments(invoice.id)) {
      actions.push((yield* PushPaymentWorkflow.execute({ invoiceId: invoice.id, paymentId: payment.id, version })).action)
    }
  }
  return { counts, actions }
})

describe("QuickBooks full sync", () => {
  it.effect("pushes every customer, service, issued or voided invoice and payment; a second sync pushes nothing", () =>
    Effect.gen(function*() {
      const invoices = yield* Invoices
      // Made before QuickBooks was connected: nothing was pushed as it happened.
      const acme = yield* aCustomer("Acme")
      const blue = yield* aCustomer("Blue")
      yield* aService("Gutter cleaning")
      const paid = yield* anIssuedInvoice(acme.id, [10_000, 2_500], "2026-11-01")
      yield* invoices.recordPayment(paid.id, newPayment({ amountCents: 5_000, method: "card" }))
      yield* anIssuedInvoice(blue.id, [700], "2026-11-02")
      yield* invoices.void((yield* anIssuedInvoice(blue.id, [100], "2026-11-03")).id)
      yield* invoices.create({ customerId: acme.id, lines: [{ description: "Draft", unitPriceCents: 100 }] })
      assert.deepStrictEqual(yield* gatewayCalls, [])

      yield* connect
      const first = yield* fullSync
      assert.deepStrictEqual(first.counts, { customers: 2, services: 1, invoices: 2, voids: 1, payments: 1 })
      assert.strictEqual((yield* recordsOf("Customer")).length, 2)
      // The catalogue service, and the generic item the free-text lines use.
      assert.strictEqual((yield* recordsOf("Item")).length, 2)
      // The voided invoice was never in QuickBooks: nothing to void there.
      assert.strictEqual((yield* recordsOf("Invoice")).length, 2)
      assert.strictEqual((yield* recordsOf("Payment")).length, 1)
      const firstCalls = yield* gatewayCalls

      const second = yield* fullSync
      assert.isTrue(second.actions.every((action) => action === "skip"), second.actions.join())
      const isWrite = (call: { readonly op: string }) => call.op === "create" || call.op === "update"
      assert.strictEqual((yield* gatewayCalls).filter(isWrite).length, firstCalls.filter(isWrite).length)
    }).pipe(Effect.provide(PushTestApplication)))

  it.effect("starts the next page only once fewer than QUICKBOOKS_SYNC_MAX_RUNNING push jobs run", () =>
    Effect.gen(function*() {
      const jobs = yield* JobExecutions
      const running = (kind: string) => jobs.countRunning([kind])
      const startedOf = (kind: string) =>
        Effect.map(jobs.list({ kind }, { limit: 10, after: undefined }), (page) => page.items.length)
      yield* aCustomer("Acme")
      yield* aCustomer("Blue")
      const gutters = yield* aService("Gutter cleaning")
      yield* connect
      // QuickBooks answers 503 for now: both customer pushes wait for their retry (2 s), still running.
      const books = yield* MemoryAccountingGatewayControl
      yield* books.fail({ reason: "provider-error", times: Infinity })
      const { run } = yield* (yield* QuickBooksSync).start
      const sync = yield* Effect.forkChild(SyncAllWorkflow.execute({ run }))
      // The memory engine runs the jobs on other fibers: give them turns until both customer pushes run.
      while ((yield* running(PushCustomerWorkflow._tag)) < 2) yield* Effect.yieldNow
      for (let i = 0; i < 15; i++) yield* TestClock.adjust("100 millis")
      assert.strictEqual(yield* running(PushCustomerWorkflow._tag), 2)
      // The bound (2) is reached: the services' page waits.
      assert.strictEqual(yield* startedOf(PushServiceWorkflow._tag), 0)

      yield* books.clearFailures
      assert.deepStrictEqual(yield* advancing(Fiber.join(sync)), { customers: 2, services: 1, invoices: 0, voids: 0, payments: 0 })
      const pushed = yield* PushServiceWorkflow.execute({ serviceId: gutters.id, version: `sync-${run}` })
      assert.strictEqual(pushed.action, "create")
      assert.strictEqual((yield* recordsOf("Customer")).length, 2)
    }).pipe(Effect.provide(PushTestApplication.pipe(
      Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ QUICKBOOKS_SYNC_MAX_RUNNING: "2" })))
    ))))

  it.effect("is refused when QuickBooks is not configured, or not connected", () =>
    Effect.gen(function*() {
      const off = yield* Effect.flip(QuickBooksSync.use((sync) => sync.start).pipe(Effect.provide(TestApplication)))
      assert.strictEqual(off._tag, "QuickBooksNotConfigured")
      const unconnected = yield* Effect.flip(QuickBooksSync.use((sync) => sync.start).pipe(Effect.provide(PushTestApplication)))
      assert.strictEqual(unconnected._tag, "QuickBooksNotConnected")
    }))
})
