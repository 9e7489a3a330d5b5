import { DateTime, Duration, Effect } from "effect"
import { EngineHistory } from "../ports/engine-history.ts"
import { IdempotencyStore } from "../ports/idempotency-store.ts"
import { JobExecutions } from "../ports/job-executions.ts"

/** Idempotency keys are kept at least this long (the API's promise to clients). */
export const IDEMPOTENCY_RETENTION = Duration.hours(24)

/** Deletes idempotency keys older than {@link IDEMPOTENCY_RETENTION}. */
export const purgeIdempotencyKeys = Effect.gen(function*() {
  const store = yield* IdempotencyStore
  const cutoff = DateTime.subtractDuration(yield* DateTime.now, IDEMPOTENCY_RETENTION)
  const deleted = yield* store.purgeCreatedBefore(cutoff)
  if (deleted > 0) yield* Effect.logInfo("purged expired idempotency keys").pipe(Effect.annotateLogs({ deleted }))
  return deleted
})

/**
 * Forgets jobs that finished more than `retention` ago: the engine's history
 * of them and their job_executions rows. Running jobs are never touched.
 */
export const cleanUpFinishedJobs = (retention: Duration.Duration) =>
  Effect.gen(function*() {
    const cutoff = DateTime.subtractDuration(yield* DateTime.now, retention)
    const messages = yield* (yield* EngineHistory).purgeFinishedBefore(cutoff)
    const executions = yield* (yield* JobExecutions).purgeFinishedBefore(cutoff)
    if (messages + executions > 0) {
      yield* Effect.logInfo("cleaned up finished jobs").pipe(Effect.annotateLogs({ messages, executions }))
    }
    return { messages, executions }
  })
