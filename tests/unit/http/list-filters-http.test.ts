import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"
import { customerFilterScenario, invoiceOverdueScenario } from "../../support/list-filter-scenarios.ts"

const harness = () => httpHarness(TestApplication)

beforeAll(() => Effect.runPromise(Effect.scoped(harness())))

// The same scenarios run on PostgreSQL in tests/integration/list-filters-postgres.test.ts.
describe("list filters over HTTP (in-memory ports)", () => {
  it.effect("lists invoices by overdue=true and overdue=false", () =>
    Effect.flatMap(harness(), ({ request }) => invoiceOverdueScenario(request)))

  it.effect("lists customers by phone (normalised), email (any case) and primaryContactId; a bad phone is a 422 on phone", () =>
    Effect.flatMap(harness(), ({ request }) => customerFilterScenario(request)))

  it.effect("documents the new filters in /openapi.json", () =>
    Effect.gen(function*() {
      const { app } = yield* harness()
      const document = (yield* Effect.promise(async () => (await app.request("/openapi.json")).json())) as {
        paths: Record<string, { get: { parameters: Array<{ name: string }> } }>
      }
      const names = (path: string) => document.paths[path]!.get.parameters.map((p) => p.name)
      assert.includeMembers(names("/api/invoices"), ["overdue"])
      assert.includeMembers(names("/api/customers"), ["phone", "email", "primaryContactId"])
    }))
})
