import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { ImportRepository, type StoredChange } from "../../application/ports/import-repository.ts"
import {
  countOutcomes,
  ImportId,
  type ImportJob,
  ImportMode,
  type ImportRowRecord,
  ImportStatus,
  RowOutcome
} from "../../domain/import/import-job.ts"
import { LayoutId, MappingInput } from "../../domain/import/layouts.ts"
import { ContactListId } from "../../domain/list/contact-list.ts"
import { arrayLiteral, arrayParameter, OID } from "./pg-arrays.ts"

const JobRow = Schema.Struct({
  id: ImportId,
  status: ImportStatus,
  file_name: Schema.String,
  byte_size: Schema.Number,
  mode: ImportMode,
  overwrite: Schema.Boolean,
  layout: Schema.NullOr(Schema.String),
  mapping: Schema.NullOr(MappingInput),
  list_id: Schema.NullOr(ContactListId),
  total_rows: Schema.NullOr(Schema.Number),
  headers: Schema.NullOr(Schema.Array(Schema.String)),
  delimiter: Schema.NullOr(Schema.String),
  rows_read: Schema.Number,
  created: Schema.Number,
  updated: Schema.Number,
  unchanged: Schema.Number,
  merged_in_file: Schema.Number,
  skipped: Schema.Number,
  rejected: Schema.Number,
  checkpoint_row: Schema.Number,
  batches_committed: Schema.Number,
  reverted_count: Schema.Number,
  kept_count: Schema.Number,
  created_at: Schema.Date,
  started_at: Schema.NullOr(Schema.Date),
  finished_at: Schema.NullOr(Schema.Date),
  error: Schema.NullOr(Schema.String),
  forced_layout: Schema.NullOr(LayoutId)
})
const decodeJobs = Schema.decodeUnknownEffect(Schema.Array(JobRow))

const utc = (date: Date | null) => (date === null ? null : DateTime.fromDateUnsafe(date))

const jobFromRow = (row: typeof JobRow.Type): ImportJob => ({
  id: row.id,
  status: row.status,
  fileName: row.file_name,
  byteSize: row.byte_size,
  options: { mode: row.mode, overwrite: row.overwrite, layout: row.forced_layout, mapping: row.mapping, listId: row.list_id },
  layout: row.layout,
  totalRows: row.total_rows,
  headers: row.headers,
  delimiter: row.delimiter,
  rowsRead: row.rows_read,
  counts: {
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    merged_in_file: row.merged_in_file,
    skipped: row.skipped,
    rejected: row.rejected
  },
  checkpointRow: row.checkpoint_row,
  batchesCommitted: row.batches_committed,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  startedAt: utc(row.started_at),
  finishedAt: utc(row.finished_at),
  error: row.error,
  revertedCount: row.reverted_count,
  keptCount: row.kept_count
})

const OutcomeRow = Schema.Struct({
  row_number: Schema.Number,
  outcome: RowOutcome,
  reason: Schema.NullOr(Schema.String),
  field: Schema.NullOr(Schema.String),
  contact_ids: Schema.Array(Schema.String),
  property_id: Schema.NullOr(Schema.String),
  raw: Schema.NullOr(Schema.String)
})
const decodeOutcomes = Schema.decodeUnknownEffect(Schema.Array(OutcomeRow))

const ChangeRow = Schema.Struct({
  entity: Schema.Literals(["contact", "property"]),
  entity_id: Schema.String,
  seq: Schema.Number,
  action: Schema.Literals(["created", "updated"]),
  before: Schema.NullOr(Schema.Json),
  after: Schema.NullOr(Schema.Json)
})
const decodeChanges = Schema.decodeUnknownEffect(Schema.Array(ChangeRow))
const decodeChunk = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ bytes: Schema.Uint8Array })))
const decodeKeys = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({
  tbl: Schema.String,
  col: Schema.String,
  name: Schema.String
})))
const decodeIdRows = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ id: Schema.String })))
const decodeIds = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ entity_id: Schema.String })))

// `forced_layout` is the option; `layout` the one used once reading started.
const JOB_COLUMNS = `id, status, file_name, byte_size, mode, overwrite, layout, mapping, list_id, total_rows, headers, delimiter, rows_read, created, updated,
  unchanged, merged_in_file, skipped, rejected, checkpoint_row, batches_committed, reverted_count, kept_count, created_at,
  started_at, finished_at, error, forced_layout`

export const SqlImportRepository = Layer.effect(
  ImportRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal(JOB_COLUMNS)
    const jobs = (rows: ReadonlyArray<unknown>) => Effect.map(decodeJobs(rows), (list) => list.map(jobFromRow))

    return ImportRepository.of({
      create: (job) =>
        sql`INSERT INTO imports ${sql.insert({
          id: job.id,
          status: job.status,
          file_name: job.fileName,
          byte_size: job.byteSize,
          mode: job.options.mode,
          overwrite: job.options.overwrite,
          forced_layout: job.options.layout,
          layout: job.layout,
          mapping: job.options.mapping === null ? null : JSON.stringify(job.options.mapping),
          list_id: job.options.listId,
          created_at: DateTime.toDate(job.createdAt)
        })}`.pipe(Effect.asVoid, Effect.orDie),
      appendChunk: (id, chunkNo, bytes) =>
        sql`INSERT INTO import_files (import_id, chunk_no, bytes) VALUES (${id}, ${chunkNo}, ${bytes})
            ON CONFLICT (import_id, chunk_no) DO UPDATE SET bytes = EXCLUDED.bytes`.pipe(Effect.asVoid, Effect.orDie),
      readChunk: (id, chunkNo) =>
        sql`SELECT bytes FROM import_files WHERE import_id = ${id} AND chunk_no = ${chunkNo}`.pipe(
          Effect.flatMap(decodeChunk),
          Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), (row) => row.bytes)),
          Effect.orDie
        ),
      recordUpload: (id, { byteSize, delimiter, headers, totalRows }) =>
        sql`UPDATE imports SET byte_size = ${byteSize}, total_rows = ${totalRows}, headers = ${JSON.stringify(headers)}::jsonb,
              delimiter = ${delimiter} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      delete: (id) => sql`DELETE FROM imports WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      findById: (id) =>
        sql`SELECT ${columns} FROM imports WHERE id = ${id}`.pipe(
          Effect.flatMap(jobs),
          Effect.map((list) => Option.fromNullishOr(list[0])),
          Effect.orDie
        ),
      listQueued: (createdBefore, limit) =>
        sql`SELECT ${columns} FROM imports WHERE status = 'queued' AND created_at < ${DateTime.toDate(createdBefore)}
            ORDER BY created_at, id LIMIT ${limit}`.pipe(Effect.flatMap(jobs), Effect.orDie),
      list: ({ before, limit }) =>
        sql`SELECT ${columns} FROM imports WHERE ${before === undefined ? sql`TRUE` : sql`id < ${before}`}
            ORDER BY id DESC LIMIT ${limit}`.pipe(Effect.flatMap(jobs), Effect.orDie),
      setStatus: (id, { at, error, status }) => {
        const when = DateTime.toDate(at)
        const finished = status === "completed" || status === "failed" || status === "reverted"
        return sql`
          UPDATE imports SET status = ${status},
            started_at = CASE WHEN ${status === "running"} THEN COALESCE(started_at, ${when}) ELSE started_at END,
            finished_at = CASE WHEN ${finished} THEN ${when}::timestamptz ELSE finished_at END,
            error = COALESCE(${error ?? null}::text, error)
          WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie)
      },
      commitBatch: (id, batch) =>
        Effect.gen(function*() {
          // The row lock orders concurrent runners of one import; the
          // checkpoint test makes a replayed batch a no-op.
          const current = yield* sql`SELECT checkpoint_row FROM imports WHERE id = ${id} FOR UPDATE`
          const checkpoint = current[0]?.["checkpoint_row"]
          if (typeof checkpoint !== "number" || checkpoint >= batch.lastRow) return false
          const counts = countOutcomes(batch.rows.map((row) => row.outcome))
          if (batch.rows.length > 0) {
            // One typed array per column (pg-arrays.ts): one short statement a
            // batch, cheap for PostgreSQL to read (issue 9's import speed).
            const rows = batch.rows
            const columns = yield* Effect.all([
              arrayParameter(OID.int4, rows.map((row) => row.rowNumber)),
              arrayParameter(OID.text, rows.map((row) => row.outcome)),
              arrayParameter(OID.text, rows.map((row) => row.reason)),
              arrayParameter(OID.text, rows.map((row) => row.field)),
              arrayParameter(OID.text, rows.map((row) => arrayLiteral(row.contactIds))),
              arrayParameter(OID.uuid, rows.map((row) => row.propertyId)),
              arrayParameter(OID.text, rows.map((row) => row.raw))
            ])
            yield* sql`
              INSERT INTO import_rows (import_id, row_number, outcome, reason, field, contact_ids, property_id, raw)
              SELECT ${id}, r.row_number, r.outcome, r.reason, r.field, r.contact_ids::uuid[], r.property_id, r.raw
              FROM unnest(${sql.csv(columns.map((column) => sql`${column}`))})
                AS r(row_number, outcome, reason, field, contact_ids, property_id, raw)`
          }
          if (batch.changes.length > 0) {
            // Sequence numbers go on from the highest so far (an index probe,
            // where a count would scan the import's changes on every batch).
            const base = yield* sql`SELECT coalesce(max(seq), 0)::int AS n FROM import_changes WHERE import_id = ${id}`
            const start = Number(base[0]?.["n"] ?? 0)
            const changes = batch.changes
            const columns = yield* Effect.all([
              arrayParameter(OID.text, changes.map((change) => change.entity)),
              arrayParameter(OID.uuid, changes.map((change) => change.entityId)),
              arrayParameter(OID.int4, changes.map((_, i) => start + i + 1)),
              arrayParameter(OID.text, changes.map((change) => change.action)),
              arrayParameter(OID.jsonb, changes.map((change) => change.before)),
              arrayParameter(OID.jsonb, changes.map((change) => change.after))
            ])
            yield* sql`
              INSERT INTO import_changes (import_id, entity, entity_id, seq, action, before, after)
              SELECT ${id}, c.entity, c.entity_id, c.seq, c.action, c.before, c.after
              FROM unnest(${sql.csv(columns.map((column) => sql`${column}`))}) AS c(entity, entity_id, seq, action, before, after)
              ON CONFLICT (import_id, entity, entity_id) DO UPDATE SET
                -- A later update of an entity this import already updated:
                -- the earliest before and the latest after of each field.
                before = EXCLUDED.before || import_changes.before,
                after = import_changes.after || EXCLUDED.after
              WHERE import_changes.action = 'updated' AND EXCLUDED.action = 'updated'`
          }
          yield* sql`
            UPDATE imports SET
              layout = COALESCE(layout, ${batch.layout}),
              rows_read = rows_read + ${batch.rows.length},
              created = created + ${counts.created}, updated = updated + ${counts.updated},
              unchanged = unchanged + ${counts.unchanged}, merged_in_file = merged_in_file + ${counts.merged_in_file},
              skipped = skipped + ${counts.skipped}, rejected = rejected + ${counts.rejected},
              checkpoint_row = ${batch.lastRow}, batches_committed = batches_committed + 1
            WHERE id = ${id}`
          return true
        }).pipe(Effect.orDie),
      touched: (id, entity, ids) =>
        ids.length === 0
          ? Effect.succeed(new Set<string>())
          : sql`SELECT entity_id FROM import_changes
                WHERE import_id = ${id} AND entity = ${entity} AND entity_id = ANY(${[...ids]}::uuid[])`.pipe(
            Effect.flatMap(decodeIds),
            Effect.map((rows) => new Set(rows.map((row) => row.entity_id))),
            Effect.orDie
          ),
      referencedContacts: (id, contactIds) =>
        contactIds.length === 0 ? Effect.succeed(new Set<string>()) : Effect.gen(function*() {
          // Every foreign key to contacts, from the catalog (as the merge's
          // reference mover finds them), so a table added later counts too.
          const keys = yield* sql`
            SELECT quote_ident(n.nspname) || '.' || quote_ident(t.relname) AS tbl, quote_ident(a.attname) AS col,
              t.relname AS name
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.confrelid = 'contacts'::regclass`.pipe(Effect.flatMap(decodeKeys))
          const ids = [...new Set(contactIds)]
          const parts = keys
            // The import's own traces: links it made, its audit of touched contacts.
            .filter((key) => key.name !== "contact_properties" && key.name !== "import_contacts")
            .map((key) =>
              key.name === "contact_list_members"
                ? sql`SELECT ${sql.literal(key.col)}::text AS id FROM ${sql.literal(key.tbl)}
                      WHERE ${sql.literal(key.col)} = ANY(${ids}::uuid[]) AND import_id IS DISTINCT FROM ${id}`
                : sql`SELECT ${sql.literal(key.col)}::text AS id FROM ${sql.literal(key.tbl)}
                      WHERE ${sql.literal(key.col)} = ANY(${ids}::uuid[])`
            )
          const found = new Set<string>()
          for (const part of parts) {
            for (const row of yield* part.pipe(Effect.flatMap(decodeIdRows))) found.add(row.id)
          }
          return found
        }).pipe(Effect.orDie),
      rows: (id, { afterRow, limit, outcome }) =>
        sql`SELECT row_number, outcome, reason, field, contact_ids::text[] AS contact_ids, property_id::text, raw
            FROM import_rows
            WHERE import_id = ${id} AND row_number > ${afterRow}
              AND ${outcome === undefined ? sql`TRUE` : sql`outcome = ${outcome}`}
            ORDER BY row_number LIMIT ${limit}`.pipe(
          Effect.flatMap(decodeOutcomes),
          Effect.map((rows) =>
            rows.map((row): ImportRowRecord => ({
              rowNumber: row.row_number,
              outcome: row.outcome,
              reason: row.reason,
              field: row.field,
              contactIds: row.contact_ids,
              propertyId: row.property_id,
              raw: row.raw
            }))
          ),
          Effect.orDie
        ),
      pendingChanges: (id, limit) =>
        sql`SELECT entity, entity_id::text, seq, action, before, after FROM import_changes
            WHERE import_id = ${id} AND reverted IS NULL ORDER BY seq DESC LIMIT ${limit}`.pipe(
          Effect.flatMap(decodeChanges),
          Effect.map((rows) =>
            rows.map((row): StoredChange => ({
              entity: row.entity,
              entityId: row.entity_id,
              seq: row.seq,
              action: row.action,
              before: row.before,
              after: row.after
            }))
          ),
          Effect.orDie
        ),
      markReverted: (id, marks) =>
        marks.length === 0 ? Effect.void : Effect.gen(function*() {
          const rows = yield* sql`
            UPDATE import_changes c SET reverted = m.result
            FROM jsonb_to_recordset(${JSON.stringify(marks.map((mark) => ({
              entity: mark.entity,
              entity_id: mark.entityId,
              result: mark.result
            })))}::jsonb) AS m(entity text, entity_id uuid, result text)
            WHERE c.import_id = ${id} AND c.entity = m.entity AND c.entity_id = m.entity_id AND c.reverted IS NULL
            RETURNING m.result`
          const reverted = rows.filter((row) => row["result"] === "reverted").length
          yield* sql`UPDATE imports SET reverted_count = reverted_count + ${reverted},
                       kept_count = kept_count + ${rows.length - reverted} WHERE id = ${id}`
        }).pipe(Effect.orDie)
    })
  })
)
