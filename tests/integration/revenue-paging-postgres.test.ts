import { describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { httpHarness } from "../support/http-harness.ts"
import { revenuePagingScenario } from "../support/revenue-paging-scenario.ts"
import { testDatabase } from "../support/test-database.ts"

// The same scenario runs on the in-memory ports in tests/unit/http/revenue-paging-http.test.ts.
describe("the customer revenue report's pages on PostgreSQL", () => {
  it.effect("walks the customers in name order with limit and cursor, with the whole range's totals on every page", () =>
    Effect.flatMap(httpHarness(applicationLayer(testDatabase())), ({ request }) => revenuePagingScenario(request)), 60_000)
})
