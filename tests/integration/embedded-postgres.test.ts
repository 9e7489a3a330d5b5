import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { embeddedPostgres } from "../../adapters/sql/embedded-postgres.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"

const query = (url: Parameters<typeof pgClientLayer>[0], statement: string) =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) => sql.unsafe<{ readonly n: number }>(statement)).pipe(
    Effect.provide(pgClientLayer(url, 1))
  )

describe("embedded PostgreSQL", () => {
  it.live("keeps data across restarts, refuses a second owner, lets the CLI attach", () =>
    Effect.gen(function*() {
      const dataDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "crm-embedded-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      const first = yield* Scope.make()
      const owner = yield* embeddedPostgres({ dataDir, database: "crm" }).pipe(Scope.provide(first))
      assert.isTrue(owner.owned)
      yield* query(owner.url, "CREATE TABLE kept (n int)")
      yield* query(owner.url, "INSERT INTO kept VALUES (42)")

      const secondOwner = yield* Effect.flip(Effect.scoped(embeddedPostgres({ dataDir, database: "crm" })))
      assert.include(secondOwner.message, "already in use")
      const attached = yield* Effect.scoped(Effect.gen(function*() {
        const joined = yield* embeddedPostgres({ dataDir, database: "crm", attach: true })
        return { owned: joined.owned, rows: yield* query(joined.url, "SELECT n FROM kept") }
      }))
      assert.deepStrictEqual([attached.owned, attached.rows.map((r) => r.n)], [false, [42]])

      // The attached process stopped nothing: the owner is still up. Stop it, then start again.
      yield* Scope.close(first, Exit.void)
      const restarted = yield* Effect.scoped(Effect.gen(function*() {
        const again = yield* embeddedPostgres({ dataDir, database: "crm" })
        return yield* query(again.url, "SELECT n FROM kept")
      }))
      assert.deepStrictEqual(restarted.map((r) => r.n), [42])
    }), 60_000)
})
