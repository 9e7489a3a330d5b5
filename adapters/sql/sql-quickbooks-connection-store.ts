import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import {
  type NewTokens,
  type QuickBooksConnection,
  QuickBooksConnectionStore
} from "../../application/ports/quickbooks-connection-store.ts"
import { TokenCipher } from "../quickbooks/token-cipher.ts"

const ConnectionRow = Schema.Struct({
  realm_id: Schema.String,
  company_name: Schema.NullOr(Schema.String),
  access_token_enc: Schema.String,
  refresh_token_enc: Schema.String,
  access_expires_at: Schema.Date,
  refresh_expires_at: Schema.Date,
  version: Schema.Int,
  connected_at: Schema.Date,
  last_sync_at: Schema.NullOr(Schema.Date),
  last_error: Schema.NullOr(Schema.String),
  cdc_cursor: Schema.NullOr(Schema.Date)
})
const decodeConnections = Schema.decodeUnknownEffect(Schema.Array(ConnectionRow))

const StateRow = Schema.Struct({ state: Schema.String, api_token_id: Schema.String, expires_at: Schema.Date })
const decodeStates = Schema.decodeUnknownEffect(Schema.Array(StateRow))

const COLUMNS = "realm_id, company_name, access_token_enc, refresh_token_enc, access_expires_at, refresh_expires_at, " +
  "version, connected_at, last_sync_at, last_error, cdc_cursor"

const utc = (date: Date) => DateTime.fromDateUnsafe(date)
const utcOrNull = (date: Date | null) => (date === null ? null : DateTime.fromDateUnsafe(date))

/**
 * The connection row, its tokens encrypted with {@link TokenCipher}. A value
 * that no longer decrypts (the key changed) is a defect naming the fix:
 * reconnecting overwrites it without reading it.
 */
export const SqlQuickBooksConnectionStoreNoDeps = Layer.effect(
  QuickBooksConnectionStore,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const cipher = yield* TokenCipher
    const columns = sql.literal(COLUMNS)

    const toConnection = (row: typeof ConnectionRow.Type) =>
      Effect.all({ accessToken: cipher.decrypt(row.access_token_enc), refreshToken: cipher.decrypt(row.refresh_token_enc) })
        .pipe(Effect.map(({ accessToken, refreshToken }): QuickBooksConnection => ({
          realmId: row.realm_id,
          companyName: row.company_name,
          accessToken,
          refreshToken,
          accessTokenExpiresAt: utc(row.access_expires_at),
          refreshTokenExpiresAt: utc(row.refresh_expires_at),
          version: row.version,
          connectedAt: utc(row.connected_at),
          lastSyncAt: utcOrNull(row.last_sync_at),
          lastError: row.last_error,
          cdcCursor: utcOrNull(row.cdc_cursor)
        })))
    const one = (rows: ReadonlyArray<unknown>) =>
      decodeConnections(rows).pipe(
        Effect.flatMap((list) => list[0] === undefined ? Effect.succeedNone : Effect.asSome(toConnection(list[0]))),
        Effect.orDie
      )
    const encrypted = (tokens: NewTokens) =>
      Effect.all({ access: cipher.encrypt(tokens.accessToken), refresh: cipher.encrypt(tokens.refreshToken) }).pipe(
        Effect.map(({ access, refresh }) => ({
          access_token_enc: access,
          refresh_token_enc: refresh,
          access_expires_at: DateTime.toDate(tokens.accessTokenExpiresAt),
          refresh_expires_at: DateTime.toDate(tokens.refreshTokenExpiresAt)
        })),
        Effect.orDie
      )

    return QuickBooksConnectionStore.of({
      find: sql`SELECT ${columns} FROM quickbooks_connection`.pipe(Effect.orDie, Effect.flatMap(one)),
      findForUpdate: sql`SELECT ${columns} FROM quickbooks_connection FOR UPDATE`.pipe(Effect.orDie, Effect.flatMap(one)),
      connect: (input) =>
        Effect.gen(function*() {
          const tokens = yield* encrypted(input.tokens)
          const row = {
            id: true,
            realm_id: input.realmId,
            company_name: input.companyName,
            ...tokens,
            version: 1,
            connected_at: DateTime.toDate(input.connectedAt),
            last_sync_at: null,
            last_error: null,
            cdc_cursor: null
          }
          // A new connection replaces the old one whole: nothing of the previous company's sync state carries over.
          yield* sql`
            INSERT INTO quickbooks_connection ${sql.insert(row)}
            ON CONFLICT (id) DO UPDATE SET
              realm_id = EXCLUDED.realm_id, company_name = EXCLUDED.company_name,
              access_token_enc = EXCLUDED.access_token_enc, refresh_token_enc = EXCLUDED.refresh_token_enc,
              access_expires_at = EXCLUDED.access_expires_at, refresh_expires_at = EXCLUDED.refresh_expires_at,
              version = 1, connected_at = EXCLUDED.connected_at,
              last_sync_at = NULL, last_error = NULL, cdc_cursor = NULL`.pipe(Effect.orDie)
          return {
            realmId: input.realmId,
            companyName: input.companyName,
            ...input.tokens,
            version: 1,
            connectedAt: input.connectedAt,
            lastSyncAt: null,
            lastError: null,
            cdcCursor: null
          }
        }),
      rotateTokens: (expectedVersion, newTokens) =>
        Effect.gen(function*() {
          const tokens = yield* encrypted(newTokens)
          // Compare-and-swap: only the refresh that read the current version stores its tokens.
          const rows = yield* sql`
            UPDATE quickbooks_connection SET
              access_token_enc = ${tokens.access_token_enc}, refresh_token_enc = ${tokens.refresh_token_enc},
              access_expires_at = ${tokens.access_expires_at}, refresh_expires_at = ${tokens.refresh_expires_at},
              version = version + 1
            WHERE version = ${expectedVersion}
            RETURNING ${columns}`.pipe(Effect.orDie)
          return yield* one(rows)
        }),
      recordSync: (result) =>
        // A failure keeps the time of the last success: the status page shows both.
        sql`
          UPDATE quickbooks_connection SET
            last_sync_at = CASE WHEN ${result.error}::text IS NULL THEN ${DateTime.toDate(result.at)} ELSE last_sync_at END,
            last_error = ${result.error}`.pipe(Effect.asVoid, Effect.orDie),
      setCompanyName: (name) => sql`UPDATE quickbooks_connection SET company_name = ${name}`.pipe(Effect.asVoid, Effect.orDie),
      setCdcCursor: (at) =>
        sql`UPDATE quickbooks_connection SET cdc_cursor = ${DateTime.toDate(at)}`.pipe(Effect.asVoid, Effect.orDie),
      disconnect: sql`DELETE FROM quickbooks_connection`.pipe(Effect.asVoid, Effect.orDie),
      saveState: (state) =>
        sql`
          INSERT INTO quickbooks_oauth_states (state, api_token_id, expires_at)
          VALUES (${state.state}, ${state.apiTokenId}, ${DateTime.toDate(state.expiresAt)})
          ON CONFLICT (state) DO UPDATE SET api_token_id = EXCLUDED.api_token_id, expires_at = EXCLUDED.expires_at`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      takeState: (state, now) =>
        Effect.gen(function*() {
          // DELETE ... RETURNING takes the state once, even with two callbacks at the same moment.
          const rows = yield* sql`DELETE FROM quickbooks_oauth_states WHERE state = ${state} RETURNING *`.pipe(
            Effect.flatMap(decodeStates),
            Effect.orDie
          )
          // Abandoned connect attempts leave their states behind: clear the expired ones here.
          yield* sql`DELETE FROM quickbooks_oauth_states WHERE expires_at <= ${DateTime.toDate(now)}`.pipe(Effect.orDie)
          const row = rows[0]
          return row === undefined || DateTime.isLessThanOrEqualTo(utc(row.expires_at), now)
            ? Option.none()
            : Option.some({ state: row.state, apiTokenId: row.api_token_id, expiresAt: utc(row.expires_at) })
        })
    })
  })
)

/** The store with the cipher from `QUICKBOOKS_TOKEN_KEY` (a malformed key fails start-up). */
export const SqlQuickBooksConnectionStore = SqlQuickBooksConnectionStoreNoDeps.pipe(Layer.provide(TokenCipher.layerConfig))
