import { Console, DateTime, Effect, Option } from "effect"
import { CliError, Command, Flag } from "effect/cli"
import { JobExecutions, type JobStatus } from "../../application/ports/job-executions.ts"
import { CliApplication } from "./cli-application.ts"
import { table } from "./table.ts"

/** To the second, in UTC: a table cell, not an API value. */
const when = (at: DateTime.Utc | undefined) => at === undefined ? "-" : DateTime.formatIso(at).replace(/\.\d+Z$/, "Z")

const list = Command.make(
  "list",
  {
    kind: Flag.String("kind").pipe(Flag.optional, Flag.withDescription("Only jobs of this kind, e.g. messages.send-text or cron:jobs.clean-up")),
    status: Flag.Literals("status", ["running", "succeeded", "failed"]).pipe(Flag.optional, Flag.withDescription("Only jobs with this status")),
    limit: Flag.Int("limit").pipe(Flag.withDefault(50), Flag.withDescription("How many of the newest jobs to show")),
    json: Flag.Boolean("json").pipe(Flag.withDefault(false), Flag.withDescription("Print the jobs as a JSON array"))
  },
  Effect.fn(function*({ json, kind, limit, status }) {
    if (limit < 1 || limit > 1000) {
      return yield* new CliError.UserError({ cause: limit, userMessage: "--limit must be between 1 and 1000" })
    }
    const page = yield* (yield* JobExecutions).list(
      { kind: Option.getOrUndefined(kind), status: Option.getOrUndefined<JobStatus>(status) },
      { limit, after: undefined }
    )
    if (json) {
      yield* Console.log(JSON.stringify(page.items.map((job) => ({
        id: job.executionId,
        kind: job.kind,
        status: job.status,
        payload: job.payload,
        startedAt: DateTime.formatIso(job.startedAt),
        finishedAt: job.finishedAt === undefined ? null : DateTime.formatIso(job.finishedAt),
        error: job.error ?? null,
        attempts: job.attempts
      })), null, 2))
      return
    }
    yield* Console.log(table(
      ["ID", "KIND", "STATUS", "STARTED", "FINISHED", "ATTEMPTS", "ERROR"],
      page.items.map((job) => [
        job.executionId,
        job.kind,
        job.status,
        when(job.startedAt),
        when(job.finishedAt),
        String(job.attempts),
        job.error ?? ""
      ])
    ))
  }, Effect.provide(CliApplication))
).pipe(Command.withDescription("List background jobs (workflow executions and cron runs), newest first"))

export const jobsCommand = Command.make("jobs").pipe(
  Command.withDescription("Background jobs"),
  Command.withSubcommands([list])
)
