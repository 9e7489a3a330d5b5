import { Cron, DateTime, Duration, Effect, type Layer } from "effect"
import { ClusterCron, type Sharding } from "effect/cluster"
import { trackedRun } from "../../application/jobs/tracked-run.ts"
import type { JobExecutions } from "../../application/ports/job-executions.ts"

export interface CronJobOptions<E, R> {
  /** Stable name: it names the cluster entity that schedules the runs. */
  readonly name: string
  /** Cron expression, UTC; 5 fields, or 6 with seconds first. */
  readonly cron: string
  readonly execute: Effect.Effect<unknown, E, R>
  /** A run more than this late (the cluster was down) is skipped; default 1 hour. */
  readonly skipIfOlderThan?: Duration.Input | undefined
}

/**
 * A scheduled job on the cluster: whatever the number of runners, each
 * scheduled time runs once (a persisted message to one entity). Each run is
 * recorded in `job_executions` as kind `cron:<name>`, id `cron:<name>:<time>`.
 * A failed run is logged and the next one is scheduled as usual.
 */
export const cronJob = <E, R>(options: CronJobOptions<E, R>): Layer.Layer<never, never, Sharding.Sharding | JobExecutions | Exclude<R, ClusterCron.CurrentScheduledTime>> =>
  ClusterCron.make({
    name: options.name,
    cron: Cron.parseUnsafe(options.cron, "UTC"),
    skipIfOlderThan: options.skipIfOlderThan ?? Duration.hours(1),
    execute: Effect.gen(function*() {
      const scheduled = DateTime.formatIso(yield* ClusterCron.CurrentScheduledTime)
      const kind = `cron:${options.name}`
      yield* options.execute.pipe(trackedRun({ executionId: `${kind}:${scheduled}`, kind, payload: { scheduledAt: scheduled } }))
    })
  })
