import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE contact_lists (
      id uuid PRIMARY KEY,
      name text NOT NULL CHECK (btrim(name) <> ''),
      description text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`
  // One name, whatever its case: two lists a person cannot tell apart would be one too many.
  yield* sql`CREATE UNIQUE INDEX contact_lists_name ON contact_lists (lower(name))`
  // A single-column key so contact merges can move members and an undo move exactly them back
  // (adapters/sql/sql-contact-references.ts). Members are added by INSERT ... SELECT, hence the default.
  yield* sql`
    CREATE TABLE contact_list_members (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      list_id uuid NOT NULL REFERENCES contact_lists (id) ON DELETE CASCADE,
      contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
      added_at timestamptz NOT NULL,
      import_id uuid,
      UNIQUE (list_id, contact_id)
    )`
  yield* sql`CREATE INDEX contact_list_members_contact ON contact_list_members (contact_id)`
  // Which contacts each import touched, for the list filters "import id" and
  // "imported between". The import engine writes it; it lives here so the filters
  // exist (and are tested) before the engine does.
  yield* sql`
    CREATE TABLE import_contacts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      import_id uuid NOT NULL,
      contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
      imported_at timestamptz NOT NULL,
      UNIQUE (import_id, contact_id)
    )`
  yield* sql`CREATE INDEX import_contacts_contact ON import_contacts (contact_id, imported_at)`
})
