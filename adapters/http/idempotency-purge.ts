import { DateTime, Effect, Layer, Schedule } from "effect"
import { IdempotencyStore } from "../../application/ports/idempotency-store.ts"

/** Idempotency keys are kept at least this long (the API's promise to clients). */
export const IDEMPOTENCY_RETENTION = { hours: 24 } as const

/** Deletes expired idempotency keys at start and then hourly, for as long as the layer lives. */
export const IdempotencyPurgeLive = Layer.effectDiscard(
  Effect.gen(function*() {
    const store = yield* IdempotencyStore
    const purge = Effect.gen(function*() {
      const cutoff = DateTime.subtract(yield* DateTime.now, IDEMPOTENCY_RETENTION)
      const deleted = yield* store.purgeCreatedBefore(cutoff)
      if (deleted > 0) yield* Effect.logInfo("purged expired idempotency keys").pipe(Effect.annotateLogs({ deleted }))
    }).pipe(Effect.catchCause((cause) => Effect.logWarning("idempotency key purge failed", cause)))
    yield* Effect.forkScoped(Effect.repeat(purge, Schedule.spaced("1 hour")))
  })
)
