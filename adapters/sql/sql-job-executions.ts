import { PgClient } from "@effect/sql-pg"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { toPage } from "../../application/pagination.ts"
import { type JobExecution, JobExecutions, JobStatus } from "../../application/ports/job-executions.ts"

const JobRow = Schema.Struct({
  execution_id: Schema.String,
  kind: Schema.String,
  status: JobStatus,
  payload: Schema.Json,
  started_at: Schema.Date,
  finished_at: Schema.NullOr(Schema.Date),
  error: Schema.NullOr(Schema.String),
  attempts: Schema.Number
})

const toJob = (row: typeof JobRow.Type): JobExecution => ({
  executionId: row.execution_id,
  kind: row.kind,
  status: row.status,
  payload: row.payload,
  startedAt: DateTime.fromDateUnsafe(row.started_at),
  finishedAt: row.finished_at === null ? undefined : DateTime.fromDateUnsafe(row.finished_at),
  error: row.error ?? undefined,
  attempts: row.attempts
})
const decodeCount = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ n: Schema.Number })))
const decodeJobRows = Schema.decodeUnknownEffect(Schema.Array(JobRow))
const decodeRows = (rows: ReadonlyArray<unknown>) => Effect.map(decodeJobRows(rows), (decoded) => decoded.map(toJob))

/**
 * Job executions in PostgreSQL. Called from workflow activities marked
 * WithTransaction, so each write joins the engine's transaction when there is
 * one (same PgClient) and commits with the activity's recorded result.
 */
export const SqlJobExecutions = Layer.effect(
  JobExecutions,
  Effect.gen(function*() {
    const sql = yield* PgClient.PgClient
    return JobExecutions.of({
      start: (job) =>
        sql`
          INSERT INTO job_executions (execution_id, kind, status, payload, started_at, attempts)
          VALUES (${job.executionId}, ${job.kind}, 'running', ${JSON.stringify(job.payload)}::jsonb, ${DateTime.toDate(job.at)}, 1)
          ON CONFLICT (execution_id) DO UPDATE
            SET status = 'running', finished_at = NULL, error = NULL, attempts = job_executions.attempts + 1`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      finish: (executionId, outcome, at) =>
        sql`
          UPDATE job_executions
          SET status = ${outcome.status}, finished_at = ${DateTime.toDate(at)},
              error = ${outcome.status === "failed" ? outcome.error : null}
          WHERE execution_id = ${executionId}`.pipe(Effect.asVoid, Effect.orDie),
      findById: (executionId) =>
        sql`SELECT * FROM job_executions WHERE execution_id = ${executionId}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((jobs) => Option.fromNullishOr(jobs[0])),
          Effect.orDie
        ),
      list: (filter, page) =>
        sql`
          SELECT * FROM job_executions
          WHERE ${sql.and([
          ...(filter.kind === undefined ? [] : [sql`kind = ${filter.kind}`]),
          ...(filter.status === undefined ? [] : [sql`status = ${filter.status}`]),
          ...(page.after === undefined ? [] : [
            sql`(started_at, execution_id) < (${DateTime.toDate(page.after.startedAt)}, ${page.after.executionId})`
          ])
        ])}
          ORDER BY started_at DESC, execution_id DESC
          LIMIT ${page.limit + 1}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((rows) => toPage(rows, page.limit, (job) => ({ startedAt: job.startedAt, executionId: job.executionId }))),
          Effect.orDie
        ),
      countRunning: (kinds) =>
        kinds.length === 0 ? Effect.succeed(0) : sql`
          SELECT count(*)::int AS n FROM job_executions
          WHERE status = 'running' AND kind = ANY(${[...kinds]}::text[])`.pipe(
          Effect.flatMap(decodeCount),
          Effect.map((rows) => rows[0]?.n ?? 0),
          Effect.orDie
        ),
      purgeFinishedBefore: (cutoff) =>
        sql`DELETE FROM job_executions WHERE finished_at < ${DateTime.toDate(cutoff)} RETURNING 1`.pipe(
          Effect.map((rows) => rows.length),
          Effect.orDie
        )
    })
  })
)
