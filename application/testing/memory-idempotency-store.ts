import { DateTime, Effect, Layer, Ref } from "effect"
import { IdempotencyStore, type IdempotencyClaim, type IdempotencyScope } from "../ports/idempotency-store.ts"
import { MemoryStore, type MemoryState, withMap, withoutKeys } from "./memory-store.ts"

const keyOf = (scope: IdempotencyScope) => `${scope.tokenId}\u0000${scope.key}`

export const MemoryIdempotencyStore = Layer.effect(
  IdempotencyStore,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return IdempotencyStore.of({
      claim: (scope, fingerprint, now) =>
        Ref.modify(state, (s): readonly [IdempotencyClaim, MemoryState] => {
          const existing = s.idempotency.get(keyOf(scope))
          if (existing === undefined) {
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
      release: (scope) => Ref.update(state, (s) => ({ ...s, idempotency: withoutKeys(s.idempotency, [keyOf(scope)]) })),
      purgeCreatedBefore: (cutoff) =>
        Ref.modify(state, (s) => {
          const old = [...s.idempotency.entries()].filter(([, e]) => e.createdAt < DateTime.toEpochMillis(cutoff)).map(([k]) => k)
          return [old.length, { ...s, idempotency: withoutKeys(s.idempotency, old) }]
        })
    })
  })
)
