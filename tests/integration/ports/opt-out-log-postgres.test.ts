import { assert, layer } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer, Schedule, Schema, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import { OptOutLog } from "../../../application/ports/opt-out-log.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { SqlPorts } from "../../../adapters/sql/sql-ports.ts"
import { testDatabase } from "../../support/test-database.ts"
import { freshPhone, optOutEvent, optOutLogSuite } from "../../support/port-suites/opt-out-log.ts"

// The ports and the SQL client on one database for the file: the suite, then
// what only PostgreSQL can show (locks, the append-only trigger).
const scope = Effect.runSync(Scope.make())
const database = Layer.buildWithScope(SqlPorts.pipe(Layer.provideMerge(testDatabase())), scope).pipe(
  Effect.orDie,
  Effect.cached,
  Effect.runSync
)
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))
const ports = () => Layer.effectContext(database)

optOutLogSuite("OptOutLog on PostgreSQL", ports)

const decodeCount = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ waiting: Schema.Number })))

layer(ports(), { timeout: 120_000, excludeTestServices: true })("OptOutLog's guarantees on PostgreSQL", (it) => {
  it.effect("an opt-out waits for a transaction that checked the number until it commits", () =>
    Effect.gen(function*() {
      const log = yield* OptOutLog
      const tx = yield* Transactor
      const sql = yield* SqlClient.SqlClient
      const phone = freshPhone()
      const checked = yield* Deferred.make<boolean>()
      const release = yield* Deferred.make<void>()
      // A send's transaction: it checks the number, then holds on (as while it claims the message).
      const send = yield* Effect.forkChild(tx.withTransaction(Effect.gen(function*() {
        yield* Deferred.succeed(checked, yield* log.isOptedOut([phone]))
        yield* Deferred.await(release)
      })))
      assert.isFalse(yield* Deferred.await(checked))
      const optOut = yield* Effect.forkChild(log.record(optOutEvent(phone)))
      // The opt-out is queued on the number's lock, not written beside the send.
      yield* sql`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`.pipe(
        Effect.flatMap(decodeCount),
        Effect.map((rows) => rows[0]?.waiting ?? 0),
        Effect.repeat({ schedule: Schedule.spaced("5 millis"), until: (waiting) => waiting > 0 }),
        Effect.timeout("10 seconds")
      )
      assert.isUndefined(optOut.pollUnsafe())
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(send)
      yield* Fiber.join(optOut)
      assert.isTrue(yield* log.isOptedOut([phone]))
    }))

  it.effect("refuses to change or delete an entry", () =>
    Effect.gen(function*() {
      const log = yield* OptOutLog
      const sql = yield* SqlClient.SqlClient
      const event = optOutEvent(freshPhone())
      yield* log.record(event)
      const update = yield* Effect.exit(sql`UPDATE opt_out_events SET action = 'opt-in' WHERE id = ${event.id}`)
      const remove = yield* Effect.exit(sql`DELETE FROM opt_out_events WHERE id = ${event.id}`)
      const truncate = yield* Effect.exit(sql`TRUNCATE opt_out_events`)
      assert.isTrue(Exit.isFailure(update) && Exit.isFailure(remove) && Exit.isFailure(truncate))
      assert.deepStrictEqual(yield* log.history(event.phone), [event])
    }))
})
