import { Effect, Layer, Option, Ref } from "effect"
import { SyncProgress } from "../ports/sync-progress.ts"
import { MemoryStore, withMap } from "./memory-store.ts"

/** Checkpoints in the MemoryStore, so the test Transactor rolls them back with the page they belong to. */
export const MemorySyncProgress = Layer.effect(
  SyncProgress,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return SyncProgress.of({
      find: (key) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.syncProgress.get(key))),
      save: (checkpoint) =>
        Ref.update(state, (s) => ({ ...s, syncProgress: withMap(s.syncProgress, checkpoint.key, checkpoint) }))
    })
  })
)
