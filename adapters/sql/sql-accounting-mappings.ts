import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { type AccountingMapping, AccountingMappings, MappedKind } from "../../application/ports/accounting-mappings.ts"

const MappingRow = Schema.Struct({
  kind: MappedKind,
  crm_id: Schema.String,
  qbo_id: Schema.String,
  sync_token: Schema.String,
  pushed_hash: Schema.NullOr(Schema.String),
  origin: Schema.Literals(["pushed", "linked", "pulled"]),
  updated_at: Schema.Date
})
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(MappingRow))
const CountRow = Schema.Struct({ count: Schema.Int })
const decodeCount = Schema.decodeUnknownEffect(Schema.Array(CountRow))

const toMapping = (row: typeof MappingRow.Type): AccountingMapping => ({
  kind: row.kind,
  crmId: row.crm_id,
  qboId: row.qbo_id,
  syncToken: row.sync_token,
  pushedHash: row.pushed_hash,
  origin: row.origin,
  updatedAt: DateTime.fromDateUnsafe(row.updated_at)
})

const toRow = (mapping: AccountingMapping) => ({
  kind: mapping.kind,
  crm_id: mapping.crmId,
  qbo_id: mapping.qboId,
  sync_token: mapping.syncToken,
  pushed_hash: mapping.pushedHash,
  origin: mapping.origin,
  updated_at: DateTime.toDate(mapping.updatedAt)
})

export const SqlAccountingMappings = Layer.effect(
  AccountingMappings,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const one = (rows: ReadonlyArray<unknown>) =>
      Effect.map(decodeRows(rows), (list) => Option.map(Option.fromNullishOr(list[0]), toMapping))
    return AccountingMappings.of({
      find: (kind, crmId) =>
        sql`SELECT * FROM accounting_mappings WHERE kind = ${kind} AND crm_id = ${crmId}`.pipe(
          Effect.flatMap(one),
          Effect.orDie
        ),
      findByQboId: (kind, qboId) =>
        sql`SELECT * FROM accounting_mappings WHERE kind = ${kind} AND qbo_id = ${qboId}`.pipe(
          Effect.flatMap(one),
          Effect.orDie
        ),
      save: (mapping) =>
        // An update keeps how the mapping came about (a linked customer stays linked). A qbo_id mapped to
        // another CRM entity violates UNIQUE (kind, qbo_id): a caller's bug, so a defect.
        sql`
          INSERT INTO accounting_mappings ${sql.insert(toRow(mapping))}
          ON CONFLICT (kind, crm_id) DO UPDATE SET
            qbo_id = EXCLUDED.qbo_id, sync_token = EXCLUDED.sync_token,
            pushed_hash = EXCLUDED.pushed_hash, updated_at = EXCLUDED.updated_at`.pipe(Effect.asVoid, Effect.orDie),
      insertIfNew: (mapping) =>
        // No conflict target: either unique constraint makes it a duplicate.
        sql`INSERT INTO accounting_mappings ${sql.insert(toRow(mapping))} ON CONFLICT DO NOTHING RETURNING crm_id`.pipe(
          Effect.map((rows) => (rows.length > 0 ? "new" as const : "duplicate" as const)),
          Effect.orDie
        ),
      count: (kind) =>
        sql`SELECT count(*)::int AS count FROM accounting_mappings WHERE kind = ${kind}`.pipe(
          Effect.flatMap(decodeCount),
          Effect.map((rows) => rows[0]?.count ?? 0),
          Effect.orDie
        ),
      clear: sql`DELETE FROM accounting_mappings RETURNING kind`.pipe(Effect.map((rows) => rows.length), Effect.orDie)
    })
  })
)
