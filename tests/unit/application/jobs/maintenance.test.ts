import { assert, describe, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Layer, Option, Ref } from "effect"
import { TestClock } from "effect/testing"
import { cleanUpFinishedJobs, purgeIdempotencyKeys } from "../../../../application/jobs/maintenance.ts"
import { EngineHistory } from "../../../../application/ports/engine-history.ts"
import { IdempotencyStore } from "../../../../application/ports/idempotency-store.ts"
import { JobExecutions } from "../../../../application/ports/job-executions.ts"
import { TestPorts } from "../../../../application/testing/index.ts"

const scope = (key: string) => ({ tokenId: "token-1", key })
const response = { status: 201, body: "{}", headers: {} }

/** Stores a finished request under `key` at the current time. */
const finished = (key: string) =>
  Effect.gen(function*() {
    const store = yield* IdempotencyStore
    yield* store.claim(scope(key), "first request", yield* DateTime.now)
    yield* store.complete(scope(key), response)
  })

/** What a different request under `key` meets now: "Claimed" once the key was purged. */
const reuse = (key: string) =>
  Effect.gen(function*() {
    const store = yield* IdempotencyStore
    return (yield* store.claim(scope(key), "another request", yield* DateTime.now))._tag
  })

describe("purgeIdempotencyKeys (hourly cron job)", () => {
  it.effect("deletes keys older than 24 hours and keeps younger ones", () =>
    Effect.gen(function*() {
      yield* finished("old")
      yield* TestClock.adjust("2 hours")
      yield* finished("recent")
      yield* TestClock.adjust("23 hours")
      assert.strictEqual(yield* purgeIdempotencyKeys, 1)
      assert.strictEqual(yield* reuse("old"), "Claimed")
      assert.strictEqual(yield* reuse("recent"), "Mismatch")
      yield* TestClock.adjust("2 hours")
      assert.strictEqual(yield* purgeIdempotencyKeys, 1)
      assert.strictEqual(yield* reuse("recent"), "Claimed")
    }).pipe(Effect.provide(TestPorts)))
})

describe("cleanUpFinishedJobs (nightly cron job)", () => {
  it.effect("forgets the engine history and the job rows of jobs finished before the retention period", () =>
    Effect.gen(function*() {
      const cutoffs = yield* Ref.make<ReadonlyArray<DateTime.Utc>>([])
      const history = Layer.succeed(EngineHistory, EngineHistory.of({
        purgeFinishedBefore: (cutoff) => Effect.as(Ref.update(cutoffs, (all) => [...all, cutoff]), 7)
      }))
      yield* Effect.gen(function*() {
        const jobs = yield* JobExecutions
        const start = yield* DateTime.now
        yield* jobs.start({ executionId: "old", kind: "k", payload: {}, at: start })
        yield* jobs.finish("old", { status: "succeeded" }, start)
        yield* jobs.start({ executionId: "stuck", kind: "k", payload: {}, at: start })
        yield* TestClock.adjust("31 days")
        assert.deepStrictEqual(yield* cleanUpFinishedJobs(Duration.days(30)), { messages: 7, executions: 1 })
        assert.deepStrictEqual(yield* Ref.get(cutoffs), [DateTime.add(start, { days: 1 })])
        assert.isTrue(Option.isNone(yield* jobs.findById("old")))
        assert.isTrue(Option.isSome(yield* jobs.findById("stuck")))
      }).pipe(Effect.provide(history))
    }).pipe(Effect.provide(TestPorts)))
})
