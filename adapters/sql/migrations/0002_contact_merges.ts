import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // The snapshots are the merge's own history, not live references, so the
  // merge code never repoints this table (see SqlContactReferences).
  yield* sql`
    CREATE TABLE contact_merges (
      id uuid PRIMARY KEY,
      primary_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
      secondary_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
      merged_at timestamptz NOT NULL,
      merged_by jsonb NOT NULL,
      primary_before jsonb NOT NULL,
      secondary_before jsonb NOT NULL,
      primary_after jsonb NOT NULL,
      secondary_after jsonb NOT NULL,
      field_sources jsonb NOT NULL,
      moved_references jsonb NOT NULL,
      undone_at timestamptz,
      undone_by jsonb,
      CHECK (primary_id <> secondary_id)
    )`
  yield* sql`CREATE INDEX contact_merges_primary ON contact_merges (primary_id, id)`
  yield* sql`CREATE INDEX contact_merges_secondary ON contact_merges (secondary_id, id)`
})
