import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option } from "effect"
import { TestClock } from "effect/testing"
import { trackedRun } from "../../../../application/jobs/tracked-run.ts"
import { JobExecutions } from "../../../../application/ports/job-executions.ts"
import { MemoryJobExecutions } from "../../../../application/testing/memory-job-executions.ts"

const job = (executionId: string) => ({ executionId, kind: "cron:test", payload: { scheduledAt: "2026-05-01T00:00:00.000Z" } })
const find = (executionId: string) =>
  Effect.gen(function*() {
    return Option.getOrThrow(yield* (yield* JobExecutions).findById(executionId))
  })

describe("trackedRun (cron runs)", () => {
  it.effect("records a run that succeeds, with when it started and finished", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.as(Effect.sleep("2 seconds"), 42).pipe(trackedRun(job("ok")), Effect.forkChild)
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(yield* Fiber.join(fiber), 42)
      const run = yield* find("ok")
      assert.strictEqual(run.status, "succeeded")
      assert.strictEqual(run.kind, "cron:test")
      assert.strictEqual(run.finishedAt!.epochMilliseconds - run.startedAt.epochMilliseconds, 2000)
    }).pipe(Effect.provide(MemoryJobExecutions)))

  it.effect("records a failure with its error and fails with it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.fail({ _tag: "Boom", message: "no database" }).pipe(trackedRun(job("failed"))))
      assert.deepStrictEqual(error, { _tag: "Boom", message: "no database" })
      const run = yield* find("failed")
      assert.strictEqual(run.status, "failed")
      assert.strictEqual(run.error, "Boom: no database")
    }).pipe(Effect.provide(MemoryJobExecutions)))

  it.effect("leaves an interrupted run running, and a re-run counts an attempt", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.never.pipe(trackedRun(job("cut")), Effect.forkChild)
      yield* Effect.yieldNow
      yield* Fiber.interrupt(fiber)
      assert.strictEqual((yield* find("cut")).status, "running")
      yield* Effect.void.pipe(trackedRun(job("cut")))
      const run = yield* find("cut")
      assert.deepStrictEqual([run.status, run.attempts], ["succeeded", 2])
    }).pipe(Effect.provide(MemoryJobExecutions)))
})
