import { execFile } from "node:child_process"
import { mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { ApiTokens } from "../../application/auth/api-tokens.ts"
import { Catalog } from "../../application/billing/catalog.ts"
import { CustomerServices } from "../../application/billing/customer-services.ts"
import { Customers } from "../../application/billing/customers.ts"
import { runCli } from "../support/cli-runner.ts"
import { emptyDatabaseUrl, testDatabaseUrl, withAdminClient } from "../support/test-database.ts"

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `npm run crm`'s program as a process (about 1.5 s of CPU to load), with only the given database settings. */
const spawnCli = (env: Record<string, string>, ...args: Array<string>) =>
  Effect.promise((): Promise<Outcome> => {
    const environment: Record<string, string | undefined> = { ...process.env, ...env }
    if (env["DATABASE_URL"] === undefined) delete environment["DATABASE_URL"]
    return promisify(execFile)(process.execPath, [join(import.meta.dirname, "../../adapters/cli/main.ts"), ...args], {
      env: environment
    }).then(
      ({ stderr, stdout }) => ({ code: 0, stderr, stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stderr: error.stderr, stdout: error.stdout })
    )
  })

const runWith = runCli

const run = (databaseUrl: string, ...args: Array<string>) => runWith({ DATABASE_URL: databaseUrl }, ...args)

const emptyDataDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "crm-cli-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

interface TokenJson {
  readonly id: string
  readonly name: string
  readonly role: string
  readonly source: string
  readonly createdAt: string
  readonly lastUsedAt: string | null
  readonly revokedAt: string | null
}

describe("npm run crm", () => {
  it.effect("mints a token (secret alone on stdout), lists it as a table and as JSON without the secret, revokes it", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const minted = yield* run(url, "tokens", "create", "--name", "front desk", "--role", "staff")
      assert.strictEqual(minted.code, 0, minted.stderr)
      const secret = minted.stdout.trim()
      assert.match(secret, /^crm_[\w-]{43}$/)

      // Using the token once shows in "last used".
      yield* ApiTokens.use((tokens) => tokens.authenticate(Redacted.make(secret))).pipe(
        Effect.provide(applicationLayer(pgClientLayer(Redacted.make(url), 1)))
      )

      const json = yield* run(url, "tokens", "list", "--json")
      assert.strictEqual(json.code, 0, json.stderr)
      assert.notInclude(json.stdout, secret)
      const tokens = JSON.parse(json.stdout) as Array<TokenJson>
      const token = tokens.find((t) => t.name === "front desk")
      assert.isDefined(token)
      assert.deepInclude(token!, { role: "staff", source: "cli", revokedAt: null })
      assert.match(token!.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
      assert.isNotNull(token!.lastUsedAt)

      const revoked = yield* run(url, "tokens", "revoke", token!.id)
      assert.strictEqual(revoked.code, 0, revoked.stderr)

      const table = yield* run(url, "tokens", "list")
      assert.strictEqual(table.code, 0, table.stderr)
      assert.notInclude(table.stdout, secret)
      const [header, ...rows] = table.stdout.trimEnd().split("\n")
      assert.match(header!, /^ID +NAME +ROLE +SOURCE +CREATED +LAST USED +REVOKED$/)
      const row = rows.find((line) => line.startsWith(token!.id))
      assert.isDefined(row, table.stdout)
      // Columns line up under the header.
      const cell = (from: string, to?: string) =>
        row!.slice(header!.indexOf(from), to === undefined ? undefined : header!.indexOf(to)).trim()
      const second = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
      assert.deepStrictEqual([cell("NAME", "ROLE"), cell("ROLE", "SOURCE"), cell("SOURCE", "CREATED")], ["front desk", "staff", "cli"])
      assert.match(cell("CREATED", "LAST USED"), second)
      assert.match(cell("LAST USED", "REVOKED"), second)
      assert.match(cell("REVOKED"), second)

      const again = yield* run(url, "tokens", "revoke", token!.id)
      assert.strictEqual(again.code, 1)
      assert.include(again.stderr + again.stdout, "No active token has id")
    }), 60_000)

  it.effect("migrates an empty database: the tables and every migration are there afterwards", () =>
    Effect.gen(function*() {
      const url = yield* emptyDatabaseUrl
      const result = yield* run(url, "migrate")
      assert.strictEqual(result.code, 0, result.stderr)
      assert.include(result.stdout, "1_contacts")
      const schema = yield* withAdminClient(url, (sql) =>
        Effect.gen(function*() {
          const migrations = yield* sql<{ readonly name: string }>`SELECT name FROM effect_sql_migrations ORDER BY migration_id`
          const tables = yield* sql<{ readonly table_name: string }>`
            SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`
          const tokenColumns = yield* sql<{ readonly column_name: string }>`
            SELECT column_name FROM information_schema.columns WHERE table_name = 'api_tokens'`
          return {
            migrations: migrations.map((m) => m.name),
            tables: tables.map((t) => t.table_name),
            tokenColumns: tokenColumns.map((c) => c.column_name)
          }
        })).pipe(Effect.orDie)
      assert.includeMembers(schema.migrations, ["contacts", "api_tokens", "billing", "token_sources"])
      assert.includeMembers(schema.tables, ["contacts", "contact_merges", "api_tokens", "customers", "invoices", "payments"])
      assert.includeMembers(schema.tokenColumns, ["source", "last_used_at"])
    }), 60_000)

  it.effect("says that no database exists in an empty DATA_DIR, and where it looked, instead of creating one", () =>
    Effect.gen(function*() {
      const dataDir = yield* emptyDataDir
      // As a real process once: the exit code and stderr are what a user sees.
      const listed = yield* spawnCli({ DATA_DIR: dataDir }, "tokens", "list")
      assert.strictEqual(listed.code, 1)
      assert.include(listed.stderr, `No database in ${join(dataDir, "pg")} (DATA_DIR=${dataDir})`)
      assert.include(listed.stderr, "npm run crm migrate")
      assert.strictEqual(listed.stdout, "")
      for (const args of [["tokens", "create", "--name", "x"], ["billing", "run", "--period", "2026-11"]]) {
        const result = yield* runWith({ DATA_DIR: dataDir }, ...args)
        assert.strictEqual(result.code, 1, args.join(" "))
        assert.include(result.stderr, `No database in ${join(dataDir, "pg")}`, args.join(" "))
        assert.strictEqual(result.stdout, "", args.join(" "))
      }
      assert.deepStrictEqual(yield* Effect.promise(() => readdir(dataDir)), [], "nothing was created")
    }), 60_000)

  it.effect("runs billing for a month, and a second run bills no one twice", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      yield* Effect.gen(function*() {
        const customer = yield* Customers.use((customers) => customers.create({ companyName: "Round Rock Repairs" }))
        const service = yield* Catalog.use((catalog) =>
          catalog.create({ name: "Pier monitoring", unit: "month", unitPriceCents: 9900, taxable: false, recurring: "monthly" }))
        yield* CustomerServices.use((purchases) =>
          purchases.create({ customerId: customer.id, serviceId: service.id, startDate: "2026-11-16" }))
      }).pipe(Effect.provide(applicationLayer(pgClientLayer(Redacted.make(url), 2))))

      const first = yield* run(url, "billing", "run", "--period", "2026-11")
      assert.strictEqual(first.code, 0, first.stderr)
      // 9900 × 15/30 days = 4950.
      assert.match(first.stdout, /invoices created: +1\n/)
      assert.match(first.stdout, /total: +\$49\.50 \(4950 cents\)/)
      const second = yield* run(url, "billing", "run", "--period", "2026-11", "--json")
      assert.strictEqual(second.code, 0, second.stderr)
      assert.deepInclude(JSON.parse(second.stdout) as object, { invoicesCreated: 0, invoicesExisting: 1, customersBilled: 1 })
      const bad = yield* run(url, "billing", "run", "--period", "2026-13")
      assert.notStrictEqual(bad.code, 0)
    }), 60_000)
})
