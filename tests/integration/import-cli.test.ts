import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { fastJobTimings, jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { runCli } from "../support/cli-runner.ts"
import { testDatabaseUrl } from "../support/test-database.ts"

const withSql = <A>(url: string, f: (sql: PgClient.PgClient) => Effect.Effect<A, unknown>) =>
  Effect.flatMap(Effect.service(PgClient.PgClient), f).pipe(Effect.provide(pgClientLayer(Redacted.make(url), 1)), Effect.orDie)

const fixture = (name: string) => join(import.meta.dirname, "../fixtures/import", name)

interface ImportRow {
  readonly status: string
  readonly rows_read: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly merged_in_file: number
  readonly skipped: number
  readonly rejected: number
}

const importsOf = (url: string) =>
  withSql(url, (sql) =>
    sql<ImportRow>`SELECT status, rows_read, created, updated, unchanged, merged_in_file, skipped, rejected FROM imports`)

const sumOf = (row: ImportRow) => row.created + row.updated + row.unchanged + row.merged_in_file + row.skipped + row.rejected

/**
 * A generic file of `people` distinct people over three batches (1,000 rows
 * each), every 10th row a second row for an earlier person (merged in file),
 * and every 250th row with a phone that is no real number.
 */
const genericFile = (dir: string, people: number) => {
  const lines = ["first name,last name,phone,email"]
  for (let i = 0; i < people; i++) {
    const phone = i % 250 === 0 ? "555-0000" : `617555${String(1000 + i).padStart(4, "0")}`
    lines.push(`Person${i},Tester,${phone},person${i}@example.com`)
    if (i % 10 === 9) lines.push(`Person${i},Tester,,person${i}@example.com`)
  }
  const path = join(dir, "generic.csv")
  writeFileSync(path, lines.join("\n") + "\n")
  return { path, rows: lines.length - 1 }
}

describe("npm run crm -- import FILE", () => {
  // Live: the command runs its own job runner and follows it on the real clock.
  it.live("runs the import in the command itself and ends completed, with counts that add up to the rows read", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "crm-import-cli-"))),
        (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
      )
      const file = genericFile(dir, 2_500)

      const result = yield* runCli({ DATABASE_URL: url }, "import", file.path, "--list", "CLI leads")
      assert.strictEqual(result.code, 0, result.stderr)
      assert.match(result.stdout, new RegExp(`queued: ${file.rows} rows`))
      assert.match(result.stdout, /: completed, layout generic/)
      assert.notInclude(result.stdout, "MISMATCH")
      // Not a terminal: plain progress lines on stderr, none redrawn; the last ones say the file was read, then all rows done.
      assert.notInclude(result.stderr, "\r")
      assert.match(result.stderr, /^reading \[#{20}\] [\d.]+\/[\d.]+ MB \(100%\)/mu)
      assert.match(result.stderr, new RegExp(`^completed \\[#{20}\\] ${file.rows.toLocaleString("en-US")}/${file.rows.toLocaleString("en-US")} rows \\(100%\\)`, "mu"))

      const [job, ...others] = yield* importsOf(url)
      assert.strictEqual(others.length, 0)
      assert.strictEqual(job!.status, "completed")
      assert.strictEqual(job!.rows_read, file.rows)
      assert.strictEqual(sumOf(job!), file.rows)
      // 2,500 people, 250 second rows for one of them, 10 bad phones (rejected or still created by email).
      assert.strictEqual(job!.merged_in_file, 250)
      assert.strictEqual(job!.created + job!.rejected + job!.skipped, 2_500)
      assert.match(result.stdout, new RegExp(`rows ${file.rows} = created ${job!.created} \\+ updated 0`))

      const stored = yield* withSql(url, (sql) =>
        sql<{ readonly contacts: number; readonly outcomes: number; readonly members: number }>`
          SELECT (SELECT count(*)::int FROM contacts WHERE last_name = 'Tester') AS contacts,
                 (SELECT count(*)::int FROM import_rows) AS outcomes,
                 (SELECT count(*)::int FROM contact_list_members m JOIN contact_lists l ON l.id = m.list_id WHERE l.name = 'CLI leads') AS members`)
      assert.deepStrictEqual(stored[0], { contacts: job!.created, outcomes: file.rows, members: job!.created })
    }), { timeout: 120_000 })

  it.live("imports a PropertyRadar export: properties and owners, each row one outcome", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const result = yield* runCli({ DATABASE_URL: url }, "import", fixture("propertyradar.csv"))
      assert.strictEqual(result.code, 0, result.stderr)
      assert.match(result.stdout, /: completed, layout propertyradar/)
      const [job] = yield* importsOf(url)
      assert.strictEqual(job!.rows_read, 3)
      assert.strictEqual(sumOf(job!), 3)
      const properties = yield* withSql(url, (sql) => sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM properties`)
      assert.strictEqual(properties[0]!.n, 3)
    }), { timeout: 120_000 })

  it.live("with a server's runner on the database, the command's runner stands by and the command follows the import to its end", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      // The server: the application with a SingleRunner, as `npm start` runs it, alive for the whole test.
      yield* Layer.build(applicationLayer(pgClientLayer(Redacted.make(url), 5), jobEngineLayer({ mode: "single", sharding: fastJobTimings })))
      const result = yield* runCli({ DATABASE_URL: url }, "import", fixture("generic.csv"))
      assert.strictEqual(result.code, 0, result.stderr)
      assert.match(result.stdout, /: completed, layout generic/)
      const [job] = yield* importsOf(url)
      assert.strictEqual(job!.status, "completed")
      assert.strictEqual(sumOf(job!), job!.rows_read)
    }), { timeout: 120_000 })
})
