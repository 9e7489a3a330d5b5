import { DateTime, Effect, Option, Schema, Semaphore } from "effect"
import { ClusterSchema } from "effect/cluster"
import { Activity, Workflow } from "effect/workflow"
import { MessageId } from "../../domain/messaging/message.ts"
import { trackedWorkflow } from "../jobs/tracked-workflow.ts"
import { MessageRepository } from "../ports/message-repository.ts"
import { SmsFailureReason, SmsGateway } from "../ports/sms-gateway.ts"
import { Transactor } from "../ports/transactor.ts"
import { OptOuts } from "./opt-outs.ts"

/** What one delivery attempt found; recorded in the workflow's history, so a replay never calls the provider again. */
export const DeliveryAttempt = Schema.Union([
  Schema.TaggedStruct("Accepted", { providerId: Schema.String }),
  Schema.TaggedStruct("Rejected", { reason: SmsFailureReason, message: Schema.String }),
  /** The message was no longer queued: an earlier attempt claimed it and may have sent it. */
  Schema.TaggedStruct("InDoubt", {}),
  /** Resolved without the provider: opted out (now failed), or gone. */
  Schema.TaggedStruct("Skipped", { reason: Schema.String })
])
export type DeliveryAttempt = typeof DeliveryAttempt.Type

/** How a send ended for this workflow: `sending` means left in doubt for reconcile. */
export const DeliveryResult = Schema.Literals(["sent", "failed", "sending", "skipped"])
export type DeliveryResult = typeof DeliveryResult.Type

/**
 * Sends one queued text (design-8, send protocol). The execution id is derived
 * from the message id, so starting it twice for one message is one execution.
 */
export const SendTextWorkflow = Workflow.make("messages.send-text", {
  payload: { messageId: MessageId },
  success: DeliveryResult,
  idempotencyKey: ({ messageId }) => messageId
})

/** A timeout or a broken connection may have reached the provider: only reconcile can tell. */
const mayHaveBeenSent = (reason: SmsFailureReason): boolean => reason === "timeout" || reason === "network"

/**
 * Deliveries under way in this process at once. A claimed text is in doubt
 * until its outcome is recorded; claiming only once a slot is free keeps a
 * crash from stranding every text queued behind the provider's rate limit.
 */
const deliveries = Semaphore.makeUnsafe(8)

// Activity names are part of every execution's durable history: never rename them.
const deliver = (messageId: MessageId) =>
  Activity.make({
    name: "messages.deliver",
    success: DeliveryAttempt,
    // Deliberately not WithTransaction: the claim must commit before the
    // provider is called, so a crash after the call leaves the row `sending`
    // (in doubt) rather than `queued` (sent again).
    execute: Semaphore.withPermits(deliveries, 1)(Effect.gen(function*() {
      const repo = yield* MessageRepository
      const optOuts = yield* OptOuts
      const gateway = yield* SmsGateway
      const tx = yield* Transactor
      const claimed = yield* tx.withTransaction(Effect.gen(function*() {
        const found = yield* repo.findById(messageId)
        if (Option.isNone(found)) return { _tag: "Skipped", reason: "gone" } as const
        const message = found.value
        // The check locks the numbers until commit, so an opt-out recorded
        // meanwhile either is seen here or waits for this claim.
        const optedOut = yield* optOuts.ensureTextable({ phone: message.contactNumber, contactId: message.contactId }).pipe(
          Effect.as(false),
          Effect.catchTag("OptedOut", () => Effect.succeed(true))
        )
        const now = yield* DateTime.now
        if (!(yield* repo.claim(messageId, now))) return { _tag: "InDoubt" } as const
        if (optedOut) {
          yield* repo.recordOutcome(messageId, { _tag: "Failed", error: "opted-out", at: now })
          return { _tag: "Skipped", reason: "opted-out" } as const
        }
        return { _tag: "Claimed", to: message.contactNumber, content: message.body } as const
      }))
      if (claimed._tag !== "Claimed") return claimed
      return yield* gateway.send({ to: claimed.to, content: claimed.content }).pipe(
        Effect.map((accepted): DeliveryAttempt => ({ _tag: "Accepted", providerId: accepted.providerId })),
        Effect.catchTag("SmsGatewayError", (error) =>
          Effect.succeed<DeliveryAttempt>({ _tag: "Rejected", reason: error.reason, message: error.message }))
      )
    }))
  })

const recordOutcome = (messageId: MessageId, attempt: DeliveryAttempt) =>
  Activity.make({
    name: "messages.record-outcome",
    success: DeliveryResult,
    execute: Effect.gen(function*() {
      const repo = yield* MessageRepository
      const at = yield* DateTime.now
      switch (attempt._tag) {
        case "Accepted":
          yield* repo.recordOutcome(messageId, { _tag: "Sent", providerId: attempt.providerId, at })
          return "sent" as const
        case "Rejected":
          if (mayHaveBeenSent(attempt.reason)) return "sending" as const
          yield* repo.recordOutcome(messageId, { _tag: "Failed", error: `${attempt.reason}: ${attempt.message}`, at })
          return "failed" as const
        case "InDoubt":
          return "sending" as const
        case "Skipped":
          return "skipped" as const
      }
    })
  }).annotate(ClusterSchema.WithTransaction, true)

export const SendTextWorkflowLayer = SendTextWorkflow.toLayer(
  trackedWorkflow(SendTextWorkflow, ({ messageId }) =>
    Effect.gen(function*() {
      const attempt = yield* deliver(messageId)
      return yield* recordOutcome(messageId, attempt)
    }))
)
