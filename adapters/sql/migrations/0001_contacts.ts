import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // pg_trgm makes substring search (`q=`) use an index; it is a trusted
  // extension, so the database owner may create it without superuser rights.
  yield* sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`
  yield* sql`
    CREATE TABLE contacts (
      id uuid PRIMARY KEY,
      first_name text NOT NULL CHECK (btrim(first_name) <> ''),
      last_name text,
      phone text CHECK (phone ~ '^\\+[1-9][0-9]{1,14}$'),
      phone_extension text CHECK (phone_extension IS NULL OR phone IS NOT NULL),
      email text CHECK (email = lower(email)),
      company text,
      address_street text,
      address_city text,
      address_state text,
      address_postal_code text,
      tags text[] NOT NULL DEFAULT '{}',
      notes text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
      merged_into_id uuid REFERENCES contacts (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      search_text text GENERATED ALWAYS AS (
        lower(first_name || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' ||
          coalesce(phone, '') || ' ' || coalesce(company, ''))
      ) STORED,
      CHECK ((status = 'merged') = (merged_into_id IS NOT NULL))
    )`
  // Duplicate checks and find-by-phone/email only look at active contacts.
  yield* sql`CREATE INDEX contacts_active_phone ON contacts (phone) WHERE status = 'active' AND phone IS NOT NULL`
  yield* sql`CREATE INDEX contacts_active_email ON contacts (email) WHERE status = 'active' AND email IS NOT NULL`
  yield* sql`
    CREATE INDEX contacts_active_full_name ON contacts (lower(first_name), lower(last_name))
    WHERE status = 'active' AND last_name IS NOT NULL`
  yield* sql`CREATE INDEX contacts_merged_into ON contacts (merged_into_id) WHERE merged_into_id IS NOT NULL`
  yield* sql`CREATE INDEX contacts_tags ON contacts USING gin (tags)`
  yield* sql`CREATE INDEX contacts_search ON contacts USING gin (search_text gin_trgm_ops)`
})
