import { beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"
import { revenuePagingScenario } from "../../support/revenue-paging-scenario.ts"

const harness = () => httpHarness(TestApplication)

beforeAll(() => Effect.runPromise(Effect.scoped(harness())))

// The same scenario runs on PostgreSQL in tests/integration/revenue-paging-postgres.test.ts.
describe("the customer revenue report's pages over HTTP (in-memory ports)", () => {
  it.effect("walks the customers in name order with limit and cursor, with the whole range's totals on every page", () =>
    Effect.flatMap(harness(), ({ request }) => revenuePagingScenario(request)))
})
