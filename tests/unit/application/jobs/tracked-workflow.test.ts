import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { DurableClock, Workflow, WorkflowEngine } from "effect/workflow"
import { trackedWorkflow } from "../../../../application/jobs/tracked-workflow.ts"
import { JobExecutions } from "../../../../application/ports/job-executions.ts"
import { MemoryJobExecutions } from "../../../../application/testing/memory-job-executions.ts"

class Refused extends Schema.TaggedError<Refused>()("Refused", { message: Schema.String }) {}

const Greet = Workflow.make("test.greet", {
  payload: { name: Schema.String, outcome: Schema.Literals(["succeed", "fail", "die", "sleep"]) },
  success: Schema.String,
  error: Refused,
  idempotencyKey: ({ name, outcome }) => `${name}/${outcome}`
})

const GreetLayer = Greet.toLayer(trackedWorkflow(Greet, ({ name, outcome }) =>
  Effect.gen(function*() {
    if (outcome === "fail") return yield* new Refused({ message: `not greeting ${name}` })
    if (outcome === "die") return yield* Effect.die(new Error("greeter broke"))
    if (outcome === "sleep") yield* DurableClock.sleep({ name: "nap", duration: "1 hour" })
    return `hello ${name}`
  })))

const Summarised = Workflow.make("test.summarised", {
  payload: { secret: Schema.String, id: Schema.String },
  idempotencyKey: ({ id }) => id
})
const SummarisedLayer = Summarised.toLayer(trackedWorkflow(Summarised, () => Effect.void, { summary: ({ id }) => ({ id }) }))

const TestJobs = Layer.mergeAll(GreetLayer, SummarisedLayer).pipe(
  Layer.provideMerge(WorkflowEngine.layerMemory),
  Layer.provideMerge(MemoryJobExecutions)
)

/** The job's row once the engine's forked run has written it (a discarded execute returns before). */
const recorded = (executionId: string) =>
  Effect.gen(function*() {
    const found = yield* (yield* JobExecutions).findById(executionId)
    if (Option.isSome(found)) return found.value
    yield* Effect.yieldNow
    return yield* Effect.fail("not recorded yet")
  }).pipe(Effect.retry({ times: 20 }), Effect.orDie)

describe("trackedWorkflow", () => {
  it.effect("records a successful execution with its payload, and returns the workflow's result", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* Greet.execute({ name: "Ana", outcome: "succeed" }), "hello Ana")
      const job = yield* recorded(yield* Greet.executionId({ name: "Ana", outcome: "succeed" }))
      assert.strictEqual(job.kind, "test.greet")
      assert.strictEqual(job.status, "succeeded")
      assert.deepStrictEqual(job.payload, { name: "Ana", outcome: "succeed" })
      assert.isDefined(job.finishedAt)
      assert.strictEqual(job.attempts, 1)
    }).pipe(Effect.provide(TestJobs)))

  it.effect("records a typed failure with its tag and message, and still fails the workflow with it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Greet.execute({ name: "Bo", outcome: "fail" }))
      assert.instanceOf(error, Refused)
      const job = yield* recorded(yield* Greet.executionId({ name: "Bo", outcome: "fail" }))
      assert.strictEqual(job.status, "failed")
      assert.strictEqual(job.error, "Refused: not greeting Bo")
    }).pipe(Effect.provide(TestJobs)))

  it.effect("records a defect as a failure", () =>
    Effect.gen(function*() {
      const executionId = yield* Greet.execute({ name: "Cy", outcome: "die" }, { discard: true })
      const job = yield* recorded(executionId)
      assert.strictEqual(job.status, "failed")
      assert.strictEqual(job.error, "defect: Error: greeter broke")
    }).pipe(Effect.provide(TestJobs)))

  it.effect("a suspended execution stays running until it finishes", () =>
    Effect.gen(function*() {
      const executionId = yield* Greet.execute({ name: "Di", outcome: "sleep" }, { discard: true })
      assert.strictEqual((yield* recorded(executionId)).status, "running")
      yield* TestClock.adjust("1 hour")
      yield* Effect.yieldNow
      const job = yield* recorded(executionId)
      assert.strictEqual(job.status, "succeeded")
      assert.strictEqual(job.attempts, 1)
    }).pipe(Effect.provide(TestJobs)))

  it.effect("records an execution interrupted on purpose as failed, \"interrupted\"", () =>
    Effect.gen(function*() {
      const executionId = yield* Greet.execute({ name: "Ed", outcome: "sleep" }, { discard: true })
      assert.strictEqual((yield* recorded(executionId)).status, "running")
      yield* Greet.interrupt(executionId)
      yield* Effect.yieldNow
      const job = yield* recorded(executionId)
      assert.deepStrictEqual([job.status, job.error], ["failed", "interrupted"])
    }).pipe(Effect.provide(TestJobs)))

  it.effect("keeps only the summary of the payload when one is given", () =>
    Effect.gen(function*() {
      const executionId = yield* Summarised.execute({ secret: "s3cret", id: "x-1" }, { discard: true })
      assert.deepStrictEqual((yield* recorded(executionId)).payload, { id: "x-1" })
    }).pipe(Effect.provide(TestJobs)))
})
