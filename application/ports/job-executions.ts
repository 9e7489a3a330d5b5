import { Context, type DateTime, type Effect, type Option, Schema } from "effect"
import type { Page, PageRequest } from "../pagination.ts"

export const JobStatus = Schema.Literals(["running", "succeeded", "failed"])
export type JobStatus = typeof JobStatus.Type

/** What operators see of one workflow execution or cron run. */
export interface JobExecution {
  /** The engine's execution id (a workflow's is a hash of its name and idempotency key). */
  readonly executionId: string
  /** The workflow's name, or `cron:<name>` for a scheduled run. */
  readonly kind: string
  readonly status: JobStatus
  /** A JSON summary of what the job was asked to do. */
  readonly payload: Schema.Json
  readonly startedAt: DateTime.Utc
  readonly finishedAt: DateTime.Utc | undefined
  readonly error: string | undefined
  /** How many times the job was started; more than 1 after a failed run was run again. */
  readonly attempts: number
}

/** The list is newest first; a page continues after the last (startedAt, executionId) seen. */
export const JobExecutionKey = Schema.Struct({ startedAt: Schema.DateTimeUtc, executionId: Schema.String })
export type JobExecutionKey = typeof JobExecutionKey.Type

export interface JobExecutionFilter {
  readonly kind?: string | undefined
  readonly status?: JobStatus | undefined
}

export interface JobStart {
  readonly executionId: string
  readonly kind: string
  readonly payload: Schema.Json
  readonly at: DateTime.Utc
}

export type JobOutcome =
  | { readonly status: "succeeded" }
  | { readonly status: "failed"; readonly error: string }

export class JobExecutions extends Context.Service<JobExecutions, {
  /** Records the job as running; starting it again (a re-run) counts an attempt and clears the last outcome. */
  readonly start: (job: JobStart) => Effect.Effect<void>
  /** Records the outcome; a job never started is left alone. */
  readonly finish: (executionId: string, outcome: JobOutcome, at: DateTime.Utc) => Effect.Effect<void>
  readonly findById: (executionId: string) => Effect.Effect<Option.Option<JobExecution>>
  readonly list: (filter: JobExecutionFilter, page: PageRequest<JobExecutionKey>) => Effect.Effect<Page<JobExecution, JobExecutionKey>>
  /** How many jobs of these kinds are running now (started, not yet finished): what a producer waits on before starting more. */
  readonly countRunning: (kinds: ReadonlyArray<string>) => Effect.Effect<number>
  /** Deletes jobs that finished before `cutoff` (running ones are kept); returns how many. */
  readonly purgeFinishedBefore: (cutoff: DateTime.Utc) => Effect.Effect<number>
}>()("crm/application/ports/JobExecutions") {}
