import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { nextStatus } from "../../domain/messaging/message-status.ts"
import {
  type Conversation,
  type MessageKey,
  MessageRepository,
  type ProviderStatusUpdate,
  type SendOutcome
} from "../../application/ports/message-repository.ts"
import type { ContactId } from "../../domain/contact.ts"
import type { Message, MessageId } from "../../domain/messaging/message.ts"
import { decodeMessageRows, MESSAGE_COLUMNS, MessageRow, messageFromRow, messageToRow } from "./message-row.ts"

const decodeConversationRows = Schema.decodeUnknownEffect(
  Schema.Array(Schema.Struct({ ...MessageRow.fields, unread: Schema.Number }))
)

export const SqlMessageRepository = Layer.effect(
  MessageRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal(MESSAGE_COLUMNS.join(", "))
    const messages = (rows: ReadonlyArray<unknown>) => Effect.map(decodeMessageRows(rows), (list) => list.map(messageFromRow))
    const one = (rows: ReadonlyArray<unknown>) => Effect.map(messages(rows), (list) => Option.fromNullishOr(list[0]))
    const date = DateTime.toDate

    // Newest first: rows strictly after the key in (created_at DESC, id DESC) order.
    const olderThan = (key: MessageKey | undefined) =>
      key === undefined ? sql`TRUE` : sql`(created_at, id) < (${date(key.createdAt)}, ${key.id}::uuid)`

    const findByProviderId = (providerId: string) =>
      sql`SELECT ${columns} FROM messages WHERE provider_id = ${providerId}`.pipe(Effect.flatMap(one), Effect.orDie)

    // ON CONFLICT keeps a redelivered webhook or a second sync from storing a
    // text twice; a concurrent insert of the same provider id waits for the
    // first to commit and then reads it.
    const insert = (message: Message) =>
      Effect.gen(function*() {
        const inserted = yield* sql`
          INSERT INTO messages ${sql.insert(messageToRow(message, null))}
          ON CONFLICT (provider_id) DO NOTHING RETURNING id`
        if (inserted.length > 0 || message.providerId === null) return { _tag: "Inserted", message } as const
        const existing = yield* findByProviderId(message.providerId)
        return Option.isSome(existing)
          ? { _tag: "Duplicate", message: existing.value } as const
          : yield* Effect.die(new Error(`messages: provider id ${message.providerId} conflicted but is gone`))
      }).pipe(Effect.orDie)

    const claim = (id: MessageId, at: DateTime.Utc) =>
      sql`
        UPDATE messages SET status = 'sending', send_started_at = ${date(at)}, updated_at = ${date(at)}
         WHERE id = ${id} AND status = 'queued' AND provider_id IS NULL RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.orDie
      )

    const recordOutcome = (id: MessageId, outcome: SendOutcome) => {
      const changes = outcome._tag === "Sent"
        ? sql`status = 'sent', provider_id = ${outcome.providerId}, sent_at = ${date(outcome.at)}, updated_at = ${date(outcome.at)}`
        : sql`status = 'failed', error = ${outcome.error}, updated_at = ${date(outcome.at)}`
      return sql`UPDATE messages SET ${changes} WHERE id = ${id} AND status = 'sending' RETURNING ${columns}`.pipe(
        Effect.flatMap(one),
        Effect.orDie
      )
    }

    // The row is locked while the transition is decided, so two reports for
    // one message apply one after the other.
    const applyProviderStatus = (update: {
      readonly providerId: string
      readonly status: "delivered" | "undelivered"
      readonly at: DateTime.Utc
    }) =>
      sql.withTransaction(Effect.gen(function*() {
        const found = yield* sql`SELECT ${columns} FROM messages WHERE provider_id = ${update.providerId} FOR UPDATE`.pipe(
          Effect.flatMap(one)
        )
        if (Option.isNone(found)) return { _tag: "Unknown" } satisfies ProviderStatusUpdate
        if (nextStatus(found.value.status, update.status) === "ignore") {
          return { _tag: "Ignored", message: found.value } satisfies ProviderStatusUpdate
        }
        const delivered = update.status === "delivered" ? sql`, delivered_at = ${date(update.at)}` : sql``
        const changed = yield* sql`
          UPDATE messages SET status = ${update.status}, updated_at = ${date(update.at)}${delivered}
           WHERE id = ${found.value.id} RETURNING ${columns}`.pipe(Effect.flatMap(messages))
        return { _tag: "Applied", message: changed[0]! } satisfies ProviderStatusUpdate
      })).pipe(Effect.orDie)

    const listByContact = (contactId: ContactId, page: { readonly after: MessageKey | undefined; readonly limit: number }) =>
      sql`
        SELECT ${columns} FROM messages WHERE contact_id = ${contactId} AND ${olderThan(page.after)}
         ORDER BY created_at DESC, id DESC LIMIT ${page.limit}`.pipe(Effect.flatMap(messages), Effect.orDie)

    // The latest message of every (contact, business number), newest first;
    // unread is counted only for the conversations on the page.
    const conversations = (page: { readonly after: MessageKey | undefined; readonly limit: number }) =>
      sql`
        WITH latest AS (
          SELECT DISTINCT ON (contact_id, business_number) ${columns} FROM messages
           WHERE contact_id IS NOT NULL
           ORDER BY contact_id, business_number, created_at DESC, id DESC
        )
        SELECT ${columns},
               (SELECT count(*)::int FROM messages u
                 WHERE u.contact_id = latest.contact_id AND u.business_number = latest.business_number
                   AND u.direction = 'inbound' AND u.read_at IS NULL) AS unread
          FROM latest WHERE ${olderThan(page.after)}
         ORDER BY created_at DESC, id DESC LIMIT ${page.limit}`.pipe(
        Effect.flatMap(decodeConversationRows),
        Effect.map((rows) =>
          rows.flatMap(({ unread, ...row }): Array<Conversation> =>
            // The CTE keeps only rows with a contact.
            row.contact_id === null
              ? []
              : [{ contactId: row.contact_id, businessNumber: row.business_number, latest: messageFromRow(row), unread }]
          )
        ),
        Effect.orDie
      )

    const markRead = (contactId: ContactId, at: DateTime.Utc) =>
      sql`
        UPDATE messages SET read_at = ${date(at)}
         WHERE contact_id = ${contactId} AND direction = 'inbound' AND read_at IS NULL RETURNING id`.pipe(
        Effect.map((rows) => rows.length),
        Effect.orDie
      )

    const listInDoubt = (before: DateTime.Utc, limit: number) =>
      sql`
        SELECT ${columns} FROM messages WHERE status = 'sending' AND send_started_at < ${date(before)}
         ORDER BY send_started_at, id LIMIT ${limit}`.pipe(
        Effect.flatMap(decodeMessageRows),
        Effect.map((rows) =>
          rows.map((row) => ({
            message: messageFromRow(row),
            // The table's CHECK: a `sending` row has its claim time.
            sendStartedAt: DateTime.fromDateUnsafe(row.send_started_at ?? row.updated_at)
          }))
        ),
        Effect.orDie
      )

    const listQueued = (before: DateTime.Utc, limit: number) =>
      sql`
        SELECT ${columns} FROM messages WHERE status = 'queued' AND provider_id IS NULL AND created_at < ${date(before)}
         ORDER BY created_at, id LIMIT ${limit}`.pipe(Effect.flatMap(messages), Effect.orDie)

    return MessageRepository.of({
      insert,
      findById: (id) => sql`SELECT ${columns} FROM messages WHERE id = ${id}`.pipe(Effect.flatMap(one), Effect.orDie),
      findByProviderId,
      claim,
      recordOutcome,
      applyProviderStatus,
      listByContact,
      conversations,
      markRead,
      listInDoubt,
      listQueued
    })
  })
)
