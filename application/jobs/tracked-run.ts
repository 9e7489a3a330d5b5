import { Cause, DateTime, Effect, Exit, type Schema } from "effect"
import { JobExecutions } from "../ports/job-executions.ts"
import { describeCause } from "./job-error.ts"

/**
 * Runs `effect` as a job operators can follow in `job_executions`, outside a
 * workflow (a cron run): running at the start, succeeded or failed at the end.
 * An interrupted run stays `running` until it is run again (attempts + 1).
 */
export const trackedRun = (job: { readonly executionId: string; readonly kind: string; readonly payload: Schema.Json }) =>
<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | JobExecutions> =>
  Effect.gen(function*() {
    const jobs = yield* JobExecutions
    yield* jobs.start({ ...job, at: yield* DateTime.now })
    const exit = yield* Effect.exit(effect)
    if (Exit.isSuccess(exit)) {
      yield* jobs.finish(job.executionId, { status: "succeeded" }, yield* DateTime.now)
    } else if (!Cause.hasInterruptsOnly(exit.cause)) {
      yield* jobs.finish(job.executionId, { status: "failed", error: describeCause(exit.cause) }, yield* DateTime.now)
    }
    return yield* exit
  })
