import { assert, layer } from "@effect/vitest"
import { Context, DateTime, Effect, Layer, Option, Ref, Schedule, Schema } from "effect"
import { Activity, DurableClock, Workflow, type WorkflowEngine } from "effect/workflow"
import { EngineHistory } from "../../../application/ports/engine-history.ts"

/** How many times each execution's activity really ran, per suite instance. */
class RunCounts extends Context.Service<RunCounts, Ref.Ref<ReadonlyMap<string, number>>>()("tests/EngineHistory/RunCounts") {}

/** One activity that counts its real runs and answers the count: a memoised execution answers the old one. */
const Counted = Workflow.make("test.engine-history.counted", {
  payload: { id: Schema.String },
  success: Schema.Number,
  idempotencyKey: ({ id }) => id
})
const CountedLayer = Counted.toLayer(({ id }) =>
  Activity.make({
    name: "count",
    success: Schema.Number,
    execute: Effect.flatMap(RunCounts, (counts) =>
      Ref.modify(counts, (all) => {
        const next = (all.get(id) ?? 0) + 1
        return [next, new Map(all).set(id, next)]
      }))
  })
)

/** Waits on a durable clock far beyond any test: a suspended execution. */
const Waiter = Workflow.make("test.engine-history.waiter", { payload: { id: Schema.String }, idempotencyKey: ({ id }) => id })
const WaiterLayer = Waiter.toLayer(() => DurableClock.sleep({ name: "nap", duration: "1 hour" }))

const inAMinute = Effect.map(DateTime.now, (now) => DateTime.add(now, { minutes: 1 }))

/**
 * What every EngineHistory does (application/ports/engine-history.ts), seen
 * through the engine itself: a purged execution runs anew when started again;
 * a kept one answers from its history. The layer gives the port and the
 * engine it cleans; real time, as the engine's storage polls.
 * Cron runs are not covered here: tests/integration/job-engine.test.ts counts their rows.
 */
export const engineHistorySuite = (name: string, engine: Layer.Layer<EngineHistory | WorkflowEngine.WorkflowEngine>) =>
  layer(
    Layer.mergeAll(CountedLayer, WaiterLayer).pipe(
      Layer.provideMerge(engine),
      Layer.provideMerge(Layer.effect(RunCounts, Ref.make<ReadonlyMap<string, number>>(new Map())))
    ),
    { timeout: 60_000, excludeTestServices: true }
  )(name, (it) => {
    it.effect("forgets an execution that finished before the cutoff, so starting it again runs it anew", () =>
      Effect.gen(function*() {
        const history = yield* EngineHistory
        assert.strictEqual(yield* Counted.execute({ id: "purged" }), 1)
        // Kept history: the same execution answers from it without running.
        assert.strictEqual(yield* Counted.execute({ id: "purged" }), 1)
        assert.isAbove(yield* history.purgeFinishedBefore(yield* inAMinute), 0)
        // Nothing of it is left to delete.
        assert.strictEqual(yield* history.purgeFinishedBefore(DateTime.subtract(yield* inAMinute, { seconds: 1 })), 0)
        assert.strictEqual(yield* Counted.execute({ id: "purged" }), 2)
      }))

    it.effect("keeps an execution that finished after the cutoff", () =>
      Effect.gen(function*() {
        const history = yield* EngineHistory
        assert.strictEqual(yield* Counted.execute({ id: "recent" }), 1)
        const anHourAgo = DateTime.subtract(yield* DateTime.now, { hours: 1 })
        assert.strictEqual(yield* history.purgeFinishedBefore(anHourAgo), 0)
        assert.strictEqual(yield* Counted.execute({ id: "recent" }), 1)
      }))

    it.effect("never forgets an execution still waiting, however old the cutoff says it is", () =>
      Effect.gen(function*() {
        const history = yield* EngineHistory
        const executionId = yield* Waiter.execute({ id: "waiting" }, { discard: true })
        const suspended = Waiter.poll(executionId).pipe(
          Effect.flatMap((result) =>
            Option.isSome(result) && result.value._tag === "Suspended" ? Effect.void : Effect.fail("not suspended yet" as const)
          ),
          Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 })
        )
        yield* suspended
        yield* history.purgeFinishedBefore(yield* inAMinute)
        yield* suspended
      }))
  })
