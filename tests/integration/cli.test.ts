import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { testDatabaseUrl } from "../support/test-database.ts"

const run = (databaseUrl: string, ...args: Array<string>) =>
  Effect.promise(() =>
    promisify(execFile)(process.execPath, [join(import.meta.dirname, "../../adapters/cli/main.ts"), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl }
    }).then(
      ({ stderr, stdout }) => ({ code: 0, stderr, stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stderr: error.stderr, stdout: error.stdout })
    )
  )

describe("npm run crm", () => {
  it.effect("mints a token (secret alone on stdout), lists it without the secret, revokes it", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const minted = yield* run(url, "tokens", "create", "--name", "front desk", "--role", "staff")
      assert.strictEqual(minted.code, 0, minted.stderr)
      const secret = minted.stdout.trim()
      assert.match(secret, /^crm_[\w-]{43}$/)
      const listed = yield* run(url, "tokens", "list")
      const row = listed.stdout.trim().split("\n").find((line) => line.endsWith("front desk"))
      assert.isDefined(row)
      assert.notInclude(listed.stdout, secret)
      const [id, role, state] = row!.split("\t")
      assert.deepStrictEqual([role, state], ["staff", "active"])
      const revoked = yield* run(url, "tokens", "revoke", id!)
      assert.strictEqual(revoked.code, 0)
      const again = yield* run(url, "tokens", "revoke", id!)
      assert.strictEqual(again.code, 1)
      assert.include(again.stderr + again.stdout, "No active token has id")
    }), 60_000)

  it.effect("reports the schema after migrating", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const result = yield* run(url, "migrate")
      assert.strictEqual(result.code, 0, result.stderr)
      assert.include(result.stdout, "1_contacts")
    }), 60_000)
})
