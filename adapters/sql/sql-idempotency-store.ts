import { PgClient } from "@effect/sql-pg"
import { DateTime, Effect, Layer, Schema } from "effect"
import { type IdempotencyClaim, IdempotencyStore } from "../../application/ports/idempotency-store.ts"

/**
 * A claim whose request has not finished after this long is taken to be
 * abandoned (the process died mid-request), so the key can be used again.
 */
const ABANDONED_AFTER_MS = 5 * 60 * 1000

const ExistingRow = Schema.Struct({
  fingerprint: Schema.String,
  status: Schema.NullOr(Schema.Number),
  headers: Schema.NullOr(Schema.Record(Schema.String, Schema.String)),
  body: Schema.NullOr(Schema.String)
})
const decodeExisting = Schema.decodeUnknownEffect(Schema.Array(ExistingRow))

export const SqlIdempotencyStore = Layer.effect(
  IdempotencyStore,
  Effect.gen(function*() {
    const sql = yield* PgClient.PgClient

    const claim = (scope: { readonly tokenId: string; readonly key: string }, fingerprint: string, now: DateTime.Utc) =>
      Effect.gen(function*() {
        const nowDate = DateTime.toDate(now)
        const abandonedBefore = new Date(nowDate.getTime() - ABANDONED_AFTER_MS)
        const claimed = yield* sql`
          INSERT INTO idempotency_keys (token_id, key, fingerprint, created_at)
          VALUES (${scope.tokenId}, ${scope.key}, ${fingerprint}, ${nowDate})
          ON CONFLICT (token_id, key) DO UPDATE
            SET fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at
            WHERE idempotency_keys.status IS NULL AND idempotency_keys.created_at < ${abandonedBefore}
          RETURNING 1 AS claimed`
        if (claimed.length > 0) return { _tag: "Claimed" } as const
        const [existing] = yield* sql`
          SELECT fingerprint, status, headers, body FROM idempotency_keys
          WHERE token_id = ${scope.tokenId} AND key = ${scope.key}`.pipe(Effect.flatMap(decodeExisting))
        if (existing === undefined) return { _tag: "InProgress" } as const // released between the two statements
        if (existing.fingerprint !== fingerprint) return { _tag: "Mismatch" } as const
        if (existing.status === null) return { _tag: "InProgress" } as const
        return {
          _tag: "Replay",
          response: { status: existing.status, headers: existing.headers ?? {}, body: existing.body ?? "" }
        } as const
      }).pipe(Effect.orDie, Effect.map((result): IdempotencyClaim => result))

    return IdempotencyStore.of({
      claim,
      complete: (scope, response) =>
        sql`UPDATE idempotency_keys SET status = ${response.status}, headers = ${sql.json(response.headers)}, body = ${response.body}
            WHERE token_id = ${scope.tokenId} AND key = ${scope.key}`.pipe(Effect.asVoid, Effect.orDie),
      release: (scope) =>
        sql`DELETE FROM idempotency_keys WHERE token_id = ${scope.tokenId} AND key = ${scope.key} AND status IS NULL`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      purgeCreatedBefore: (cutoff) =>
        sql`DELETE FROM idempotency_keys WHERE created_at < ${DateTime.toDate(cutoff)} RETURNING 1`.pipe(
          Effect.map((rows) => rows.length),
          Effect.orDie
        )
    })
  })
)
