import { Cause, DateTime, Effect, Exit, Schema } from "effect"
import { ClusterSchema } from "effect/cluster"
import { Activity, Workflow } from "effect/workflow"
import { type JobOutcome, JobExecutions } from "../ports/job-executions.ts"
import { describeCause } from "./job-error.ts"

// Activity names are part of every execution's durable history: never rename them.
const START = "job-executions.start"
const SUCCEEDED = "job-executions.succeeded"
const FAILED = "job-executions.failed"

const recordStart = (executionId: string, kind: string, payload: Schema.Json) =>
  Activity.make({
    name: START,
    execute: Effect.gen(function*() {
      const jobs = yield* JobExecutions
      yield* jobs.start({ executionId, kind, payload, at: yield* DateTime.now })
    })
  }).annotate(ClusterSchema.WithTransaction, true)

// One activity per outcome: a workflow suspended on failure and resumed later
// still records its success (a single "finish" activity would replay the
// recorded failure).
const recordFinish = (executionId: string, outcome: JobOutcome) =>
  Activity.make({
    name: outcome.status === "succeeded" ? SUCCEEDED : FAILED,
    execute: Effect.gen(function*() {
      const jobs = yield* JobExecutions
      yield* jobs.finish(executionId, outcome, yield* DateTime.now)
    })
  }).annotate(ClusterSchema.WithTransaction, true)

const summarize = <S extends Schema.Top>(schema: S) => {
  const encode = Schema.encodeUnknownEffect(Schema.toCodecJson(schema))
  return (payload: S["Type"]) =>
    encode(payload).pipe(Effect.orElseSucceed((): Schema.Json => ({ unencodable: true })))
}

/**
 * A workflow body that operators can follow in `job_executions`: recorded as
 * running when it starts and as succeeded or failed (with a one-line error)
 * when it ends, each write an activity committed in the engine's transaction.
 * A suspension (durable sleep, awaiting a deferred) is not an outcome and
 * records nothing; an execution interrupted with `Workflow.interrupt` is
 * recorded as failed, "interrupted".
 *
 * ```ts
 * export const SendTextWorkflowLayer = SendTextWorkflow.toLayer(
 *   trackedWorkflow(SendTextWorkflow, (payload, executionId) => ...)
 * )
 * ```
 *
 * `summary` chooses what of the payload is kept (default: all of it as JSON).
 */
export const trackedWorkflow = <
  Tag extends string,
  Payload extends Workflow.AnyStructSchema,
  Success extends Schema.Top,
  Error extends Schema.Top,
  R
>(
  workflow: Workflow.Workflow<Tag, Payload, Success, Error>,
  body: (payload: Payload["Type"], executionId: string) => Effect.Effect<Success["Type"], Error["Type"], R>,
  options?: { readonly summary?: (payload: Payload["Type"]) => Schema.Json }
) => {
  const defaultSummary = summarize(workflow.payloadSchema)
  const summaryOf = (payload: Payload["Type"]) =>
    options?.summary === undefined ? defaultSummary(payload) : Effect.succeed(options.summary(payload))
  return (payload: Payload["Type"], executionId: string) =>
    Effect.gen(function*() {
      yield* recordStart(executionId, workflow._tag, yield* summaryOf(payload))
      // An execution interrupted on purpose (`Workflow.interrupt`) ends in its
      // scope's finalizers, where no activity may run: the outcome is written
      // directly (an idempotent update).
      const jobs = yield* JobExecutions
      yield* Workflow.addFinalizer((end) =>
        Exit.isFailure(end) && Cause.hasInterruptsOnly(end.cause)
          ? Effect.flatMap(DateTime.now, (now) => jobs.finish(executionId, { status: "failed", error: "interrupted" }, now))
          : Effect.void
      )
      const exit = yield* Effect.exit(body(payload, executionId))
      if (Exit.isSuccess(exit)) {
        yield* recordFinish(executionId, { status: "succeeded" })
      } else if (!Cause.hasInterruptsOnly(exit.cause)) {
        yield* recordFinish(executionId, { status: "failed", error: describeCause(exit.cause) })
      }
      return yield* exit
    })
}
