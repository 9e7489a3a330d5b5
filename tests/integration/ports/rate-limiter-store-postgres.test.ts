import { assert, describe, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Layer } from "effect"
import { RateLimiter } from "effect/persistence"
import { SqlClient } from "effect/sql"
import { SqlRateLimiterStore } from "../../../adapters/sql/sql-rate-limiter-store.ts"
import { rateLimiterStoreSuite } from "../../support/port-suites/rate-limiter-store.ts"
import { testDatabase } from "../../support/test-database.ts"

const database = testDatabase()

rateLimiterStoreSuite("RateLimiterStore on PostgreSQL", SqlRateLimiterStore.pipe(Layer.provide(database)))

describe("RateLimiterStore on PostgreSQL, inside a caller's transaction", () => {
  it.live("takes its slot on a connection of its own, so an open transaction holds no one back", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const store = yield* RateLimiter.RateLimiterStore
      const take = store.fixedWindow({ key: "in-transaction", tokens: 1, refillRate: Duration.millis(100), limit: undefined })
      const inside = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const transaction = yield* Effect.forkChild(
        sql.withTransaction(Effect.gen(function*() {
          yield* take
          yield* Deferred.succeed(inside, undefined)
          yield* Deferred.await(release)
        }))
      )
      yield* Deferred.await(inside)
      // Another process's take, while the first caller's transaction is still open.
      const [count] = yield* take.pipe(Effect.timeout("5 seconds"))
      assert.strictEqual(count, 2)
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(transaction)
    }).pipe(Effect.provide(SqlRateLimiterStore.pipe(Layer.provideMerge(database)))))
})
