import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // The one QuickBooks company the CRM is connected to: a single row (the
  // primary key can only be true). Tokens are AES-256-GCM ciphertext
  // (adapters/quickbooks/token-cipher.ts), never plain. `version` goes up on
  // every token change: a refresh stores its rotated tokens only if the version
  // it read is still current, so two processes refreshing at once cannot
  // overwrite the newer refresh token with an older one.
  yield* sql`
    CREATE TABLE quickbooks_connection (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      realm_id text NOT NULL,
      company_name text,
      access_token_enc text NOT NULL CHECK (access_token_enc LIKE 'v1:%'),
      refresh_token_enc text NOT NULL CHECK (refresh_token_enc LIKE 'v1:%'),
      access_expires_at timestamptz NOT NULL,
      refresh_expires_at timestamptz NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      connected_at timestamptz NOT NULL,
      last_sync_at timestamptz,
      last_error text,
      cdc_cursor timestamptz
    )`
  // OAuth states waiting for Intuit's callback, bound to the API token that
  // asked to connect; each is taken once. No foreign key: the token id is
  // only checked against the caller, and a state outlives nothing (10 minutes).
  yield* sql`
    CREATE TABLE quickbooks_oauth_states (
      state text PRIMARY KEY,
      api_token_id text NOT NULL,
      expires_at timestamptz NOT NULL
    )`
  yield* sql`CREATE INDEX quickbooks_oauth_states_expiry ON quickbooks_oauth_states (expires_at)`
  // CRM entities and their QuickBooks twins. Each side is unique per kind, so
  // nothing is created twice and a QuickBooks payment pulled by webhook and by
  // CDC maps (and is recorded) once. Ids are text: CRM ids are UUIDs, pulled
  // payment applications are keyed "<paymentId>:<invoiceId>".
  yield* sql`
    CREATE TABLE accounting_mappings (
      kind text NOT NULL CHECK (kind IN ('customer', 'service', 'invoice', 'payment')),
      crm_id text NOT NULL,
      qbo_id text NOT NULL,
      sync_token text NOT NULL,
      pushed_hash text,
      origin text NOT NULL CHECK (origin IN ('pushed', 'linked', 'pulled')),
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (kind, crm_id),
      UNIQUE (kind, qbo_id)
    )`
  // Every push or pull attempt. Ids are UUIDv7 (time-ordered), so the log pages
  // newest first by id alone; the two indexes serve the kind and outcome filters.
  yield* sql`
    CREATE TABLE accounting_sync_log (
      id uuid PRIMARY KEY,
      at timestamptz NOT NULL,
      kind text NOT NULL CHECK (kind IN ('customer', 'service', 'invoice', 'payment')),
      crm_id text,
      qbo_id text,
      action text NOT NULL CHECK (action IN ('create', 'update', 'link', 'void', 'pull', 'conflict', 'skip')),
      outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'retrying')),
      error text,
      detail text
    )`
  yield* sql`CREATE INDEX accounting_sync_log_kind ON accounting_sync_log (kind, id DESC)`
  yield* sql`CREATE INDEX accounting_sync_log_outcome ON accounting_sync_log (outcome, id DESC)`
})
