import { describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { httpHarness } from "../support/http-harness.ts"
import { customerFilterScenario, invoiceOverdueScenario } from "../support/list-filter-scenarios.ts"
import { testDatabase } from "../support/test-database.ts"

const harness = () => httpHarness(applicationLayer(testDatabase()))

// The scenarios of tests/unit/http/list-filters-http.test.ts, on the SQL repositories.
describe("list filters on PostgreSQL", () => {
  it.effect("lists invoices by overdue=true and overdue=false", () =>
    Effect.flatMap(harness(), ({ request }) => invoiceOverdueScenario(request)), 60_000)

  it.effect("lists customers by phone, email and primaryContactId", () =>
    Effect.flatMap(harness(), ({ request }) => customerFilterScenario(request)), 60_000)
})
