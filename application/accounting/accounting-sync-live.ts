import { DateTime, Effect, Layer, Option } from "effect"
import { WorkflowEngine } from "effect/workflow"
import { ServiceId } from "../../domain/billing/catalog-service.ts"
import { CustomerId } from "../../domain/billing/customer.ts"
import { InvoiceId } from "../../domain/billing/invoice.ts"
import { PaymentId } from "../../domain/billing/payment.ts"
import { CREATE_VERSION, VOID_VERSION } from "../../domain/quickbooks/request-id.ts"
import { type AccountingMapping, AccountingMappings, type MappedKind } from "../ports/accounting-mappings.ts"
import { CustomerRepository } from "../ports/customer-repository.ts"
import { InvoiceRepository } from "../ports/invoice-repository.ts"
import { QuickBooksConnectionStore } from "../ports/quickbooks-connection-store.ts"
import { ServiceRepository } from "../ports/service-repository.ts"
import { AccountingSettings } from "./accounting-settings.ts"
import { type AccountingChange, AccountingSync } from "./accounting-sync.ts"
import {
  PushCustomerWorkflow,
  PushInvoiceWorkflow,
  PushPaymentWorkflow,
  PushServiceWorkflow,
  VoidInvoiceWorkflow
} from "./push-workflows.ts"

/** A push job's version: the entity's `updatedAt` and what was last pushed of it (`new`, `forced` when a pull cleared it). */
export const pushVersion = (updatedAt: DateTime.Utc, mapping: Option.Option<AccountingMapping>): string =>
  `${DateTime.formatIso(updatedAt)}/${Option.isSome(mapping) ? mapping.value.pushedHash ?? "forced" : "new"}`

/** QuickBooks off (not configured), and the unit tests' default: changes go nowhere. */
export const AccountingSyncOff = Layer.succeed(AccountingSync, AccountingSync.of({ changed: () => Effect.void }))


/**
 * Starts the push job for a change when QuickBooks is connected. The job's
 * version is the entity's `updatedAt` and the hash last pushed for it, so
 * announcing one change twice starts one job, while a push forced by a pull
 * (which clears the hash: CRM wins) is a new job even when the CRM did not
 * change. It never fails its caller, whose transaction has committed: a
 * change not queued (database hiccup) is found by the next full sync, whose
 * hash comparison sees it.
 */
export const AccountingSyncLive = Layer.effect(
  AccountingSync,
  Effect.gen(function*() {
    const settings = yield* AccountingSettings
    const store = yield* QuickBooksConnectionStore
    const customers = yield* CustomerRepository
    const services = yield* ServiceRepository
    const invoices = yield* InvoiceRepository
    const engine = yield* WorkflowEngine.WorkflowEngine
    const mappings = yield* AccountingMappings

    const versionOf = (kind: MappedKind, found: Option.Option<{ readonly id: string; readonly updatedAt: DateTime.Utc }>) =>
      Option.isNone(found)
        ? Effect.succeedNone
        : Effect.map(mappings.find(kind, found.value.id), (mapping) => Option.some(pushVersion(found.value.updatedAt, mapping)))
    const discard = { discard: true } as const

    const start = (change: AccountingChange) =>
      Effect.gen(function*() {
        switch (change.kind) {
          case "customer": {
            const customerId = CustomerId.make(change.id)
            const version = yield* versionOf("customer", yield* customers.findById(customerId))
            if (Option.isSome(version)) yield* PushCustomerWorkflow.execute({ customerId, version: version.value }, discard)
            return
          }
          case "service": {
            const serviceId = ServiceId.make(change.id)
            const version = yield* versionOf("service", yield* services.findById(serviceId))
            if (Option.isSome(version)) yield* PushServiceWorkflow.execute({ serviceId, version: version.value }, discard)
            return
          }
          case "invoice": {
            const invoiceId = InvoiceId.make(change.id)
            if (change.action === "void") {
              yield* VoidInvoiceWorkflow.execute({ invoiceId, version: VOID_VERSION }, discard)
              return
            }
            const version = yield* versionOf("invoice", yield* invoices.findById(invoiceId))
            if (Option.isSome(version)) yield* PushInvoiceWorkflow.execute({ invoiceId, version: version.value }, discard)
            return
          }
          case "payment": {
            if (change.invoiceId === undefined) {
              return yield* Effect.logWarning("payment change without its invoice: left to the next full sync").pipe(
                Effect.annotateLogs({ paymentId: change.id })
              )
            }
            yield* PushPaymentWorkflow.execute({
              invoiceId: InvoiceId.make(change.invoiceId),
              paymentId: PaymentId.make(change.id),
              version: CREATE_VERSION
            }, discard)
            return
          }
        }
      })

    const changed = (change: AccountingChange) =>
      Effect.gen(function*() {
        if (!settings.enabled) return
        if (Option.isNone(yield* store.find)) return
        yield* start(change)
      }).pipe(
        Effect.provideService(WorkflowEngine.WorkflowEngine, engine),
        Effect.catchCause((cause) =>
          Effect.logWarning("QuickBooks push not queued; the next full sync will send it", cause).pipe(
            Effect.annotateLogs({ kind: change.kind, id: change.id })
          )
        ),
        Effect.withSpan("AccountingSync.changed")
      )

    return AccountingSync.of({ changed })
  })
)
