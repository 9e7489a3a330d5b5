import { Effect } from "effect"
import { SqlClient } from "effect/sql"

const E164 = `'^\\+[1-9][0-9]{1,14}$'`

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // The audience is what the user chose (lists, tags, contact ids), kept as
  // written until start freezes it into campaign_recipients.
  yield* sql.unsafe(`
    CREATE TABLE campaigns (
      id uuid PRIMARY KEY,
      name text NOT NULL CHECK (btrim(name) <> ''),
      status text NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled')),
      audience jsonb NOT NULL,
      from_number text CHECK (from_number ~ ${E164}),
      start_at timestamptz,
      daily_limit integer NOT NULL CHECK (daily_limit > 0),
      quiet_start text NOT NULL CHECK (quiet_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      quiet_end text NOT NULL CHECK (quiet_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      send_runs integer NOT NULL DEFAULT 0 CHECK (send_runs >= 0),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      started_at timestamptz,
      finished_at timestamptz
    )`)
  yield* sql`
    CREATE TABLE campaign_variants (
      campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      key text NOT NULL CHECK (key IN ('A', 'B')),
      template text NOT NULL,
      weight integer NOT NULL CHECK (weight > 0),
      PRIMARY KEY (campaign_id, key)
    )`
  // One row per contact and campaign, frozen at start. A single-column key and
  // contact_id ON DELETE SET NULL so contact merges move recipients like any
  // other reference (sql-contact-references.ts); the UNIQUE pair keeps a merge
  // from giving one contact two texts. A message belongs to one recipient at most.
  yield* sql.unsafe(`
    CREATE TABLE campaign_recipients (
      id uuid PRIMARY KEY,
      campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
      phone text CHECK (phone ~ ${E164}),
      variant text NOT NULL CHECK (variant IN ('A', 'B')),
      status text NOT NULL CHECK (status IN ('pending', 'queued', 'skipped')),
      reason text,
      message_id uuid UNIQUE REFERENCES messages (id),
      body text,
      segments integer NOT NULL CHECK (segments >= 0),
      encoding text CHECK (encoding IN ('GSM-7', 'UCS-2')),
      cost_cents integer NOT NULL CHECK (cost_cents >= 0),
      created_at timestamptz NOT NULL,
      queued_at timestamptz,
      UNIQUE (campaign_id, contact_id),
      CHECK ((status = 'skipped') = (reason IS NOT NULL)),
      CHECK ((status = 'queued') = (message_id IS NOT NULL))
    )`)
  // The send loop's "next pending recipient", and pages filtered by status.
  yield* sql`CREATE INDEX campaign_recipients_pending ON campaign_recipients (campaign_id, id) WHERE status = 'pending'`
  yield* sql`CREATE INDEX campaign_recipients_contact ON campaign_recipients (contact_id)`
  // Campaign results count replies: inbound texts from a recipient's number after its send.
  yield* sql`
    CREATE INDEX messages_inbound_from ON messages (contact_number, created_at)
    WHERE direction = 'inbound'`
  // Sends per business number and business day (BUSINESS_TIMEZONE), shared by
  // every campaign on the number; taken by one upsert under the limit.
  yield* sql.unsafe(`
    CREATE TABLE daily_send_counts (
      business_number text NOT NULL CHECK (business_number ~ ${E164}),
      business_day date NOT NULL,
      count integer NOT NULL CHECK (count >= 0),
      PRIMARY KEY (business_number, business_day)
    )`)
})
