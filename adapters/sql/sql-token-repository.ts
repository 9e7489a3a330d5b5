import { DateTime, Effect, Layer, Option, Schema, SchemaTransformation } from "effect"
import { SqlClient } from "effect/sql"
import { ApiToken, type ApiTokenId, TokenRole, TokenSource } from "../../application/auth/api-token.ts"
import { type StoredToken, TokenRepository } from "../../application/ports/token-repository.ts"

const TokenRow = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: TokenRole,
  source: TokenSource,
  secret_sha256: Schema.String,
  created_at: Schema.Date,
  last_used_at: Schema.NullOr(Schema.Date),
  revoked_at: Schema.NullOr(Schema.Date)
})

const StoredTokenFromRow = TokenRow.pipe(
  Schema.decodeTo(
    Schema.Struct({ token: ApiToken, secretHash: Schema.String }),
    SchemaTransformation.transform({
      decode: (row: typeof TokenRow.Type) => ({
        token: {
          id: row.id,
          name: row.name,
          role: row.role,
          source: row.source,
          createdAt: DateTime.fromDateUnsafe(row.created_at),
          lastUsedAt: row.last_used_at === null ? null : DateTime.fromDateUnsafe(row.last_used_at),
          revokedAt: row.revoked_at === null ? null : DateTime.fromDateUnsafe(row.revoked_at)
        },
        secretHash: row.secret_sha256
      }),
      encode: (stored): typeof TokenRow.Type => ({
        id: stored.token.id,
        name: stored.token.name,
        role: stored.token.role,
        source: stored.token.source,
        secret_sha256: stored.secretHash,
        created_at: DateTime.toDate(stored.token.createdAt),
        last_used_at: stored.token.lastUsedAt === null ? null : DateTime.toDate(stored.token.lastUsedAt),
        revoked_at: stored.token.revokedAt === null ? null : DateTime.toDate(stored.token.revokedAt)
      })
    })
  )
)
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(StoredTokenFromRow))
const encodeRow = Schema.encodeSync(StoredTokenFromRow)

export const SqlTokenRepository = Layer.effect(
  TokenRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const first = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => Option.fromNullishOr(list[0]))

    return TokenRepository.of({
      insert: (stored: StoredToken) =>
        sql`INSERT INTO api_tokens ${sql.insert(encodeRow(stored))}`.pipe(Effect.asVoid, Effect.orDie),
      findActiveByHash: (hash) =>
        sql`SELECT * FROM api_tokens WHERE secret_sha256 = ${hash} AND revoked_at IS NULL`.pipe(
          Effect.flatMap(first),
          Effect.map(Option.map((stored) => stored.token)),
          Effect.orDie
        ),
      findByHash: (hash) =>
        sql`SELECT * FROM api_tokens WHERE secret_sha256 = ${hash}`.pipe(
          Effect.flatMap(first),
          Effect.map(Option.map((stored) => stored.token)),
          Effect.orDie
        ),
      findActiveEnvironmentToken: sql`
        SELECT * FROM api_tokens WHERE source = 'environment' AND revoked_at IS NULL ORDER BY id LIMIT 1`.pipe(
        Effect.flatMap(first),
        Effect.orDie
      ),
      countActive: sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM api_tokens WHERE revoked_at IS NULL`.pipe(
        Effect.map((rows) => rows[0]?.n ?? 0),
        Effect.orDie
      ),
      markUsed: (id: ApiTokenId, at: DateTime.Utc) =>
        sql`UPDATE api_tokens SET last_used_at = ${DateTime.toDate(at)} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      revoke: (id: ApiTokenId, at: DateTime.Utc) =>
        sql`UPDATE api_tokens SET revoked_at = ${DateTime.toDate(at)} WHERE id = ${id} AND revoked_at IS NULL RETURNING id`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie
        ),
      list: ({ after, limit }) =>
        sql`SELECT * FROM api_tokens WHERE ${after === undefined ? sql`TRUE` : sql`id > ${after}`} ORDER BY id LIMIT ${limit}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((list) => list.map((stored) => stored.token)),
          Effect.orDie
        )
    })
  })
)
