import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { MappedKind } from "../../application/ports/accounting-mappings.ts"
import { AccountingSyncLog, SyncAction, type SyncLogEntry, SyncOutcome } from "../../application/ports/accounting-sync-log.ts"

const LogRow = Schema.Struct({
  id: Schema.String,
  at: Schema.Date,
  kind: MappedKind,
  crm_id: Schema.NullOr(Schema.String),
  qbo_id: Schema.NullOr(Schema.String),
  action: SyncAction,
  outcome: SyncOutcome,
  error: Schema.NullOr(Schema.String),
  detail: Schema.NullOr(Schema.String)
})
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(LogRow))

const toEntry = (row: typeof LogRow.Type): SyncLogEntry => ({
  id: row.id,
  at: DateTime.fromDateUnsafe(row.at),
  kind: row.kind,
  crmId: row.crm_id,
  qboId: row.qbo_id,
  action: row.action,
  outcome: row.outcome,
  error: row.error,
  detail: row.detail
})

export const SqlAccountingSyncLog = Layer.effect(
  AccountingSyncLog,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return AccountingSyncLog.of({
      append: (entry) =>
        sql`
          INSERT INTO accounting_sync_log ${
          sql.insert({
            id: entry.id,
            at: DateTime.toDate(entry.at),
            kind: entry.kind,
            crm_id: entry.crmId,
            qbo_id: entry.qboId,
            action: entry.action,
            outcome: entry.outcome,
            error: entry.error,
            detail: entry.detail
          })
        }`.pipe(Effect.asVoid, Effect.orDie),
      list: (page) => {
        const conditions = [
          ...(page.before === undefined ? [] : [sql`id < ${page.before}`]),
          ...(page.kind === undefined ? [] : [sql`kind = ${page.kind}`]),
          ...(page.outcome === undefined ? [] : [sql`outcome = ${page.outcome}`])
        ]
        // Ids are UUIDv7: their order is the order entries were written, so one index pages the log.
        return sql`
          SELECT id::text AS id, at, kind, crm_id, qbo_id, action, outcome, error, detail FROM accounting_sync_log
          WHERE ${sql.and(conditions)}
          ORDER BY id DESC
          LIMIT ${Math.max(0, page.limit)}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((rows) => rows.map(toEntry)),
          Effect.orDie
        )
      }
    })
  })
)
