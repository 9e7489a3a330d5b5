import { DateTime, Effect, Layer, Ref } from "effect"
import { IdempotencyStore, type IdempotencyClaim, type IdempotencyScope } from "../ports/idempotency-store.ts"
import { MemoryStore, type MemoryState, withMap, withoutKeys } from "./memory-store.ts"

const keyOf = (scope: IdempotencyScope) => `${scope.tokenId}\u0000${scope.key}`

/** As the SQL store: a claim unfinished after this long was abandoned (its process died), so the key is free again. */
const ABANDONED_AFTER_MS = 5 * 60 * 1000

export const MemoryIdempotencyStore = Layer.effect(
  IdempotencyStore,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return IdempotencyStore.of({
      claim: (scope, fingerprint, now) =>
        Ref.modify(state, (s): readonly [IdempotencyClaim, MemoryState] => {
          const existing = s.idempotency.get(keyOf(scope))
          const abandoned = existing !== undefined && existing.response === undefined &&
            existing.createdAt < DateTime.toEpochMillis(now) - ABANDONED_AFTER_MS
          if (existing === undefined || abandoned) {
            const entry = { fingerprint, createdAt: DateTime.toEpochMillis(now), response: undefined }
            return [{ _tag: "Claimed" }, { ...s, idempotency: withMap(s.idempotency, keyOf(scope), entry) }]
          }
          if (existing.fingerprint !== fingerprint) return [{ _tag: "Mismatch" }, s]
          if (existing.response === undefined) return [{ _tag: "InProgress" }, s]
          return [{ _tag: "Replay", response: existing.response }, s]
        }),
      complete: (scope, response) =>
        Ref.update(state, (s) => {
          const existing = s.idempotency.get(keyOf(scope))
          return existing === undefined ? s : { ...s, idempotency: withMap(s.idempotency, keyOf(scope), { ...existing, response }) }
        }),
      // Only an unfinished claim is forgotten: a stored response keeps replaying.
      release: (scope) =>
        Ref.update(state, (s) =>
          s.idempotency.get(keyOf(scope))?.response === undefined
            ? { ...s, idempotency: withoutKeys(s.idempotency, [keyOf(scope)]) }
            : s),
      purgeCreatedBefore: (cutoff) =>
        Ref.modify(state, (s) => {
          const old = [...s.idempotency.entries()].filter(([, e]) => e.createdAt < DateTime.toEpochMillis(cutoff)).map(([k]) => k)
          return [old.length, { ...s, idempotency: withoutKeys(s.idempotency, old) }]
        })
    })
  })
)
