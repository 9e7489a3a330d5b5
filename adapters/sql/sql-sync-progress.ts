import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { type SyncCheckpoint, SyncProgress } from "../../application/ports/sync-progress.ts"

const ProgressRow = Schema.Struct({
  key: Schema.String,
  source: Schema.Literals(["conversations", "contacts"]),
  page_cursor: Schema.NullOr(Schema.String),
  done_in_page: Schema.Array(Schema.String),
  participant: Schema.NullOr(Schema.String),
  message_page_token: Schema.NullOr(Schema.String),
  pages: Schema.Int,
  messages: Schema.Int,
  contacts_created: Schema.Int,
  participants: Schema.Int,
  started_at: Schema.Date,
  updated_at: Schema.Date,
  finished_at: Schema.NullOr(Schema.Date)
})
type ProgressRow = typeof ProgressRow.Type
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(ProgressRow))

const toCheckpoint = (row: ProgressRow): SyncCheckpoint => ({
  key: row.key,
  source: row.source,
  pageCursor: row.page_cursor,
  doneInPage: row.done_in_page,
  participant: row.participant,
  messagePageToken: row.message_page_token,
  totals: { pages: row.pages, messages: row.messages, contactsCreated: row.contacts_created, participants: row.participants },
  startedAt: DateTime.fromDateUnsafe(row.started_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at),
  finishedAt: row.finished_at === null ? null : DateTime.fromDateUnsafe(row.finished_at)
})

export const SqlSyncProgress = Layer.effect(
  SyncProgress,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return SyncProgress.of({
      find: (key) =>
        sql`SELECT * FROM openphone_sync_progress WHERE key = ${key}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), toCheckpoint)),
          Effect.orDie
        ),
      save: (c) => {
        const row = {
          key: c.key,
          source: c.source,
          page_cursor: c.pageCursor,
          done_in_page: c.doneInPage,
          participant: c.participant,
          message_page_token: c.messagePageToken,
          pages: c.totals.pages,
          messages: c.totals.messages,
          contacts_created: c.totals.contactsCreated,
          participants: c.totals.participants,
          started_at: DateTime.toDate(c.startedAt),
          updated_at: DateTime.toDate(c.updatedAt),
          finished_at: c.finishedAt === null ? null : DateTime.toDate(c.finishedAt)
        }
        return sql`
          INSERT INTO openphone_sync_progress ${sql.insert(row)}
          ON CONFLICT (key) DO UPDATE SET
            source = EXCLUDED.source, page_cursor = EXCLUDED.page_cursor, done_in_page = EXCLUDED.done_in_page,
            participant = EXCLUDED.participant, message_page_token = EXCLUDED.message_page_token,
            pages = EXCLUDED.pages, messages = EXCLUDED.messages, contacts_created = EXCLUDED.contacts_created,
            participants = EXCLUDED.participants, started_at = EXCLUDED.started_at,
            updated_at = EXCLUDED.updated_at, finished_at = EXCLUDED.finished_at`.pipe(Effect.asVoid, Effect.orDie)
      }
    })
  })
)
