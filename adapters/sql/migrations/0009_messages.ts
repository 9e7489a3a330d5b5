import { Effect } from "effect"
import { SqlClient } from "effect/sql"

const E164 = `'^\\+[1-9][0-9]{1,14}$'`

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // One row per text, both directions. contact_id is the only foreign key to
  // contacts, with a single-column primary key, so contact merges and their
  // undo move messages with the contact (sql-contact-references.ts).
  // send_started_at is when a send claimed the row (queued -> sending): a row
  // left `sending` past a grace period is in doubt and is reconciled against
  // the provider's list, never resent (design-8, send protocol).
  yield* sql.unsafe(`
    CREATE TABLE messages (
      id uuid PRIMARY KEY,
      direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
      contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
      business_number text NOT NULL CHECK (business_number ~ ${E164}),
      contact_number text NOT NULL CHECK (contact_number ~ ${E164}),
      body text NOT NULL,
      segments integer NOT NULL CHECK (segments >= 0),
      encoding text NOT NULL CHECK (encoding IN ('GSM-7', 'UCS-2')),
      provider_id text UNIQUE,
      status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received')),
      error text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      send_started_at timestamptz,
      sent_at timestamptz,
      delivered_at timestamptz,
      read_at timestamptz,
      CHECK ((direction = 'inbound') = (status = 'received')),
      CHECK (status <> 'sending' OR send_started_at IS NOT NULL)
    )`)
  // A contact's messages newest first (keyset on created_at, id), and the
  // latest message of each conversation (contact, business number).
  yield* sql`CREATE INDEX messages_contact_created ON messages (contact_id, created_at DESC, id DESC)`
  yield* sql`
    CREATE INDEX messages_conversation_created ON messages (contact_id, business_number, created_at DESC, id DESC)
    WHERE contact_id IS NOT NULL`
  // Unread inbound texts per contact, for the inbox's counts.
  yield* sql`CREATE INDEX messages_unread ON messages (contact_id) WHERE direction = 'inbound' AND read_at IS NULL`
  // The reconcile job's scans: only rows in doubt, and texts whose delivery never started.
  yield* sql`CREATE INDEX messages_in_doubt ON messages (send_started_at) WHERE status = 'sending'`
  yield* sql`CREATE INDEX messages_queued ON messages (created_at) WHERE status = 'queued'`
})
