import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option } from "effect"
import { TestClock } from "effect/testing"
import { pushVersion } from "../../../application/accounting/accounting-sync-live.ts"
import { PushCustomerWorkflow } from "../../../application/accounting/push-workflows.ts"
import { SyncAllWorkflow } from "../../../application/accounting/sync-all.ts"
import { httpHarness } from "../../support/http-harness.ts"
import { aCustomer } from "../application/billing/billing-fixtures.ts"
import { MemoryAccountingGatewayControl, TestApplication } from "../../../application/testing/index.ts"
import { connect, PushTestApplication } from "../../support/quickbooks-test-application.ts"

// One-off work (the OpenAPI document, the contract validator) is done once per file, not in the first test.
beforeAll(() => Effect.runPromise(Effect.scoped(httpHarness(TestApplication))))

type Json = Record<string, unknown>
type LogPage = { readonly data: ReadonlyArray<Json>; readonly nextCursor: string | null }

/** The app over the push tests' application; `run` runs an effect in the same application. */
const harness = Effect.gen(function*() {
  const context = yield* Layer.build(PushTestApplication)
  const { request } = yield* httpHarness(Layer.succeedContext(context))
  const run = <A, E>(effect: Effect.Effect<A, E, Layer.Success<typeof PushTestApplication>>) => Effect.provideContext(effect, context)
  const call = (method: string, url: string) => Effect.promise(() => request(method, url))
  return { call, run }
})

describe("QuickBooks sync routes", () => {
  it.effect("POST /sync: 409 when QuickBooks is off or not connected, else 202 with the job", () =>
    Effect.gen(function*() {
      const off = yield* httpHarness(TestApplication)
      const refused = yield* Effect.promise(() => off.request("POST", "/api/integrations/quickbooks/sync"))
      assert.strictEqual(refused.status, 409)
      assert.deepInclude(refused.body as object, { type: "/problems/quickbooks-not-configured" })

      const { call, run } = yield* harness
      const unconnected = yield* call("POST", "/api/integrations/quickbooks/sync")
      assert.strictEqual(unconnected.status, 409)
      assert.deepInclude(unconnected.body as object, { type: "/problems/conflict" })

      yield* run(connect)
      const started = yield* call("POST", "/api/integrations/quickbooks/sync")
      assert.strictEqual(started.status, 202)
      const { jobId, run: syncRun } = started.body as { jobId: string; run: string }
      assert.isString(jobId)
      const counts = yield* run(SyncAllWorkflow.execute({ run: syncRun }))
      assert.deepStrictEqual(counts, { customers: 0, services: 0, invoices: 0, voids: 0, payments: 0 })
    }).pipe(Effect.scoped))

  it.effect("GET /sync-log pages every attempt newest first, filtered by kind and outcome", () =>
    Effect.gen(function*() {
      const { call, run } = yield* harness
      yield* run(connect)
      yield* run(MemoryAccountingGatewayControl.use((books) => books.fail({ op: "create", reason: "throttled", code: "3001" })))
      const customer = yield* run(aCustomer("Acme"))
      // The push the create started (joined), then one more that finds nothing changed.
      const first = yield* Effect.forkChild(run(PushCustomerWorkflow.execute({ customerId: customer.id, version: pushVersion(customer.updatedAt, Option.none()) })))
      // The retry after the throttle waits 2 s first.
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(first)
      yield* run(PushCustomerWorkflow.execute({ customerId: customer.id, version: "v2" }))

      const page1 = (yield* call("GET", "/api/integrations/quickbooks/sync-log?limit=2")).body as LogPage
      assert.deepStrictEqual(page1.data.map((entry) => [entry["action"], entry["outcome"]]), [["skip", "succeeded"], ["create", "succeeded"]])
      assert.deepInclude(page1.data[1]!, { kind: "customer", crmId: customer.id, qboId: "1", error: null })
      assert.isNotNull(page1.nextCursor)
      const second = (yield* call("GET", `/api/integrations/quickbooks/sync-log?limit=2&cursor=${page1.nextCursor}`)).body as LogPage
      assert.deepStrictEqual(second.data.map((entry) => entry["outcome"]), ["retrying"])
      assert.include(String(second.data[0]!["error"]), "code 3001")
      assert.isNull(second.nextCursor)

      const retrying = (yield* call("GET", "/api/integrations/quickbooks/sync-log?outcome=retrying")).body as LogPage
      assert.strictEqual(retrying.data.length, 1)
      const invoices = (yield* call("GET", "/api/integrations/quickbooks/sync-log?kind=invoice")).body as LogPage
      assert.deepStrictEqual(invoices.data, [])
      const bad = yield* call("GET", "/api/integrations/quickbooks/sync-log?kind=vendor")
      assert.strictEqual(bad.status, 422)
    }).pipe(Effect.scoped))
})
