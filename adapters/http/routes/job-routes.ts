import { Effect, Option, Schema } from "effect"
import { type JobExecution, JobExecutionKey, JobExecutions, JobStatus } from "../../../application/ports/job-executions.ts"
import { RequiredText } from "../../../domain/text.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { iso, Timestamp } from "../json-views.ts"
import { httpProblem } from "../problem.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Jobs"]
const nextCursor = encodeCursor(JobExecutionKey)

export const JobJson = Schema.Struct({
  id: Schema.String.annotate({ description: "The execution id" }),
  kind: Schema.String.annotate({ description: "The workflow's name, or `cron:<name>` for a scheduled run" }),
  status: JobStatus,
  // JSON text: the payload's shape differs per kind, and response schemas here are plain JSON types.
  payload: Schema.String.annotate({ description: "What the job was asked to do (a summary), as JSON text" }),
  startedAt: Timestamp,
  finishedAt: Schema.NullOr(Timestamp),
  error: Schema.NullOr(Schema.String).annotate({ description: "Why it failed, in one line" }),
  attempts: Schema.Number.annotate({ description: "Times it was started; more than 1 after a re-run" })
}).annotate({ identifier: "Job" })

const jobJson = (job: JobExecution): typeof JobJson.Type => ({
  id: job.executionId,
  kind: job.kind,
  status: job.status,
  payload: JSON.stringify(job.payload),
  startedAt: iso(job.startedAt),
  finishedAt: job.finishedAt === undefined ? null : iso(job.finishedAt),
  error: job.error ?? null,
  attempts: job.attempts
})

const ListQuery = pageQuery(JobExecutionKey, {
  kind: Schema.optionalKey(RequiredText(200).annotate({ description: "Only jobs of this kind, e.g. messages.send-text" })),
  status: Schema.optionalKey(JobStatus)
})

export const jobRoutes = [
  route({
    method: "get",
    path: "/api/jobs",
    operationId: "listJobs",
    summary: "List background jobs, newest first",
    description: "Admin only. Workflow executions and cron runs of the job engine, with their outcome.",
    tags,
    access: "admin",
    query: ListQuery,
    success: { status: 200, schema: PageOf(JobJson, "JobPage"), description: "A page of jobs" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* JobExecutions).list({ kind: query.kind, status: query.status }, pageRequest(query))
        return { data: page.items.map(jobJson), nextCursor: nextCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/jobs/{id}",
    operationId: "getJob",
    summary: "Show a background job",
    description: "Admin only.",
    tags,
    access: "admin",
    params: Schema.Struct({ id: RequiredText(300) }),
    success: { status: 200, schema: JobJson, description: "The job" },
    problems: ["not-found"],
    handler: ({ params }) =>
      Effect.gen(function*() {
        const found = yield* (yield* JobExecutions).findById(params.id)
        if (Option.isNone(found)) return yield* httpProblem("not-found", `No job has id ${params.id}`)
        return jobJson(found.value)
      })
  })
]
