import { Cause, Context, DateTime, Effect, Exit, Layer, Result, Schema } from "effect"
import type { WorkflowEngine } from "effect/workflow"
import { parseWebhook } from "../../domain/quickbooks/webhook.ts"
import { WebhookEventStore } from "../ports/webhook-event-store.ts"
import { isActedOn, type PulledChange, pulledEventType, QUICKBOOKS_EVENT_PREFIX } from "./pull-change.ts"
import { FIRST_RUN, QuickBooksPullWorkflow } from "./pull-workflow.ts"

/** The body is JSON but not an Intuit webhook body (either form). */
export class MalformedQuickBooksWebhook extends Schema.TaggedError<MalformedQuickBooksWebhook>()("MalformedQuickBooksWebhook", {
  message: Schema.String
}) {}

export interface QuickBooksWebhookReceipt {
  /** Entity changes in the body. */
  readonly notifications: number
  /** Stored now and queued for processing. */
  readonly accepted: number
  /** Received before (Intuit redelivers until it gets a 200): nothing stored or started. */
  readonly duplicates: number
}

/**
 * Takes in a QuickBooks webhook whose signature the adapter verified:
 * stores each entity change once (by its dedupe key, in webhook_events with
 * ids prefixed "quickbooks:") and starts its processing on the job engine
 * without waiting, so Intuit gets its answer well within its 3 seconds. No
 * call to QuickBooks is made here.
 */
export class QuickBooksWebhookIngestion extends Context.Service<QuickBooksWebhookIngestion, {
  readonly receive: (payload: unknown) => Effect.Effect<QuickBooksWebhookReceipt, MalformedQuickBooksWebhook>
}>()("crm/application/accounting/QuickBooksWebhookIngestion") {
  /** Needs WebhookEventStore and a WorkflowEngine. */
  static readonly layer = Layer.effect(
    QuickBooksWebhookIngestion,
    Effect.gen(function*() {
      const store = yield* WebhookEventStore
      const context = yield* Effect.context<WorkflowEngine.WorkflowEngine>()

      const receive = Effect.fn("QuickBooksWebhookIngestion.receive")(function*(payload: unknown) {
        const parsed = parseWebhook(payload)
        if (Result.isFailure(parsed)) {
          return yield* new MalformedQuickBooksWebhook({ message: `Not an Intuit webhook body: ${parsed.failure.message.slice(0, 300)}` })
        }
        const receivedAt = yield* DateTime.now
        let accepted = 0
        let duplicates = 0
        for (const notification of parsed.success) {
          // Notifications about other entities are acknowledged and not stored.
          if (!isActedOn(notification.entity)) continue
          const change: PulledChange = {
            realmId: notification.realmId,
            entity: notification.entity,
            id: notification.id,
            operation: notification.operation,
            lastUpdated: notification.lastUpdated,
            source: "webhook"
          }
          const id = `${QUICKBOOKS_EVENT_PREFIX}${notification.key}`
          const inserted = yield* store.insertIfNew({ id, type: pulledEventType(change), payload: change, receivedAt })
          if (inserted === "duplicate") {
            duplicates += 1
            continue
          }
          accepted += 1
          // Stored: if its processing cannot start now, the retry job starts it.
          const started = yield* Effect.exit(QuickBooksPullWorkflow.execute({ eventId: id, run: FIRST_RUN }, { discard: true }))
          if (Exit.isFailure(started)) {
            if (Cause.hasInterruptsOnly(started.cause)) return yield* Effect.interrupt
            yield* Effect.logWarning("QuickBooks change processing not started; the retry job will").pipe(
              Effect.annotateLogs({ eventId: id, cause: Cause.pretty(started.cause) })
            )
          }
        }
        return { notifications: parsed.success.length, accepted, duplicates }
      }, Effect.provideContext(context))

      return QuickBooksWebhookIngestion.of({ receive })
    })
  )
}
