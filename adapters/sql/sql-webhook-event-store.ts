import { PgClient } from "@effect/sql-pg"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { type WebhookEvent, WebhookEventStore } from "../../application/ports/webhook-event-store.ts"

const EventRow = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  // jsonb comes back parsed; the payload is whatever JSON the provider sent.
  payload: Schema.Unknown,
  received_at: Schema.Date,
  processed_at: Schema.NullOr(Schema.Date),
  attempts: Schema.Int,
  last_error: Schema.NullOr(Schema.String)
})
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(EventRow))

const toEvent = (row: typeof EventRow.Type): WebhookEvent => ({
  id: row.id,
  type: row.type,
  payload: row.payload,
  receivedAt: DateTime.fromDateUnsafe(row.received_at),
  processedAt: row.processed_at === null ? null : DateTime.fromDateUnsafe(row.processed_at),
  attempts: row.attempts,
  lastError: row.last_error
})

const COLUMNS = "id, type, payload, received_at, processed_at, attempts, last_error"

export const SqlWebhookEventStore = Layer.effect(
  WebhookEventStore,
  Effect.gen(function*() {
    const sql = yield* PgClient.PgClient
    const columns = sql.literal(COLUMNS)
    const events = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => list.map(toEvent))
    const one = (rows: ReadonlyArray<unknown>) => Effect.map(events(rows), (list) => Option.fromNullishOr(list[0]))

    return WebhookEventStore.of({
      insertIfNew: (event) =>
        sql`
          INSERT INTO webhook_events (id, type, payload, received_at)
          VALUES (${event.id}, ${event.type}, ${sql.json(event.payload)}, ${DateTime.toDate(event.receivedAt)})
          ON CONFLICT (id) DO NOTHING
          RETURNING id`.pipe(
          Effect.map((rows) => (rows.length > 0 ? "new" as const : "duplicate" as const)),
          Effect.orDie
        ),
      find: (id) => sql`SELECT ${columns} FROM webhook_events WHERE id = ${id}`.pipe(Effect.flatMap(one), Effect.orDie),
      findForUpdate: (id) =>
        sql`SELECT ${columns} FROM webhook_events WHERE id = ${id} FOR UPDATE`.pipe(Effect.flatMap(one), Effect.orDie),
      markProcessed: (id, done) =>
        sql`
          UPDATE webhook_events SET processed_at = ${DateTime.toDate(done.at)}, attempts = ${done.attempts}, last_error = NULL
          WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      markFailed: (id, failure) =>
        sql`UPDATE webhook_events SET attempts = ${failure.attempts}, last_error = ${failure.error} WHERE id = ${id}`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      listUnprocessed: (query) =>
        sql`
          SELECT ${columns} FROM webhook_events
          WHERE processed_at IS NULL AND received_at < ${DateTime.toDate(query.olderThan)} AND attempts < ${query.maxAttempts}
          ORDER BY received_at, id
          LIMIT ${query.limit}`.pipe(Effect.flatMap(events), Effect.orDie)
    })
  })
)
