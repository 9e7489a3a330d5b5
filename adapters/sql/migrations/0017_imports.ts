import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // One row per import: its options, progress and counts. The counts are
  // updated in the same transaction as each batch's outcomes, so they always
  // add up to rows_read; checkpoint_row is the last row of the last committed batch.
  yield* sql.unsafe(`
    CREATE TABLE imports (
      id uuid PRIMARY KEY,
      status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'reverting', 'reverted')),
      file_name text NOT NULL,
      byte_size integer NOT NULL CHECK (byte_size >= 0),
      mode text NOT NULL CHECK (mode IN ('create_only', 'create_or_update', 'update_only')),
      overwrite boolean NOT NULL,
      layout text,
      mapping jsonb,
      forced_layout text,
      list_id uuid,
      total_rows integer,
      headers jsonb,
      delimiter text,
      rows_read integer NOT NULL DEFAULT 0,
      created integer NOT NULL DEFAULT 0,
      updated integer NOT NULL DEFAULT 0,
      unchanged integer NOT NULL DEFAULT 0,
      merged_in_file integer NOT NULL DEFAULT 0,
      skipped integer NOT NULL DEFAULT 0,
      rejected integer NOT NULL DEFAULT 0,
      checkpoint_row integer NOT NULL DEFAULT 0,
      batches_committed integer NOT NULL DEFAULT 0,
      reverted_count integer NOT NULL DEFAULT 0,
      kept_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      finished_at timestamptz,
      error text,
      CHECK (rows_read = created + updated + unchanged + merged_in_file + skipped + rejected)
    )`)
  yield* sql`CREATE INDEX imports_created ON imports (created_at DESC, id DESC)`
  // The uploaded file, in chunks of about 1 MiB, so a runner in any process
  // can read it back as a stream (bytea values are read whole).
  yield* sql.unsafe(`
    CREATE TABLE import_files (
      import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
      chunk_no integer NOT NULL CHECK (chunk_no >= 0),
      bytes bytea NOT NULL,
      PRIMARY KEY (import_id, chunk_no)
    )`)
  // Every row's outcome: exactly one per (import, row). contact_ids carry no
  // foreign key: the row keeps saying what it did after a merge or a delete.
  yield* sql.unsafe(`
    CREATE TABLE import_rows (
      import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
      row_number integer NOT NULL CHECK (row_number >= 1),
      outcome text NOT NULL CHECK (outcome IN ('created', 'updated', 'unchanged', 'merged_in_file', 'skipped', 'rejected')),
      reason text,
      field text,
      contact_ids uuid[] NOT NULL DEFAULT '{}',
      property_id uuid,
      raw text,
      PRIMARY KEY (import_id, row_number)
    )`)
  yield* sql`CREATE INDEX import_rows_outcome ON import_rows (import_id, outcome, row_number)`
  // What an import did to each contact or property, for revert: created, or
  // updated with the fields' values before and after (only the changed ones).
  // The first change of an entity in an import wins: a later row of the same
  // file touching it again is part of the same import.
  yield* sql.unsafe(`
    CREATE TABLE import_changes (
      import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
      entity text NOT NULL CHECK (entity IN ('contact', 'property')),
      entity_id uuid NOT NULL,
      seq integer NOT NULL,
      action text NOT NULL CHECK (action IN ('created', 'updated')),
      before jsonb,
      after jsonb,
      reverted text CHECK (reverted IN ('reverted', 'kept')),
      PRIMARY KEY (import_id, entity, entity_id)
    )`)
  yield* sql`CREATE INDEX import_changes_seq ON import_changes (import_id, seq)`
})
