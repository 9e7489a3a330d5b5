import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Logger, Ref } from "effect"
import { TestClock } from "effect/testing"
import { IdempotencyPurgeLive } from "../../../adapters/http/idempotency-purge.ts"
import { IdempotencyStore } from "../../../application/ports/idempotency-store.ts"
import { TestPorts } from "../../../application/testing/index.ts"

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

describe("IdempotencyPurgeLive", () => {
  it.effect("deletes keys older than 24 hours at start, then every hour", () =>
    Effect.gen(function*() {
      yield* finished("old")
      yield* TestClock.adjust("25 hours")
      yield* Layer.build(IdempotencyPurgeLive)
      yield* Effect.yieldNow // the purge fiber runs its first purge
      assert.strictEqual(yield* reuse("old"), "Claimed")

      yield* finished("recent")
      yield* TestClock.adjust("23 hours")
      assert.strictEqual(yield* reuse("recent"), "Mismatch")
      yield* TestClock.adjust("2 hours")
      assert.strictEqual(yield* reuse("recent"), "Claimed")
    }).pipe(Effect.scoped, Effect.provide(TestPorts)))

  it.effect("logs a purge that fails, and tries again an hour later", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const logged: Array<string> = []
      const collect = Logger.layer([Logger.map(Logger.formatJson, (line) => void logged.push(line))])
      const failingOnce = Layer.succeed(IdempotencyStore, IdempotencyStore.of({
        claim: () => Effect.die("not used"),
        complete: () => Effect.void,
        release: () => Effect.void,
        purgeCreatedBefore: () =>
          Ref.updateAndGet(calls, (n) => n + 1).pipe(Effect.flatMap((n) => n === 1 ? Effect.die("database down") : Effect.succeed(0)))
      }))
      yield* Layer.build(IdempotencyPurgeLive.pipe(Layer.provide(failingOnce), Layer.provide(collect)))
      yield* Effect.yieldNow
      assert.strictEqual(yield* Ref.get(calls), 1)
      assert.isTrue(logged.some((line) => line.includes("idempotency key purge failed") && line.includes("database down")))
      yield* TestClock.adjust("1 hour")
      assert.strictEqual(yield* Ref.get(calls), 2)
    }).pipe(Effect.scoped))
})
