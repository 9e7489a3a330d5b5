import { assert } from "@effect/vitest"
import { DateTime, Effect, Option } from "effect"
import { v7 } from "uuid"
import { JobExecutions } from "../../../application/ports/job-executions.ts"
import { at } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

// Each test has a kind of its own, so lists filtered by kind see its rows only.
const kind = () => `test.kind-${v7()}`
const started = at("2026-05-01T12:00:00.000Z")

export const jobExecutionsSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("records a job running, then its outcome; starting it again counts an attempt and clears the outcome", () =>
      Effect.gen(function*() {
        const jobs = yield* JobExecutions
        const executionId = `exec-${v7()}`
        const payload = { messageId: "m-1", tags: ["a", "ü"], count: 2, nested: { ok: true, none: null } }
        yield* jobs.start({ executionId, kind: "messages.send-text", payload, at: started })
        const running = yield* jobs.findById(executionId)
        assert.deepStrictEqual(running, Option.some({
          executionId,
          kind: "messages.send-text",
          status: "running" as const,
          payload,
          startedAt: started,
          finishedAt: undefined,
          error: undefined,
          attempts: 1
        }))
        const finished = DateTime.add(started, { seconds: 3 })
        yield* jobs.finish(executionId, { status: "failed", error: "SmsGatewayError: 503" }, finished)
        const failed = Option.getOrThrow(yield* jobs.findById(executionId))
        assert.strictEqual(failed.status, "failed")
        assert.strictEqual(failed.error, "SmsGatewayError: 503")
        assert.deepStrictEqual(failed.finishedAt, finished)

        yield* jobs.start({ executionId, kind: "messages.send-text", payload, at: DateTime.add(started, { minutes: 1 }) })
        const again = Option.getOrThrow(yield* jobs.findById(executionId))
        assert.strictEqual(again.status, "running")
        assert.strictEqual(again.attempts, 2)
        assert.isUndefined(again.error)
        assert.isUndefined(again.finishedAt)
        // When it first started stays: the list keeps its place.
        assert.deepStrictEqual(again.startedAt, started)
        yield* jobs.finish(executionId, { status: "succeeded" }, DateTime.add(started, { minutes: 2 }))
        const succeeded = Option.getOrThrow(yield* jobs.findById(executionId))
        assert.strictEqual(succeeded.status, "succeeded")
        assert.isUndefined(succeeded.error)
      }))

    it.effect("finishing a job never started records nothing", () =>
      Effect.gen(function*() {
        const jobs = yield* JobExecutions
        const executionId = `exec-${v7()}`
        yield* jobs.finish(executionId, { status: "succeeded" }, started)
        assert.isTrue(Option.isNone(yield* jobs.findById(executionId)))
      }))

    it.effect("lists newest first, filtered by kind and status, in pages that continue after a cursor", () =>
      Effect.gen(function*() {
        const jobs = yield* JobExecutions
        const mine = kind()
        // Two jobs share a start time: the id breaks the tie.
        const ids = ["exec-a", "exec-b", "exec-c", "exec-d"].map((id) => `${id}-${v7()}`)
        const times = [started, DateTime.add(started, { seconds: 1 }), DateTime.add(started, { seconds: 1 }), DateTime.add(started, { seconds: 2 })]
        for (const [i, executionId] of ids.entries()) {
          yield* jobs.start({ executionId, kind: mine, payload: { i }, at: times[i]! })
        }
        yield* jobs.finish(ids[1]!, { status: "succeeded" }, DateTime.add(started, { seconds: 5 }))
        yield* jobs.start({ executionId: `exec-other-${v7()}`, kind: kind(), payload: null, at: started })

        const first = yield* jobs.list({ kind: mine }, { limit: 2, after: undefined })
        assert.deepStrictEqual(first.items.map((job) => job.executionId), [ids[3], ids[2]])
        assert.isDefined(first.next)
        const second = yield* jobs.list({ kind: mine }, { limit: 2, after: first.next })
        assert.deepStrictEqual(second.items.map((job) => job.executionId), [ids[1], ids[0]])
        assert.isUndefined(second.next)

        const running = yield* jobs.list({ kind: mine, status: "running" }, { limit: 10, after: undefined })
        assert.deepStrictEqual(running.items.map((job) => job.executionId), [ids[3], ids[2], ids[0]])
        assert.isUndefined(running.next)
        const succeeded = yield* jobs.list({ kind: mine, status: "succeeded" }, { limit: 10, after: undefined })
        assert.deepStrictEqual(succeeded.items.map((job) => job.executionId), [ids[1]])
      }))

    it.effect("counts the running jobs of the kinds asked for: finished ones and other kinds are left out", () =>
      Effect.gen(function*() {
        const jobs = yield* JobExecutions
        const [push, pull, other] = [kind(), kind(), kind()]
        const ids = ["a", "b", "c", "d", "e"].map((id) => `exec-${id}-${v7()}`)
        for (const executionId of ids.slice(0, 3)) yield* jobs.start({ executionId, kind: push, payload: {}, at: started })
        yield* jobs.start({ executionId: ids[3]!, kind: pull, payload: {}, at: started })
        yield* jobs.start({ executionId: ids[4]!, kind: other, payload: {}, at: started })
        yield* jobs.finish(ids[0]!, { status: "succeeded" }, DateTime.add(started, { seconds: 1 }))
        yield* jobs.finish(ids[1]!, { status: "failed", error: "boom" }, DateTime.add(started, { seconds: 1 }))
        assert.strictEqual(yield* jobs.countRunning([push, pull]), 2)
        assert.strictEqual(yield* jobs.countRunning([push]), 1)
        assert.strictEqual(yield* jobs.countRunning([]), 0)
        // A failed job started again runs again.
        yield* jobs.start({ executionId: ids[1]!, kind: push, payload: {}, at: DateTime.add(started, { minutes: 1 }) })
        assert.strictEqual(yield* jobs.countRunning([push, pull]), 3)
      }))

    it.effect("purges jobs finished before a cutoff, never running ones, and says how many", () =>
      Effect.gen(function*() {
        const jobs = yield* JobExecutions
        const mine = kind()
        // Long before any other test's jobs, so the count is this test's alone.
        const old = at("1999-01-01T00:00:00Z")
        const [done, failed, running, recent] = ["done", "failed", "running", "recent"].map((id) => `exec-${id}-${v7()}`)
        for (const executionId of [done!, failed!, running!, recent!]) yield* jobs.start({ executionId, kind: mine, payload: {}, at: old })
        yield* jobs.finish(done!, { status: "succeeded" }, DateTime.add(old, { days: 1 }))
        yield* jobs.finish(failed!, { status: "failed", error: "boom" }, DateTime.add(old, { days: 2 }))
        yield* jobs.finish(recent!, { status: "succeeded" }, DateTime.add(old, { days: 10 }))
        assert.strictEqual(yield* jobs.purgeFinishedBefore(DateTime.add(old, { days: 3 })), 2)
        assert.strictEqual(yield* jobs.purgeFinishedBefore(DateTime.add(old, { days: 3 })), 0)
        const left = yield* jobs.list({ kind: mine }, { limit: 10, after: undefined })
        assert.deepStrictEqual(left.items.map((job) => job.executionId).sort(), [recent!, running!].sort())
      }))
  })
