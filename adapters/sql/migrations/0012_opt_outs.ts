import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // The opt-out log: per phone number, not per contact, so it survives contact
  // merges and their undo. No foreign keys: it is the record of what a person
  // asked, and outlives the contact or message it came with.
  yield* sql.unsafe(`
    CREATE TABLE opt_out_events (
      id uuid PRIMARY KEY,
      phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{1,14}$'),
      action text NOT NULL CHECK (action IN ('opt-out', 'opt-in')),
      source text NOT NULL CHECK (source IN ('keyword', 'api')),
      keyword text,
      message_id uuid,
      occurred_at timestamptz NOT NULL,
      CHECK ((source = 'keyword') = (keyword IS NOT NULL))
    )`)
  // A number's latest entry decides; the send path reads it on every text.
  yield* sql`CREATE INDEX opt_out_events_phone ON opt_out_events (phone, occurred_at DESC, id DESC)`
  // Append-only by law, not by convention: entries are never changed or removed.
  yield* sql.unsafe(`
    CREATE FUNCTION opt_out_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'opt_out_events is append-only';
    END
    $$`)
  yield* sql.unsafe(`
    CREATE TRIGGER opt_out_events_no_change BEFORE UPDATE OR DELETE ON opt_out_events
    FOR EACH ROW EXECUTE FUNCTION opt_out_events_append_only()`)
  yield* sql.unsafe(`
    CREATE TRIGGER opt_out_events_no_truncate BEFORE TRUNCATE ON opt_out_events
    FOR EACH STATEMENT EXECUTE FUNCTION opt_out_events_append_only()`)
})
