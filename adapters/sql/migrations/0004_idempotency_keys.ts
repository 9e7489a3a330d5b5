import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // A row with a null status is a claimed key whose request is still running.
  yield* sql`
    CREATE TABLE idempotency_keys (
      token_id text NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      created_at timestamptz NOT NULL,
      status integer,
      headers jsonb,
      body text,
      PRIMARY KEY (token_id, key)
    )`
  yield* sql`CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)`
})
