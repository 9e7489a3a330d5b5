import { Cause, Context, DateTime, Effect, Exit, Layer } from "effect"
import type { WorkflowEngine } from "effect/workflow"
import { WebhookEventStore } from "../ports/webhook-event-store.ts"
import { decodeWebhookEvent, type MalformedWebhook } from "./webhook-events.ts"
import { FIRST_RUN, WebhookWorkflow } from "./webhook-workflow.ts"

export interface WebhookReceipt {
  readonly eventId: string
  readonly type: string
  /** `duplicate`: an event with this id was received before; nothing was stored or started. */
  readonly status: "accepted" | "duplicate"
}

/**
 * Takes in a webhook event whose signature the adapter verified: stores it
 * once by event id and starts its processing on the job engine without
 * waiting for it, so the provider gets its answer fast.
 */
export class WebhookIngestion extends Context.Service<WebhookIngestion, {
  readonly receive: (payload: unknown) => Effect.Effect<WebhookReceipt, MalformedWebhook>
}>()("crm/application/messaging/WebhookIngestion") {
  /** Needs WebhookEventStore and a WorkflowEngine. */
  static readonly layer = Layer.effect(
    WebhookIngestion,
    Effect.gen(function*() {
      const store = yield* WebhookEventStore
      const context = yield* Effect.context<WorkflowEngine.WorkflowEngine>()

      const receive = Effect.fn("WebhookIngestion.receive")(function*(payload: unknown) {
        // Decoded whole now so a malformed event is refused (400) rather than stored to fail later.
        const event = yield* decodeWebhookEvent(payload)
        const type = event._tag === "Other" ? event.type : eventType[event._tag]
        const inserted = yield* store.insertIfNew({ id: event.id, type, payload, receivedAt: yield* DateTime.now })
        if (inserted === "duplicate") return { eventId: event.id, type, status: "duplicate" } as const
        // The event is stored: if its processing cannot be started now (or the
        // process stops first), the retry job starts it, so the provider is
        // still told it arrived.
        const started = yield* Effect.exit(WebhookWorkflow.execute({ eventId: event.id, run: FIRST_RUN }, { discard: true }))
        if (Exit.isFailure(started)) {
          if (Cause.hasInterruptsOnly(started.cause)) return yield* Effect.interrupt
          yield* Effect.logWarning("webhook processing not started; the retry job will").pipe(
            Effect.annotateLogs({ eventId: event.id, cause: Cause.pretty(started.cause) })
          )
        }
        return { eventId: event.id, type, status: "accepted" } as const
      }, Effect.provideContext(context))

      return WebhookIngestion.of({ receive })
    })
  )
}

const eventType = {
  MessageReceived: "message.received",
  MessageDelivered: "message.delivered",
  CallCompleted: "call.completed",
  CallRecordingCompleted: "call.recording.completed"
} as const
