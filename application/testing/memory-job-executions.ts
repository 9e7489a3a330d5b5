import { DateTime, Effect, Layer, Option, Order, Ref } from "effect"
import { toPage } from "../pagination.ts"
import { type JobExecution, type JobExecutionKey, JobExecutions } from "../ports/job-executions.ts"

// Newest first, then by id, as the SQL index orders them.
const newestFirst: Order.Order<JobExecution> = Order.combine(
  Order.flip(Order.mapInput(DateTime.Order, (job: JobExecution) => job.startedAt)),
  Order.flip(Order.mapInput(Order.String, (job: JobExecution) => job.executionId))
)

const isAfter = (job: JobExecution, key: JobExecutionKey): boolean =>
  DateTime.isLessThan(job.startedAt, key.startedAt) ||
  (DateTime.Equivalence(job.startedAt, key.startedAt) && job.executionId < key.executionId)

/**
 * Job executions in memory. Kept apart from MemoryStore: no test rolls them
 * back with the Transactor (the engine records them in its own transactions).
 */
export const MemoryJobExecutions = Layer.effect(
  JobExecutions,
  Effect.gen(function*() {
    const jobs = yield* Ref.make<ReadonlyMap<string, JobExecution>>(new Map())
    return JobExecutions.of({
      start: (job) =>
        Ref.update(jobs, (all) => {
          const existing = all.get(job.executionId)
          const next: JobExecution = existing === undefined
            ? {
              executionId: job.executionId,
              kind: job.kind,
              payload: job.payload,
              startedAt: job.at,
              status: "running",
              finishedAt: undefined,
              error: undefined,
              attempts: 1
            }
            : { ...existing, status: "running", finishedAt: undefined, error: undefined, attempts: existing.attempts + 1 }
          return new Map(all).set(job.executionId, next)
        }),
      finish: (executionId, outcome, at) =>
        Ref.update(jobs, (all) => {
          const existing = all.get(executionId)
          if (existing === undefined) return all
          const error = outcome.status === "failed" ? outcome.error : undefined
          return new Map(all).set(executionId, { ...existing, status: outcome.status, finishedAt: at, error })
        }),
      findById: (executionId) => Effect.map(Ref.get(jobs), (all) => Option.fromNullishOr(all.get(executionId))),
      list: (filter, page) =>
        Effect.map(Ref.get(jobs), (all) => {
          const rows = [...all.values()]
            .filter((job) =>
              (filter.kind === undefined || job.kind === filter.kind) &&
              (filter.status === undefined || job.status === filter.status) &&
              (page.after === undefined || isAfter(job, page.after))
            )
            .sort(newestFirst)
            .slice(0, page.limit + 1)
          return toPage(rows, page.limit, (job) => ({ startedAt: job.startedAt, executionId: job.executionId }))
        }),
      countRunning: (kinds) =>
        Effect.map(Ref.get(jobs), (all) => [...all.values()].filter((job) => job.status === "running" && kinds.includes(job.kind)).length),
      purgeFinishedBefore: (cutoff) =>
        Ref.modify(jobs, (all) => {
          const kept = [...all].filter(([, job]) => job.finishedAt === undefined || !DateTime.isLessThan(job.finishedAt, cutoff))
          return [all.size - kept.length, new Map(kept)]
        })
    })
  })
)
