import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { OptOutLog } from "../../application/ports/opt-out-log.ts"
import { MessageId } from "../../domain/messaging/message.ts"
import { OptOutAction, type OptOutEvent, OptOutEventId, OptOutSource } from "../../domain/messaging/opt-out-event.ts"

const EventRow = Schema.Struct({
  id: OptOutEventId,
  phone: Schema.String,
  action: OptOutAction,
  source: OptOutSource,
  keyword: Schema.NullOr(Schema.String),
  message_id: Schema.NullOr(MessageId),
  occurred_at: Schema.Date
})
const decodeEvents = Schema.decodeUnknownEffect(Schema.Array(EventRow))
const decodePhones = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ phone: Schema.String })))
const decodeFlag = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ opted_out: Schema.Boolean })))

// The phone's E.164 form is the table's CHECK constraint; it is not re-checked per row.
const eventFromRow = (row: typeof EventRow.Type): OptOutEvent => ({
  id: row.id,
  phone: row.phone,
  action: row.action,
  source: row.source,
  keyword: row.keyword,
  messageId: row.message_id,
  occurredAt: DateTime.fromDateUnsafe(row.occurred_at)
})

export const SqlOptOutLog = Layer.effect(
  OptOutLog,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    // One transaction-scoped lock per number, in sorted order so two callers
    // locking overlapping sets cannot deadlock. Inside the caller's transaction
    // the lock is held until it commits, which serialises a send's check with
    // an opt-out of the same number (see the port).
    const lockPhones = (phones: ReadonlyArray<string>) =>
      Effect.forEach(
        [...new Set(phones)].sort(),
        (phone) => sql`SELECT pg_advisory_xact_lock(hashtext('opt-out:' || ${phone}))`,
        { discard: true }
      )

    const record = (event: OptOutEvent) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* lockPhones([event.phone])
        yield* sql`
          INSERT INTO opt_out_events (id, phone, action, source, keyword, message_id, occurred_at)
          VALUES (${event.id}, ${event.phone}, ${event.action}, ${event.source}, ${event.keyword}, ${event.messageId},
            ${DateTime.toDate(event.occurredAt)})`
      })).pipe(Effect.orDie)

    const isOptedOut = (phones: ReadonlyArray<string>) =>
      phones.length === 0 ? Effect.succeed(false) : sql.withTransaction(Effect.gen(function*() {
        yield* lockPhones(phones)
        const rows = yield* sql`
          SELECT EXISTS (
            SELECT 1 FROM (
              SELECT DISTINCT ON (phone) action FROM opt_out_events
              WHERE phone = ANY(${[...phones]}::text[])
              ORDER BY phone, occurred_at DESC, id DESC
            ) latest
            WHERE action = 'opt-out'
          ) AS opted_out`.pipe(Effect.flatMap(decodeFlag))
        return rows[0]?.opted_out ?? false
      })).pipe(Effect.orDie)

    const history = (phone: string) =>
      sql`
        SELECT id, phone, action, source, keyword, message_id, occurred_at FROM opt_out_events
        WHERE phone = ${phone} ORDER BY occurred_at, id`.pipe(
        Effect.flatMap(decodeEvents),
        Effect.map((rows) => rows.map(eventFromRow)),
        Effect.orDie
      )

    const optedOutAmong = (phones: ReadonlyArray<string>) =>
      phones.length === 0 ? Effect.succeed(new Set<string>()) : sql`
        SELECT phone FROM (
          SELECT DISTINCT ON (phone) phone, action FROM opt_out_events
          WHERE phone = ANY(${[...new Set(phones)]}::text[])
          ORDER BY phone, occurred_at DESC, id DESC
        ) latest
        WHERE action = 'opt-out'`.pipe(
        Effect.flatMap(decodePhones),
        Effect.map((rows) => new Set(rows.map((row) => row.phone))),
        Effect.orDie
      )

    return OptOutLog.of({ record, isOptedOut, optedOutAmong, history })
  })
)
