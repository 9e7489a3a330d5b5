import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // Every webhook delivery that passed its signature check, keyed by the
  // provider's event id so a redelivery is recognised. The payload is the
  // body as received; processing state lives beside it so a failed event is
  // retried (attempts capped) and a processed one never runs twice.
  yield* sql`
    CREATE TABLE webhook_events (
      id text PRIMARY KEY,
      type text NOT NULL,
      payload jsonb NOT NULL,
      received_at timestamptz NOT NULL,
      processed_at timestamptz,
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      last_error text
    )`
  // The retry job reads only events still waiting, oldest first.
  yield* sql`CREATE INDEX webhook_events_unprocessed ON webhook_events (received_at) WHERE processed_at IS NULL`
  // Calls as OpenPhone reports them. A single uuid primary key and a nullable
  // contact reference: a contact merge repoints every foreign key to
  // contacts (sql-contact-references.ts), and deleting a contact keeps its calls.
  yield* sql`
    CREATE TABLE calls (
      id uuid PRIMARY KEY,
      provider_id text NOT NULL UNIQUE,
      direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
      contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
      business_number text NOT NULL CHECK (business_number ~ '^\\+[1-9][0-9]{1,14}$'),
      contact_number text NOT NULL CHECK (contact_number ~ '^\\+[1-9][0-9]{1,14}$'),
      status text NOT NULL,
      duration_seconds integer CHECK (duration_seconds >= 0),
      recording_url text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`
  yield* sql`CREATE INDEX calls_contact ON calls (contact_id, created_at DESC, id DESC) WHERE contact_id IS NOT NULL`
  // Where a contact came from when not typed in, e.g. 'openphone' for a lead
  // made from an inbound text; null for contacts made in the CRM.
  yield* sql`ALTER TABLE contacts ADD COLUMN source text`
})
