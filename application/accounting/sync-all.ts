import { Config, DateTime, Duration, Effect, Layer, Option, Schema } from "effect"
import { Activity, Workflow } from "effect/workflow"
import { ServiceId } from "../../domain/billing/catalog-service.ts"
import { CustomerId } from "../../domain/billing/customer.ts"
import { InvoiceId } from "../../domain/billing/invoice.ts"
import { PaymentId } from "../../domain/billing/payment.ts"
import { trackedWorkflow } from "../jobs/tracked-workflow.ts"
import { CustomerRepository } from "../ports/customer-repository.ts"
import { InvoiceRepository } from "../ports/invoice-repository.ts"
import { JobExecutions } from "../ports/job-executions.ts"
import { ServiceRepository } from "../ports/service-repository.ts"
import {
  PUSH_WORKFLOW_KINDS,
  PushCustomerWorkflow,
  PushInvoiceWorkflow,
  PushPaymentWorkflow,
  PushServiceWorkflow,
  VoidInvoiceWorkflow
} from "./push-workflows.ts"

/**
 * A full sync (`POST /api/integrations/quickbooks/sync`): starts a push job
 * for every customer, service, issued or voided invoice and payment. Each job
 * compares the pushed hash and skips what QuickBooks has already, so a sync
 * after a failure, a restore or a missed change sends only the difference.
 * `run` names the sync; it is each job's version, so a sync never joins an
 * older job of the same entity.
 */
export const SyncAllWorkflow = Workflow.make("accounting.sync-all", {
  payload: { run: Schema.String },
  success: Schema.Struct({
    customers: Schema.Int,
    services: Schema.Int,
    invoices: Schema.Int,
    voids: Schema.Int,
    payments: Schema.Int
  }),
  idempotencyKey: ({ run }) => run
})

/** Rows read per listing step: each step is one recorded activity. */
const PAGE = 200

const CustomerPage = Schema.Struct({ ids: Schema.Array(CustomerId), last: Schema.NullOr(CustomerId) })
const ServicePage = Schema.Struct({ ids: Schema.Array(ServiceId), last: Schema.NullOr(ServiceId) })
const InvoicePage = Schema.Struct({
  issued: Schema.Array(InvoiceId),
  voided: Schema.Array(InvoiceId),
  payments: Schema.Array(Schema.Struct({ invoiceId: InvoiceId, paymentId: PaymentId })),
  last: Schema.NullOr(InvoiceId)
})

// Activity names are part of every execution's durable history: never rename them.
const customerPage = (page: number, after: CustomerId | undefined) =>
  Activity.make({
    name: `accounting.sync-all.customers/${page}`,
    success: CustomerPage,
    execute: Effect.gen(function*() {
      const rows = yield* (yield* CustomerRepository).list({ status: "all", after, limit: PAGE })
      return { ids: rows.map((row) => row.id), last: rows.length < PAGE ? null : rows[rows.length - 1]!.id }
    })
  })

const servicePage = (page: number, after: ServiceId | undefined) =>
  Activity.make({
    name: `accounting.sync-all.services/${page}`,
    success: ServicePage,
    execute: Effect.gen(function*() {
      const rows = yield* (yield* ServiceRepository).list({ after, limit: PAGE })
      return { ids: rows.map((row) => row.id), last: rows.length < PAGE ? null : rows[rows.length - 1]!.id }
    })
  })

const invoicePage = (page: number, after: InvoiceId | undefined) =>
  Activity.make({
    name: `accounting.sync-all.invoices/${page}`,
    success: InvoicePage,
    execute: Effect.gen(function*() {
      const repo = yield* InvoiceRepository
      const rows = yield* repo.list({ after, limit: PAGE })
      const issued = rows.filter((row) => row.status !== "draft" && row.status !== "void")
      const paid = yield* Effect.forEach(issued.filter((row) => row.paidCents > 0), (row) => repo.payments(row.id))
      return {
        issued: issued.map((row) => row.id),
        voided: rows.filter((row) => row.status === "void").map((row) => row.id),
        payments: paid.flat().map((payment) => ({ invoiceId: payment.invoiceId, paymentId: payment.id })),
        last: rows.length < PAGE ? null : rows[rows.length - 1]!.id
      }
    })
  })

/**
 * QUICKBOOKS_SYNC_MAX_RUNNING (default 200): a page of pushes starts only
 * while fewer push jobs than this are running. Intuit's limits let about 8
 * requests a second through, so jobs started far ahead only wait in memory
 * (2,757 of them held 540-820 MiB in the bench at 2,500 invoices); a bound a
 * page wide keeps the next page ready without holding the whole sync.
 */
export const syncSettings = Config.all({
  maxRunning: Config.Int("QUICKBOOKS_SYNC_MAX_RUNNING").pipe(Config.withDefault(200))
})

const ROOM_POLL = Duration.seconds(1)
/** One waiting activity's longest wait: a sync stuck behind failing pushes records one short result a slice. */
const ROOM_SLICE = Duration.seconds(30)

/**
 * Waits, at most ROOM_SLICE, until the jobs of the page before have been
 * picked up by the engine (a job counts as running only once it recorded its
 * start, which lags its `execute` under load) and fewer than `maxRunning`
 * push jobs run; false when there is still no room.
 */
const room = (name: string, maxRunning: number, before: ReadonlyArray<string>) =>
  Activity.make({
    name,
    success: Schema.Boolean,
    execute: Effect.gen(function*() {
      const jobs = yield* JobExecutions
      const deadline = DateTime.addDuration(yield* DateTime.now, ROOM_SLICE)
      let unseen = before
      for (;;) {
        const seen = yield* Effect.forEach(unseen, (id) => Effect.map(jobs.findById(id), Option.isSome))
        unseen = unseen.filter((_, i) => !seen[i])
        if (unseen.length === 0 && (yield* jobs.countRunning(PUSH_WORKFLOW_KINDS)) < maxRunning) return true
        if (DateTime.isGreaterThanOrEqualTo(yield* DateTime.now, deadline)) return false
        yield* Effect.sleep(ROOM_POLL)
      }
    })
  })

/**
 * Before a page's pushes start: each slice is a recorded activity, so a
 * replay of the sync repeats no wait and a restart resumes with the next slice.
 */
const waitForRoom = (list: string, page: number, maxRunning: number, before: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    let slice = 1
    while (!(yield* room(`accounting.sync-all.room/${list}/${page}/${slice}`, maxRunning, before))) slice++
  })

// Detached: a push's end must not wake the sync (a replay per entity), and the sync may end first.
const start = { discard: true, detached: true } as const

/** Reads `syncSettings` when the engine starts. */
export const SyncAllWorkflowLayer = Layer.unwrap(Effect.map(Effect.orDie(syncSettings), ({ maxRunning }) =>
  SyncAllWorkflow.toLayer(trackedWorkflow(SyncAllWorkflow, ({ run }) =>
    Effect.gen(function*() {
      const version = `sync-${run}`
      const counts = { customers: 0, services: 0, invoices: 0, voids: 0, payments: 0 }
      // The execution ids of the page started last: the next page waits until the engine has them all.
      let started: Array<string> = []
      // Customers and services first: invoices push theirs when missing, but each only once is cheaper.
      for (let page = 1, after: CustomerId | undefined; ; page++) {
        const found = yield* customerPage(page, after)
        if (found.ids.length > 0) yield* waitForRoom("customers", page, maxRunning, started)
        started = yield* Effect.forEach(found.ids, (customerId) => PushCustomerWorkflow.execute({ customerId, version }, start))
        counts.customers += found.ids.length
        if (found.last === null) break
        after = found.last
      }
      for (let page = 1, after: ServiceId | undefined; ; page++) {
        const found = yield* servicePage(page, after)
        if (found.ids.length > 0) yield* waitForRoom("services", page, maxRunning, started)
        started = yield* Effect.forEach(found.ids, (serviceId) => PushServiceWorkflow.execute({ serviceId, version }, start))
        counts.services += found.ids.length
        if (found.last === null) break
        after = found.last
      }
      for (let page = 1, after: InvoiceId | undefined; ; page++) {
        const found = yield* invoicePage(page, after)
        if (found.issued.length + found.voided.length + found.payments.length > 0) {
          yield* waitForRoom("invoices", page, maxRunning, started)
        }
        started = [
          ...yield* Effect.forEach(found.issued, (invoiceId) => PushInvoiceWorkflow.execute({ invoiceId, version }, start)),
          ...yield* Effect.forEach(found.voided, (invoiceId) => VoidInvoiceWorkflow.execute({ invoiceId, version }, start)),
          ...yield* Effect.forEach(found.payments, (paid) => PushPaymentWorkflow.execute({ ...paid, version }, start))
        ]
        counts.invoices += found.issued.length
        counts.voids += found.voided.length
        counts.payments += found.payments.length
        if (found.last === null) break
        after = found.last
      }
      return counts
    }))))
)
