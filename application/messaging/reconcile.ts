import { Config, Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import { WorkflowEngine } from "effect/workflow"
import type { MessageId } from "../../domain/messaging/message.ts"
import { CLOCK_SKEW, decideReconcile } from "../../domain/messaging/reconcile.ts"
import { type InDoubtMessage, MessageRepository } from "../ports/message-repository.ts"
import { SmsGateway } from "../ports/sms-gateway.ts"
import { Transactor } from "../ports/transactor.ts"
import { SendTextWorkflow } from "./send-text-workflow.ts"

/** Messages looked at per run; the next run (a minute later) takes the rest. */
const BATCH = 100
/** Provider messages read per in-doubt text: more than a person texts one number in the give-up window. */
const PROVIDER_PAGE = 50

/**
 * A text whose delivery workflow has not finished is still being retried by
 * it, and is not in doubt yet; past this age the workflow is taken to be stuck
 * (its retries take minutes: OPENPHONE_MAX_RETRIES x OPENPHONE_RETRY_MAX_DELAY).
 */
const DELIVERY_RUNS_AT_MOST = Duration.hours(1)

/** Why a text whose delivery ended before claiming it is failed: it never reached the provider. */
export const DELIVERY_STOPPED = "delivery stopped before sending; not sent"

export interface ReconcileSettings {
  /** How long a send may still be running before its message counts as in doubt. */
  readonly grace: Duration.Duration
  /** After this, a message the provider does not list is failed (never resent). */
  readonly giveUpAfter: Duration.Duration
}

/** MESSAGES_RECONCILE_GRACE (default 2 minutes) and MESSAGES_RECONCILE_GIVE_UP (default 15 minutes). */
export const reconcileSettings = Config.all({
  grace: Config.Duration("MESSAGES_RECONCILE_GRACE").pipe(Config.withDefault(Duration.minutes(2))),
  giveUpAfter: Config.Duration("MESSAGES_RECONCILE_GIVE_UP").pipe(Config.withDefault(Duration.minutes(15)))
})

export interface ReconcileReport {
  readonly sent: number
  readonly failed: number
  readonly waiting: number
  /** Queued texts whose delivery was started again. */
  readonly restarted: number
}

/**
 * Resolves texts left `sending` (a crash or a lost answer between the provider
 * call and recording its result) from the provider's own list: same
 * recipient, same text, after the attempt started. Never sends again.
 */
export class ReconcileMessages extends Context.Service<ReconcileMessages, {
  readonly run: Effect.Effect<ReconcileReport>
}>()("crm/application/messaging/ReconcileMessages") {
  /** Needs MessageRepository, SmsGateway, Transactor, a WorkflowEngine and config. */
  static readonly layer = Layer.effect(
    ReconcileMessages,
    Effect.gen(function*() {
      const repo = yield* MessageRepository
      const gateway = yield* SmsGateway
      const tx = yield* Transactor
      const settings = yield* Effect.orDie(reconcileSettings)
      const engine = yield* WorkflowEngine.WorkflowEngine

      const claimedIds = (providerIds: ReadonlyArray<string>) =>
        Effect.map(
          Effect.forEach(providerIds, (id) => Effect.map(repo.findByProviderId(id), (found) => [id, found] as const)),
          (found) => new Set(found.filter(([, message]) => message._tag === "Some").map(([id]) => id))
        )

      // Whether the text's delivery workflow is still running (retrying the
      // provider): reconciling it then could fail a text the provider is
      // about to accept. After a crash the workflow resumes, finds the text
      // claimed and ends at once, leaving it to the lookup below.
      const stillDelivering = Effect.fnUntraced(function*(messageId: MessageId) {
        const executionId = yield* SendTextWorkflow.executionId({ messageId })
        const result = yield* SendTextWorkflow.poll(executionId)
        return Option.isNone(result) || result.value._tag === "Suspended"
      }, Effect.provideService(WorkflowEngine.WorkflowEngine, engine))

      const resolve = Effect.fnUntraced(function*({ message, sendStartedAt }: InDoubtMessage) {
        const now = yield* DateTime.now
        const age = DateTime.distance(sendStartedAt, now)
        if (Duration.isLessThan(age, DELIVERY_RUNS_AT_MOST) && (yield* stillDelivering(message.id))) {
          return "waiting" as const
        }
        const listed = yield* gateway.listMessages({
          participant: message.contactNumber,
          createdAfter: DateTime.subtractDuration(sendStartedAt, CLOCK_SKEW),
          maxResults: PROVIDER_PAGE
        })
        const decision = decideReconcile({
          message: { to: message.contactNumber, body: message.body, sendStartedAt },
          providerMessages: listed.messages,
          now,
          grace: settings.grace,
          giveUpAfter: settings.giveUpAfter,
          claimedProviderIds: yield* claimedIds(listed.messages.map((m) => m.providerId))
        })
        switch (decision._tag) {
          case "Wait":
            return "waiting" as const
          case "Failed":
            yield* repo.recordOutcome(message.id, { _tag: "Failed", error: decision.reason, at: now })
            return "failed" as const
          case "Sent":
            yield* tx.withTransaction(Effect.gen(function*() {
              yield* repo.recordOutcome(message.id, { _tag: "Sent", providerId: decision.providerId, at: now })
              if (decision.status === "delivered" || decision.status === "undelivered") {
                yield* repo.applyProviderStatus({ providerId: decision.providerId, status: decision.status, at: now })
              }
            }))
            return "sent" as const
        }
      }, (effect, inDoubt) =>
        // One provider failure leaves that message for the next run, not the whole batch.
        Effect.catchTag(effect, "SmsGatewayError", (error) =>
          Effect.as(
            Effect.logWarning("reconcile could not list provider messages").pipe(
              Effect.annotateLogs({ messageId: inDoubt.message.id, reason: error.reason })
            ),
            "waiting" as const
          )))

      // A crash between queuing a text and starting its delivery leaves it
      // queued: starting the workflow again joins the existing execution if
      // there is one (its id comes from the message id), so nothing doubles.
      // An execution that already ended with the row still queued stopped
      // before claiming it (a defect, e.g. the database went away): the text
      // was never sent, and is failed rather than left queued for ever.
      const restartDelivery = Effect.fnUntraced(function*(messageId: MessageId) {
        const executionId = yield* SendTextWorkflow.executionId({ messageId })
        const result = yield* SendTextWorkflow.poll(executionId)
        if (Option.isNone(result) || result.value._tag === "Suspended") {
          yield* SendTextWorkflow.execute({ messageId }, { discard: true })
          return "restarted" as const
        }
        const now = yield* DateTime.now
        // Unless the execution claimed it meanwhile: then it is no longer queued, and not ours to settle.
        return yield* tx.withTransaction(Effect.gen(function*() {
          if (!(yield* repo.claim(messageId, now))) return "settled" as const
          yield* repo.recordOutcome(messageId, { _tag: "Failed", error: DELIVERY_STOPPED, at: now })
          return "failed" as const
        }))
      }, Effect.provideService(WorkflowEngine.WorkflowEngine, engine))

      const run = Effect.gen(function*() {
        const now = yield* DateTime.now
        const before = DateTime.subtractDuration(now, settings.grace)
        const queued = yield* repo.listQueued(before, BATCH)
        const started = yield* Effect.forEach(queued, (message) => restartDelivery(message.id))
        const inDoubt = yield* repo.listInDoubt(before, BATCH)
        const outcomes = yield* Effect.forEach(inDoubt, resolve)
        const count = (outcome: string) => outcomes.filter((o) => o === outcome).length
        const report = {
          sent: count("sent"),
          failed: count("failed") + started.filter((s) => s === "failed").length,
          waiting: count("waiting"),
          restarted: started.filter((s) => s === "restarted").length
        }
        if (report.sent + report.failed + report.restarted > 0) {
          yield* Effect.logInfo("reconciled messages").pipe(Effect.annotateLogs(report))
        }
        return report
      }).pipe(Effect.withSpan("ReconcileMessages.run"))

      return ReconcileMessages.of({ run })
    })
  )
}
