import { readdir } from "node:fs/promises"
import { join } from "node:path"
import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { runMigrations } from "../../adapters/sql/migrate.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { emptyDatabaseUrl } from "../support/test-database.ts"

const migrationsFolder = join(import.meta.dirname, "../../adapters/sql/migrations")

/** Every migration file, as [id, name] in the order of their numbers. */
const migrationFiles = Effect.promise(() => readdir(migrationsFolder)).pipe(
  Effect.map((files) =>
    files
      .flatMap((file) => {
        const match = /^(\d{4})_(\w+)\.ts$/.exec(file)
        return match?.[1] === undefined || match[2] === undefined ? [] : [[Number(match[1]), match[2]] as const]
      })
      .sort(([a], [b]) => a - b))
)

const emptyDatabase = Layer.unwrap(Effect.map(emptyDatabaseUrl, (url) => pgClientLayer(Redacted.make(url), 1).pipe(Layer.orDie)))

// The server and `npm run crm migrate` migrate at start; a database made by an
// older release takes the same path, from wherever it stopped.
layer(emptyDatabase, { timeout: 60_000 })("migrations on an empty database", (it) => {
  it.effect("apply every migration file once, in the order of its number, and nothing on the next start", () =>
    Effect.gen(function*() {
      const files = yield* migrationFiles
      assert.isAbove(files.length, 0)
      const applied = yield* runMigrations
      assert.deepStrictEqual(applied, files)
      assert.deepStrictEqual(yield* runMigrations, [])
      const sql = yield* SqlClient.SqlClient
      const recorded = yield* sql<{ readonly migration_id: number; readonly name: string }>`
        SELECT migration_id, name FROM effect_sql_migrations ORDER BY migration_id`
      assert.deepStrictEqual(recorded.map((row) => [row.migration_id, row.name] as const), files)
    }))
})
