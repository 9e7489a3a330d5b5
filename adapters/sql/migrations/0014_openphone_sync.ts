import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // One row per backfill run (`npm run crm -- openphone sync`), keyed by the
  // `--since` it started with; rewritten after every page in the same
  // transaction as that page's messages, so a rerun after a crash resumes here.
  yield* sql`
    CREATE TABLE openphone_sync_progress (
      key text PRIMARY KEY,
      source text NOT NULL CHECK (source IN ('conversations', 'contacts')),
      page_cursor text,
      done_in_page text[] NOT NULL DEFAULT '{}',
      participant text,
      message_page_token text,
      pages integer NOT NULL DEFAULT 0 CHECK (pages >= 0),
      messages integer NOT NULL DEFAULT 0 CHECK (messages >= 0),
      contacts_created integer NOT NULL DEFAULT 0 CHECK (contacts_created >= 0),
      participants integer NOT NULL DEFAULT 0 CHECK (participants >= 0),
      started_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      finished_at timestamptz,
      CHECK (message_page_token IS NULL OR participant IS NOT NULL)
    )`
})
