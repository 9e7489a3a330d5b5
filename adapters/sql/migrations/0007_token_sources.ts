import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // `cli`: minted by `npm run crm tokens create`, told apart from tokens minted over the API.
  yield* sql`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_source_check`
  yield* sql`
    ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_source_check
      CHECK (source IN ('api', 'cli', 'bootstrap', 'environment'))`
  // When the token last authenticated a request (to within the token cache's lifetime); null if never.
  yield* sql`ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz`
})
