import { Cause, Context, DateTime, Effect, Exit, Layer, Option, Result, Schema } from "effect"
import { type QboRecord, AccountingGateway, QboEntityName } from "../ports/accounting-gateway.ts"
import { QuickBooksConnectionStore } from "../ports/quickbooks-connection-store.ts"
import { Transactor } from "../ports/transactor.ts"
import { WebhookEventStore } from "../ports/webhook-event-store.ts"
import { appendLog, describeAccountingError } from "./push-steps.ts"
import { AccountingSyncLog } from "../ports/accounting-sync-log.ts"
import { Ids } from "../ports/ids.ts"
import { type AccountingChange, AccountingSync } from "./accounting-sync.ts"
import { decodePulledChange, isActedOn, PULLED_KINDS, type PulledChange } from "./pull-change.ts"
import { PullApply } from "./pull-apply.ts"

/** What processing one stored QuickBooks change came to; a Schema, since a workflow activity records it. */
export const PullOutcome = Schema.Literals(["Processed", "AlreadyProcessed", "Failed", "Missing"])
export type PullOutcome = typeof PullOutcome.Type

const deletion = (operation: string) => operation === "Delete" || operation === "Merge"

const describe = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  const text = error instanceof Error ? error.message : String(error)
  return text.length > 500 ? `${text.slice(0, 497)}...` : text
}

/**
 * Processes stored QuickBooks changes (from webhooks and Change Data
 * Capture). The entity is read from QuickBooks first, outside any
 * transaction (an HTTP call never holds a row lock); then one transaction
 * locks the event, applies the change (in a savepoint) and marks the event
 * processed, or records the failed attempt for the retry job. Pushes the
 * change asks for (a conflict the CRM wins) start after the commit.
 */
export class QuickBooksPull extends Context.Service<QuickBooksPull, {
  /** `known`: the entity as QuickBooks reported it already (CDC), so it is not read again. */
  readonly process: (eventId: string, known?: QboRecord | null) => Effect.Effect<PullOutcome>
}>()("crm/application/accounting/QuickBooksPull") {
  /** Needs WebhookEventStore, Transactor, AccountingGateway, QuickBooksConnectionStore, AccountingSync and PullApply's needs. */
  static readonly layer = Layer.effect(
    QuickBooksPull,
    Effect.gen(function*() {
      const events = yield* WebhookEventStore
      const tx = yield* Transactor
      const gateway = yield* AccountingGateway
      const connections = yield* QuickBooksConnectionStore
      const sync = yield* AccountingSync
      const apply = yield* PullApply
      // appendLog reads these from the context.
      const context = yield* Effect.context<AccountingSyncLog | Ids>()

      /** Records the failed attempt for the retry job, and in the sync log when the change is known. */
      const fail = (eventId: string, attempts: number, error: string, change?: PulledChange) =>
        Effect.gen(function*() {
          yield* events.markFailed(eventId, { attempts, error })
          const kind = change === undefined || !isActedOn(change.entity) ? undefined : PULLED_KINDS[change.entity]
          if (change !== undefined && kind !== undefined) {
            yield* appendLog({ kind, crmId: null, qboId: change.id, action: "pull", outcome: "retrying", error })
          }
          yield* Effect.logWarning("QuickBooks change not processed").pipe(Effect.annotateLogs({ eventId, attempts, error }))
          return "Failed" as const
        }).pipe(Effect.provideContext(context))

      /** The entity as it is now: none for a deletion, or one QuickBooks no longer has. */
      const current = (change: PulledChange, known: QboRecord | null | undefined) => {
        if (known !== undefined) return Effect.succeed(Option.fromNullishOr(known))
        if (deletion(change.operation) || !Schema.is(QboEntityName)(change.entity)) return Effect.succeed(Option.none<QboRecord>())
        return gateway.read(change.entity, change.id).pipe(
          Effect.map(Option.some),
          Effect.catchIf((error) => error.reason === "not-found", () => Effect.succeed(Option.none<QboRecord>()))
        )
      }

      const process = Effect.fn("QuickBooksPull.process")(function*(eventId: string, known?: QboRecord | null) {
        const found = yield* events.find(eventId)
        if (Option.isNone(found)) return "Missing" as const
        if (found.value.processedAt !== null) return "AlreadyProcessed" as const
        const attempts = found.value.attempts + 1
        const decoded = yield* Effect.exit(decodePulledChange(found.value.payload))
        // Stored by this code, so never expected; acknowledged rather than retried forever.
        if (Exit.isFailure(decoded)) {
          yield* Effect.logError("QuickBooks change unreadable").pipe(Effect.annotateLogs({ eventId }))
          yield* events.markProcessed(eventId, { at: yield* DateTime.now, attempts })
          return "Processed" as const
        }
        const change = decoded.value
        const connection = yield* connections.find
        if (Option.isNone(connection)) return yield* fail(eventId, attempts, "QuickBooks is not connected")
        const ignored = !isActedOn(change.entity) || change.realmId !== connection.value.realmId
        let entity = Option.none<QboRecord>()
        if (!ignored) {
          const read = yield* Effect.result(current(change, known))
          if (Result.isFailure(read)) return yield* fail(eventId, attempts, describeAccountingError(read.failure), change)
          entity = read.success
        }

        const pushes: Array<AccountingChange> = []
        const outcome = yield* tx.withTransaction(Effect.gen(function*() {
          const locked = yield* events.findForUpdate(eventId)
          if (Option.isNone(locked)) return "Missing" as const
          if (locked.value.processedAt !== null) return "AlreadyProcessed" as const
          const tries = locked.value.attempts + 1
          if (!ignored) {
            // A savepoint: a failure undoes the change's writes, not the record of the failed attempt.
            const applied = yield* Effect.exit(tx.withTransaction(apply.apply(change, entity)))
            if (Exit.isFailure(applied)) {
              if (Cause.hasInterruptsOnly(applied.cause)) return yield* Effect.interrupt
              return yield* fail(eventId, tries, describe(applied.cause), change)
            }
            pushes.push(...applied.value)
          }
          yield* events.markProcessed(eventId, { at: yield* DateTime.now, attempts: tries })
          return "Processed" as const
        }))
        // After the commit: a push job reads what this transaction wrote.
        yield* Effect.forEach(pushes, (push) => sync.changed(push), { discard: true })
        return outcome
      })

      return QuickBooksPull.of({ process })
    })
  )
}
