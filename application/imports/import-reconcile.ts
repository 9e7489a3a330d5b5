import { DateTime, Duration, Effect, Option } from "effect"
import { ImportRepository } from "../ports/import-repository.ts"
import { ImportWorkflow } from "./import-workflow.ts"

/** A checked upload still queued this long after it was created lost its job start to a crash. */
export const START_GRACE = Duration.minutes(1)

/**
 * An upload not yet checked this long after it began was cut off by a crash
 * (the 50 MB limit in an hour is 14 KB/s, slower than any real upload).
 */
export const ABANDONED_UPLOAD_AFTER = Duration.hours(1)

/** Imports looked at per run; the next run takes the rest. */
const LIMIT = 500

/**
 * Repairs what a crash during `Imports.start` leaves (run every minute by the
 * `imports.reconcile` cron job):
 * - a checked upload whose job was never started is started; starting is
 *   idempotent by import id, so an execution that exists already is joined,
 *   never doubled;
 * - an upload cut off before it was checked is deleted with its chunks, as a
 *   refused one would have been.
 */
export const reconcileImports = Effect.gen(function*() {
  const repo = yield* ImportRepository
  const now = yield* DateTime.now
  const abandonedBefore = DateTime.subtractDuration(now, ABANDONED_UPLOAD_AFTER)
  const queued = yield* repo.listQueued(DateTime.subtractDuration(now, START_GRACE), LIMIT)
  const started: Array<string> = []
  const deleted: Array<string> = []
  for (const job of queued) {
    if (job.totalRows === null) {
      if (DateTime.isLessThan(job.createdAt, abandonedBefore)) {
        yield* repo.delete(job.id)
        deleted.push(job.id)
      }
      continue
    }
    const executionId = yield* ImportWorkflow.executionId({ importId: job.id })
    if (Option.isNone(yield* ImportWorkflow.poll(executionId))) {
      yield* ImportWorkflow.execute({ importId: job.id }, { discard: true })
      started.push(job.id)
    }
  }
  if (started.length + deleted.length > 0) {
    yield* Effect.logWarning("imports reconciled").pipe(Effect.annotateLogs({ started, deleted }))
  }
  return { started, deleted }
})
