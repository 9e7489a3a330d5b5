import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { Catalog } from "../../application/billing/catalog.ts"
import { CustomerServices } from "../../application/billing/customer-services.ts"
import { Customers } from "../../application/billing/customers.ts"
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
