import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // The state of Effect's RateLimiterStore, shared by every process that sends
  // under one OpenPhone API key (10 requests/s per key). `key` names the
  // algorithm and a hash of the API key, never the key itself. Fixed windows
  // use count/attempted/stamp (stamp: when the window's count expires, ms);
  // token buckets count/stamp (stamp: last refill, ms); adaptive state is `state`.
  // Times are epoch milliseconds from the callers' clock, as in Effect's stores.
  yield* sql`
    CREATE TABLE rate_limits (
      key text PRIMARY KEY,
      count double precision NOT NULL DEFAULT 0,
      attempted double precision NOT NULL DEFAULT 0,
      stamp double precision NOT NULL DEFAULT 0,
      state jsonb
    )`
  // What the sandbox gateway (no API key configured) "sent": recorded in the
  // database so the API and worker processes see the same messages.
  yield* sql`
    CREATE TABLE sandbox_messages (
      id text PRIMARY KEY CHECK (id LIKE 'AC%'),
      direction text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
      from_number text NOT NULL,
      to_number text NOT NULL,
      body text NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL
    )`
  yield* sql`CREATE INDEX sandbox_messages_to_created ON sandbox_messages (to_number, created_at DESC, id DESC)`
  yield* sql`CREATE INDEX sandbox_messages_created ON sandbox_messages (created_at DESC, id DESC)`
})
