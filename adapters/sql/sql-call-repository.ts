import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { CallRepository } from "../../application/ports/call-repository.ts"
import { ContactId } from "../../domain/contact.ts"
import { type Call, CallId, MessageDirection } from "../../domain/messaging/message.ts"

const CallRow = Schema.Struct({
  id: CallId,
  provider_id: Schema.String,
  direction: MessageDirection,
  contact_id: Schema.NullOr(ContactId),
  business_number: Schema.String,
  contact_number: Schema.String,
  status: Schema.String,
  duration_seconds: Schema.NullOr(Schema.Int),
  recording_url: Schema.NullOr(Schema.String),
  created_at: Schema.Date,
  updated_at: Schema.Date
})
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(CallRow))

// Numbers are checked E.164 by the table's CHECK constraints, as contacts' phones are.
const toCall = (row: typeof CallRow.Type): Call => ({
  id: row.id,
  providerId: row.provider_id,
  direction: row.direction,
  contactId: row.contact_id,
  businessNumber: row.business_number,
  contactNumber: row.contact_number,
  status: row.status,
  durationSeconds: row.duration_seconds,
  recordingUrl: row.recording_url,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at)
})

const COLUMNS = "id, provider_id, direction, contact_id, business_number, contact_number, status, duration_seconds, " +
  "recording_url, created_at, updated_at"

export const SqlCallRepository = Layer.effect(
  CallRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal(COLUMNS)
    const calls = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => list.map(toCall))

    const upsert = (call: Call) =>
      sql`
        INSERT INTO calls (${columns}) VALUES (
          ${call.id}, ${call.providerId}, ${call.direction}, ${call.contactId}, ${call.businessNumber},
          ${call.contactNumber}, ${call.status}, ${call.durationSeconds}, ${call.recordingUrl},
          ${DateTime.toDate(call.createdAt)}, ${DateTime.toDate(call.updatedAt)})
        ON CONFLICT (provider_id) DO UPDATE SET
          contact_id = COALESCE(calls.contact_id, EXCLUDED.contact_id),
          status = EXCLUDED.status,
          duration_seconds = COALESCE(EXCLUDED.duration_seconds, calls.duration_seconds),
          recording_url = COALESCE(EXCLUDED.recording_url, calls.recording_url),
          updated_at = EXCLUDED.updated_at
        RETURNING ${columns}`.pipe(
        Effect.flatMap(calls),
        Effect.flatMap((list) => (list[0] === undefined ? Effect.die(new Error("upsert returned no row")) : Effect.succeed(list[0]))),
        Effect.orDie
      )

    return CallRepository.of({
      upsert,
      findByProviderId: (providerId) =>
        sql`SELECT ${columns} FROM calls WHERE provider_id = ${providerId}`.pipe(
          Effect.flatMap(calls),
          Effect.map((list) => Option.fromNullishOr(list[0])),
          Effect.orDie
        ),
      listByContact: (contactId, limit) =>
        sql`
          SELECT ${columns} FROM calls WHERE contact_id = ${contactId}
          ORDER BY created_at DESC, id DESC LIMIT ${limit}`.pipe(Effect.flatMap(calls), Effect.orDie)
    })
  })
)
