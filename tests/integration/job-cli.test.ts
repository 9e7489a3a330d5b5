import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted } from "effect"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { SqlJobExecutions } from "../../adapters/sql/sql-job-executions.ts"
import { JobExecutions } from "../../application/ports/job-executions.ts"
import { runCli } from "../support/cli-runner.ts"
import { testDatabaseUrl } from "../support/test-database.ts"

const run = (databaseUrl: string, ...args: Array<string>) => runCli({ DATABASE_URL: databaseUrl }, ...args)

const at = (iso: string) => DateTime.fromDateUnsafe(new Date(iso))

describe("npm run crm -- jobs", () => {
  it.effect("lists jobs newest first as a table, filtered, or as JSON", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      yield* Effect.gen(function*() {
        const jobs = yield* JobExecutions
        yield* jobs.start({ executionId: "exec-old", kind: "messages.send-text", payload: { messageId: "m-1" }, at: at("2026-05-01T10:00:00.250Z") })
        yield* jobs.finish("exec-old", { status: "failed", error: "SmsGatewayError: 402" }, at("2026-05-01T10:00:02Z"))
        yield* jobs.start({ executionId: "exec-new", kind: "cron:jobs.clean-up", payload: {}, at: at("2026-05-01T11:00:00Z") })
      }).pipe(Effect.provide(SqlJobExecutions.pipe(Layer.provide(pgClientLayer(Redacted.make(url), 1)))))

      const listed = yield* run(url, "jobs", "list")
      assert.strictEqual(listed.code, 0, listed.stderr)
      const [header, ...rows] = listed.stdout.trimEnd().split("\n")
      assert.match(header!, /^ID +KIND +STATUS +STARTED +FINISHED +ATTEMPTS +ERROR$/)
      assert.deepStrictEqual(rows.map((row) => row.split(/ {2,}/)), [
        ["exec-new", "cron:jobs.clean-up", "running", "2026-05-01T11:00:00Z", "-", "1"],
        ["exec-old", "messages.send-text", "failed", "2026-05-01T10:00:00Z", "2026-05-01T10:00:02Z", "1", "SmsGatewayError: 402"]
      ])

      const failed = yield* run(url, "jobs", "list", "--status", "failed", "--json")
      assert.strictEqual(failed.code, 0, failed.stderr)
      assert.deepStrictEqual(JSON.parse(failed.stdout), [{
        id: "exec-old",
        kind: "messages.send-text",
        status: "failed",
        payload: { messageId: "m-1" },
        startedAt: "2026-05-01T10:00:00.250Z",
        finishedAt: "2026-05-01T10:00:02.000Z",
        error: "SmsGatewayError: 402",
        attempts: 1
      }])
      const byKind = yield* run(url, "jobs", "list", "--kind", "cron:jobs.clean-up", "--limit", "5")
      assert.deepStrictEqual(byKind.stdout.trimEnd().split("\n").slice(1).map((row) => row.split(/ {2,}/)[0]), ["exec-new"])
      assert.strictEqual((yield* run(url, "jobs", "list", "--limit", "0")).code, 1)
    }).pipe(Effect.scoped))
})
