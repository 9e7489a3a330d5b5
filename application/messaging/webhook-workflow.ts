import { DateTime, Effect, Layer, Schema } from "effect"
import { ClusterSchema } from "effect/cluster"
import { Activity, Workflow } from "effect/workflow"
import { ContactId } from "../../domain/contact.ts"
import { isQuickBooksEvent } from "../accounting/pull-change.ts"
import { QuickBooksPullWorkflow } from "../accounting/pull-workflow.ts"
import { trackedWorkflow } from "../jobs/tracked-workflow.ts"
import { WebhookEventStore } from "../ports/webhook-event-store.ts"
import { Leads } from "./leads.ts"
import { OptOuts } from "./opt-outs.ts"
import { SendText } from "./send-text.ts"
import { WebhookProcessing, ProcessOutcome } from "./webhook-processing.ts"
import { WebhookSettings } from "./webhook-settings.ts"

/**
 * Processes one stored webhook event. `run` tells runs of one event apart:
 * `received` for the run the webhook starts, the retry job's time for each
 * retry (a finished execution with the same id would only be joined).
 */
export const WebhookWorkflow = Workflow.make("webhooks.process", {
  payload: { eventId: Schema.String, run: Schema.String },
  success: Schema.Literals(["Processed", "AlreadyProcessed", "Failed", "Missing"]),
  idempotencyKey: ({ eventId, run }) => `${eventId}/${run}`
})

/** The `run` of the execution a webhook starts. */
export const FIRST_RUN = "received"

export const HelpReply = Schema.Literals(["sent", "refused"])

// Activity names are part of every execution's durable history: never rename them.
const processEvent = (eventId: string) =>
  Activity.make({
    name: "webhooks.process-event",
    success: ProcessOutcome,
    execute: WebhookProcessing.use((processing) => processing.process(eventId))
  }).annotate(ClusterSchema.WithTransaction, true)

// Its own activity, after the event is recorded processed: the reply is
// queued once, in the same transaction as this activity's recorded result.
const replyHelp = (contactId: ContactId) =>
  Activity.make({
    name: "webhooks.help-reply",
    success: HelpReply,
    execute: Effect.gen(function*() {
      const { helpText } = yield* WebhookSettings
      return yield* (yield* SendText).send(contactId, helpText).pipe(
        Effect.as("sent" as const),
        // Opted out, no phone any more, ...: the help text is not owed then.
        Effect.catch((error) =>
          Effect.as(
            Effect.logWarning("help text not sent").pipe(Effect.annotateLogs({ contactId, reason: error._tag })),
            "refused" as const
          ))
      )
    })
  }).annotate(ClusterSchema.WithTransaction, true)

/** The use cases the activities run, built here so the layer needs only ports and the engine. */
const ActivityServices = Layer.mergeAll(WebhookProcessing.layer, SendText.layer).pipe(
  Layer.provide(Layer.merge(Leads.layer, OptOuts.layer)),
  Layer.merge(WebhookSettings.layer)
)

export const WebhookWorkflowLayer = WebhookWorkflow.toLayer(
  trackedWorkflow(WebhookWorkflow, ({ eventId }) =>
    Effect.gen(function*() {
      const outcome = yield* processEvent(eventId)
      if (outcome._tag === "Processed" && outcome.helpFor !== null) {
        yield* replyHelp(ContactId.make(outcome.helpFor.contactId))
      }
      return outcome._tag
    }))
).pipe(Layer.provide(ActivityServices))

/**
 * The retry job: starts a new run for every event still unprocessed after
 * `retryAfter` that has failed fewer than `maxAttempts` times. Answers the
 * run's name and the events it started.
 */
export const retryWebhookEvents = Effect.gen(function*() {
  const store = yield* WebhookEventStore
  const settings = yield* WebhookSettings
  const now = yield* DateTime.now
  const waiting = yield* store.listUnprocessed({
    olderThan: DateTime.subtractDuration(now, settings.retryAfter),
    maxAttempts: settings.maxAttempts,
    limit: 500
  })
  const run = `retry-${DateTime.formatIso(now)}`
  // QuickBooks changes share the table; their processing is the QuickBooks pull.
  yield* Effect.forEach(waiting, (event) =>
    isQuickBooksEvent(event.id)
      ? QuickBooksPullWorkflow.execute({ eventId: event.id, run }, { discard: true })
      : WebhookWorkflow.execute({ eventId: event.id, run }, { discard: true }), {
    discard: true
  })
  if (waiting.length > 0) yield* Effect.logInfo("retrying webhook events").pipe(Effect.annotateLogs({ count: waiting.length }))
  return { run, eventIds: waiting.map((event) => event.id) }
})
