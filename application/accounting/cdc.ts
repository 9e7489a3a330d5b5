import { DateTime, Duration, Effect, Option } from "effect"
import { AccountingGateway, type QboChange, type QboEntityName } from "../ports/accounting-gateway.ts"
import { QuickBooksConnectionStore } from "../ports/quickbooks-connection-store.ts"
import { WebhookEventStore } from "../ports/webhook-event-store.ts"
import { AccountingSettings } from "./accounting-settings.ts"
import { type PulledChange, pulledEventType, QUICKBOOKS_EVENT_PREFIX } from "./pull-change.ts"
import { QuickBooksPull } from "./pull-processing.ts"

/** What Change Data Capture is asked about: what QuickBooks users change that the CRM acts on. */
export const CDC_ENTITIES: ReadonlyArray<QboEntityName> = ["Payment", "Invoice", "Customer"]

/**
 * QuickBooks answers CDC for up to 30 days back. The poll asks for a little
 * less, so a request that takes a moment to arrive is not refused.
 */
export const CDC_LOOKBACK = Duration.subtract(Duration.days(30), Duration.minutes(5))

/** The stored form of a CDC entry: `Delete` when CDC says deleted, else `Update` (CDC does not say which). */
const pulledChange = (realmId: string, change: QboChange): PulledChange => ({
  realmId,
  entity: change.entity,
  id: change.id,
  operation: change.deleted ? "Delete" : "Update",
  lastUpdated: DateTime.formatIso(change.lastUpdatedAt),
  source: "cdc"
})

/**
 * The safety net for lost webhooks, run every 15 minutes: asks QuickBooks
 * what changed since the last poll (at most 30 days back), stores each
 * change once (by entity, id and change time, so overlapping polls add
 * nothing) and processes it with the entity CDC already returned. A payment
 * that also came by webhook is recorded once (the mapping's unique key). The
 * cursor moves to the time the poll started once every change is stored;
 * a change that failed to process is the retry job's.
 */
export const pollQuickBooksChanges = Effect.gen(function*() {
  const settings = yield* AccountingSettings
  if (!settings.enabled) return { polled: false, changes: 0, stored: 0 }
  const store = yield* QuickBooksConnectionStore
  const connection = yield* store.find
  if (Option.isNone(connection)) return { polled: false, changes: 0, stored: 0 }
  const gateway = yield* AccountingGateway
  const events = yield* WebhookEventStore
  const pull = yield* QuickBooksPull
  const startedAt = yield* DateTime.now
  const floor = DateTime.subtractDuration(startedAt, CDC_LOOKBACK)
  const cursor = connection.value.cdcCursor
  const since = cursor === null || DateTime.isLessThan(cursor, floor) ? floor : cursor
  const changes = yield* gateway.changedSince(CDC_ENTITIES, since).pipe(
    Effect.tapError((error) => store.recordSync({ at: startedAt, error: `Change Data Capture failed: ${error.message}` }))
  )
  let stored = 0
  for (const change of changes) {
    const pulled = pulledChange(connection.value.realmId, change)
    const id = `${QUICKBOOKS_EVENT_PREFIX}${pulled.realmId}:${pulled.entity}:${pulled.id}:cdc:${pulled.lastUpdated}`
    const inserted = yield* events.insertIfNew({ id, type: pulledEventType(pulled), payload: pulled, receivedAt: startedAt })
    if (inserted === "duplicate") continue
    stored += 1
    yield* pull.process(id, change.deleted ? null : change.record)
  }
  yield* store.setCdcCursor(startedAt)
  yield* store.recordSync({ at: startedAt, error: null })
  if (stored > 0) yield* Effect.logInfo("QuickBooks changes pulled").pipe(Effect.annotateLogs({ changes: changes.length, stored }))
  return { polled: true, changes: changes.length, stored }
}).pipe(Effect.withSpan("QuickBooksCdc.poll"))
