import { DateTime, Duration, Effect, Option, Result, Schema } from "effect"
import { Activity } from "effect/workflow"
import { pushedHash } from "../../domain/quickbooks/pushed-hash.ts"
import { CREATE_VERSION, requestId, updateVersion } from "../../domain/quickbooks/request-id.ts"
import { type QboMappingError, sparseBody } from "../../domain/quickbooks/mapping.ts"
import {
  AccountingError,
  AccountingGateway,
  isRetryableAccounting,
  type QboEntityName,
  type QboRecord
} from "../ports/accounting-gateway.ts"
import { type AccountingMapping, AccountingMappings, type MappedKind } from "../ports/accounting-mappings.ts"
import { AccountingSyncLog, SyncAction, type SyncOutcome } from "../ports/accounting-sync-log.ts"
import { Ids } from "../ports/ids.ts"
import { QuickBooksConnectionStore } from "../ports/quickbooks-connection-store.ts"
import { Transactor } from "../ports/transactor.ts"

/**
 * Attempts of one push activity before its job fails. The gateway has
 * already waited out throttles (60 s) and retried 5xx answers inside each
 * attempt, so a few more are enough; the next full sync picks up the rest.
 */
export const MAX_PUSH_ATTEMPTS = 4

/** What one push did, recorded as the activity's result. */
export const PushOutcome = Schema.Struct({
  action: SyncAction,
  qboId: Schema.NullOr(Schema.String)
})
export type PushOutcome = typeof PushOutcome.Type

export type QboBody = Readonly<Record<string, unknown>>

/** Retries a push activity while its failure may pass (throttle, 5xx, network, timeout). */
export const retryPush = <A, R>(activity: Effect.Effect<A, AccountingError, R>) =>
  Activity.retry(activity, { times: MAX_PUSH_ATTEMPTS - 1, while: isRetryableAccounting })

/**
 * How long a retried attempt waits first: 2 s, 10 s, 50 s. A network blip or
 * a lost answer passes in seconds; retrying at once would only fail again.
 * (Not a durable wait: after a restart the attempt simply runs again.)
 */
export const retryDelay = (attempt: number): Duration.Duration =>
  attempt <= 1 ? Duration.zero : Duration.seconds(2 * 5 ** (attempt - 2))

/** The activity body, after the wait its attempt number asks for. */
export const afterRetryDelay = <A, E, R>(body: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Activity.CurrentAttempt, (attempt) => Effect.andThen(Effect.sleep(retryDelay(attempt)), body))

export const describeAccountingError = (error: AccountingError): string =>
  [error.reason, error.code === null ? null : `code ${error.code}`, error.element === null ? null : `element ${error.element}`]
    .filter((part) => part !== null)
    .join(", ") + `: ${error.message}`

export interface LogInput {
  readonly kind: MappedKind
  readonly crmId: string | null
  readonly qboId: string | null
  readonly action: SyncAction
  readonly outcome: SyncOutcome
  readonly error?: string | null
  readonly detail?: string | null
}

export const appendLog = Effect.fn("AccountingPush.log")(function*(input: LogInput) {
  const log = yield* AccountingSyncLog
  yield* log.append({
    id: yield* (yield* Ids).next,
    at: yield* DateTime.now,
    kind: input.kind,
    crmId: input.crmId,
    qboId: input.qboId,
    action: input.action,
    outcome: input.outcome,
    error: input.error ?? null,
    detail: input.detail ?? null
  })
})

/**
 * Logs a failed attempt (`retrying` while the engine will try again, else
 * `failed`), notes it on the connection for the status page, and fails with
 * it so the activity's retry policy decides.
 */
export const failAttempt = (target: { readonly kind: MappedKind; readonly crmId: string; readonly qboId: string | null }, action: SyncAction) =>
  (error: AccountingError) =>
    Effect.gen(function*() {
      const attempt = yield* Activity.CurrentAttempt
      const willRetry = isRetryableAccounting(error) && attempt < MAX_PUSH_ATTEMPTS
      const description = describeAccountingError(error)
      yield* appendLog({ ...target, action, outcome: willRetry ? "retrying" : "failed", error: description })
      if (!willRetry) yield* (yield* QuickBooksConnectionStore).recordSync({ at: yield* DateTime.now, error: description })
      return yield* error
    })

/** Saves the mapping and logs the success in one transaction, after QuickBooks answered. */
export const recordPushed = Effect.fn("AccountingPush.recordPushed")(function*(input: {
  readonly kind: MappedKind
  readonly crmId: string
  readonly record: QboRecord
  readonly hash: string | null
  readonly origin: AccountingMapping["origin"]
  readonly action: SyncAction
  readonly detail?: string | null
}) {
  const mappings = yield* AccountingMappings
  const store = yield* QuickBooksConnectionStore
  const now = yield* DateTime.now
  yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    yield* mappings.save({
      kind: input.kind,
      crmId: input.crmId,
      qboId: input.record.id,
      syncToken: input.record.syncToken,
      pushedHash: input.hash,
      origin: input.origin,
      updatedAt: now
    })
    yield* appendLog({
      kind: input.kind,
      crmId: input.crmId,
      qboId: input.record.id,
      action: input.action,
      outcome: "succeeded",
      detail: input.detail ?? null
    })
    yield* store.recordSync({ at: now, error: null })
  }))
})

/**
 * Creates with a request id derived from the entity and `version`: a retry
 * after a timeout or a crash gets the entity the first call created, never
 * a second one (QuickBooks answers a repeated requestid with its first answer).
 */
export const createInQbo = (entity: QboEntityName, kind: MappedKind, crmId: string, body: QboBody, version = CREATE_VERSION) =>
  AccountingGateway.use((gateway) => gateway.create(entity, body, requestId(kind, crmId, version)))

/**
 * A sparse update with the stored SyncToken; on 5010 (someone changed it in
 * QuickBooks since) reads the current SyncToken and tries once more. CRM wins:
 * the fields sent overwrite theirs. The request id names the content and the
 * token it was sent against, so a replay after a crash is answered, not redone.
 */
export const updateInQbo = (entity: QboEntityName, mapping: AccountingMapping, body: QboBody, hash: string) =>
  Effect.gen(function*() {
    const gateway = yield* AccountingGateway
    const send = (syncToken: string) =>
      gateway.update(
        entity,
        sparseBody(entity, mapping.qboId, syncToken, body),
        requestId(mapping.kind, mapping.crmId, updateVersion(hash, syncToken))
      )
    return yield* send(mapping.syncToken).pipe(
      Effect.catchIf(
        (error) => error.reason === "stale-object",
        () => Effect.flatMap(gateway.read(entity, mapping.qboId), (current) => send(current.syncToken))
      )
    )
  })

/** Pushes one entity whose body is built already: skip when its hash was pushed, else create or update. */
export const upsert = Effect.fn("AccountingPush.upsert")(function*(input: {
  readonly kind: MappedKind
  readonly entity: QboEntityName
  readonly crmId: string
  readonly body: QboBody
}): Effect.fn.Return<PushOutcome, AccountingError, AccountingGateway | AccountingMappings | AccountingSyncLog | Ids | QuickBooksConnectionStore | Transactor> {
  const mapping = yield* (yield* AccountingMappings).find(input.kind, input.crmId)
  const hash = pushedHash(input.body)
  if (Option.isSome(mapping) && mapping.value.pushedHash === hash) {
    yield* appendLog({ kind: input.kind, crmId: input.crmId, qboId: mapping.value.qboId, action: "skip", outcome: "succeeded" })
    return { action: "skip", qboId: mapping.value.qboId }
  }
  const target = { kind: input.kind, crmId: input.crmId, qboId: Option.isSome(mapping) ? mapping.value.qboId : null }
  if (Option.isNone(mapping)) {
    const record = yield* createInQbo(input.entity, input.kind, input.crmId, input.body).pipe(
      Effect.catch(failAttempt(target, "create"))
    )
    yield* recordPushed({ kind: input.kind, crmId: input.crmId, record, hash, origin: "pushed", action: "create" })
    return { action: "create", qboId: record.id }
  }
  const record = yield* updateInQbo(input.entity, mapping.value, input.body, hash).pipe(
    Effect.catch(failAttempt(target, "update"))
  )
  yield* recordPushed({ kind: input.kind, crmId: input.crmId, record, hash, origin: mapping.value.origin, action: "update" })
  return { action: "update", qboId: record.id }
})

/** The CRM entity is gone (deleted since the change): nothing to push, said in the log. */
export const skipMissing = (kind: MappedKind, crmId: string, what: string) =>
  Effect.as(
    appendLog({ kind, crmId, qboId: null, action: "skip", outcome: "succeeded", detail: `${what} no longer exists in the CRM` }),
    { action: "skip", qboId: null } satisfies PushOutcome
  )

/**
 * Names QuickBooks keeps unique: try before giving up ("Acme", "Acme (2)"
 * ...). Code 6240 names a customer, vendor or employee with the DisplayName,
 * or an item with the Name.
 */
export const MAX_NAME_CANDIDATES = 20

/**
 * `upsert` for an entity with a unique name: on 6240 the next candidate
 * name is tried (and logged). `hash` is of the body under the first
 * candidate, so a suffix alone never makes a push look changed. A create
 * whose name is taken first asks `onTaken` (a customer links to a matching
 * twin); its answer, if any, ends the push.
 */
export const upsertNamed = <R = never>(input: {
  readonly kind: MappedKind
  readonly entity: QboEntityName
  readonly crmId: string
  /** `update`: the body of a sparse update, which sends emptied fields empty so QuickBooks clears them. */
  readonly bodyFor: (candidate: number, mode: "create" | "update") => QboBody
  readonly hash: string
  readonly renamed: (candidate: number) => string | null
  readonly onTaken?: (candidate: number) => Effect.Effect<Option.Option<PushOutcome>, AccountingError, R>
}) =>
  Effect.gen(function*() {
    const { crmId, kind } = input
    const mapping = yield* (yield* AccountingMappings).find(kind, crmId)
    if (Option.isSome(mapping) && mapping.value.pushedHash === input.hash) {
      yield* appendLog({ kind, crmId, qboId: mapping.value.qboId, action: "skip", outcome: "succeeded" })
      return { action: "skip", qboId: mapping.value.qboId } satisfies PushOutcome as PushOutcome
    }
    const target = { kind, crmId, qboId: Option.isSome(mapping) ? mapping.value.qboId : null }
    const action = Option.isSome(mapping) ? "update" as const : "create" as const
    for (let n = 1; ; n++) {
      const body = input.bodyFor(n, Option.isSome(mapping) ? "update" : "create")
      const sent = Option.isSome(mapping)
        ? updateInQbo(input.entity, mapping.value, body, input.hash)
        // Each name its own request id: QuickBooks would answer a repeated id with the first 6240 again.
        : createInQbo(input.entity, kind, crmId, body, n === 1 ? CREATE_VERSION : `${CREATE_VERSION}-${n}`)
      const result = yield* sent.pipe(
        Effect.map(Option.some),
        Effect.catchIf((error) => error.reason === "duplicate-name" && n < MAX_NAME_CANDIDATES, () => Effect.succeedNone),
        Effect.catch(failAttempt(target, action))
      )
      if (Option.isSome(result)) {
        const origin = Option.isSome(mapping) ? mapping.value.origin : "pushed"
        yield* recordPushed({ kind, crmId, record: result.value, hash: input.hash, origin, action, detail: input.renamed(n) })
        return { action, qboId: result.value.id } satisfies PushOutcome as PushOutcome
      }
      if (Option.isNone(mapping) && input.onTaken !== undefined) {
        const settled = yield* input.onTaken(n)
        if (Option.isSome(settled)) return settled.value
      }
      yield* Effect.logInfo("QuickBooks name taken; trying the next").pipe(Effect.annotateLogs({ kind, crmId, candidate: n }))
    }
  })

/** A CRM record QuickBooks cannot take as it stands (domain mapping refused it): final, logged. */
export const bodyOrFail = <A>(kind: MappedKind, crmId: string, built: Result.Result<A, QboMappingError>) =>
  Result.isSuccess(built) ? Effect.succeed(built.success) : Effect.gen(function*() {
    const error = new AccountingError({ reason: "validation", status: null, code: null, element: null, message: built.failure.message })
    yield* appendLog({ kind, crmId, qboId: null, action: "create", outcome: "failed", error: error.message })
    return yield* error
  })
