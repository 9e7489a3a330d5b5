import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication, testUuid } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

const harness = () => httpHarness(TestApplication)

// One-off work (the OpenAPI document, the contract validator) is done once per file, not in the first test.
beforeAll(() => Effect.runPromise(Effect.scoped(harness())))

type Json = Record<string, unknown>

describe("billing over HTTP (in-memory ports)", () => {
  it.effect("answers a purchase for an unknown customer with a 422 problem naming customerId", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const service = yield* Effect.promise(() =>
        request("POST", "/api/services", { body: { name: "Lawn care", unit: "each", unitPriceCents: 4_500, recurring: "monthly" } }))
      assert.strictEqual(service.status, 201)
      const response = yield* Effect.promise(() =>
        request("POST", "/api/customer-services", { body: { customerId: testUuid(999), serviceId: (service.body as Json)["id"] } }))
      assert.strictEqual(response.status, 422)
      assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
      assert.deepInclude(response.body as object, { type: "/problems/validation", status: 422 })
      assert.deepStrictEqual((response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path), ["customerId"])
    }))

  it.effect("answers a missing customer, invoice or purchase with a 404 problem", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      for (const path of ["/api/customers", "/api/invoices", "/api/customer-services", "/api/quotes", "/api/billing-runs"]) {
        const response = yield* Effect.promise(() => request("GET", `${path}/${testUuid(404)}`))
        assert.strictEqual(response.status, 404, path)
        assert.deepInclude(response.body as object, { type: "/problems/not-found", status: 404 })
      }
    }))

  it.effect("drafts an invoice: a 201 carrying every amount, the balance and the priced lines", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const customer = (yield* Effect.promise(() => request("POST", "/api/customers", { body: { companyName: "Acme" } }))).body as Json
      const created = yield* Effect.promise(() =>
        request("POST", "/api/invoices", {
          body: {
            customerId: customer["id"],
            discount: { type: "percent", percent: 10 },
            lines: [{ description: "Repair", unitPriceCents: 12_000 }, { description: "Parts", quantity: 2, unitPriceCents: 2_500 }]
          }
        }))
      assert.strictEqual(created.status, 201)
      const invoice = created.body as Json
      assert.strictEqual(created.headers.get("location"), `/api/invoices/${invoice["id"]}`)
      assert.deepInclude(invoice, {
        customerId: customer["id"],
        status: "draft",
        subtotalCents: 17_000,
        discountCents: 1_700,
        taxCents: 0,
        totalCents: 15_300,
        paidCents: 0,
        balanceCents: 15_300,
        overdue: false
      })
      const lines = invoice["lines"] as Array<Json>
      assert.deepStrictEqual(lines.map((l) => [l["position"], l["amountCents"], l["documentDiscountCents"]]), [[0, 10_800, 1_200], [1, 4_500, 500]])
    }))

  it.effect("refuses to archive a customer with an issued, unpaid invoice (409); a payment larger than the balance is a 422", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const customer = (yield* Effect.promise(() => request("POST", "/api/customers", { body: { companyName: "Acme", paymentTermsDays: 15 } })))
        .body as Json
      const draft = (yield* Effect.promise(() =>
        request("POST", "/api/invoices", { body: { customerId: customer["id"], lines: [{ description: "Repair", unitPriceCents: 10_000 }] } })))
        .body as Json
      const issued = yield* Effect.promise(() => request("POST", `/api/invoices/${draft["id"]}/issue`, { body: { issueDate: "2026-11-21" } }))
      assert.deepInclude(issued.body as object, { status: "issued", issueDate: "2026-11-21", dueDate: "2026-12-06", balanceCents: 10_000 })
      const archive = yield* Effect.promise(() => request("PATCH", `/api/customers/${customer["id"]}`, { body: { status: "archived" } }))
      assert.strictEqual(archive.status, 409)
      assert.deepInclude(archive.body as object, { type: "/problems/conflict", status: 409 })
      const over = yield* Effect.promise(() =>
        request("POST", `/api/invoices/${draft["id"]}/payments`, { body: { amountCents: 10_001, method: "check" } }))
      assert.strictEqual(over.status, 422)
      assert.deepStrictEqual((over.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path), ["amountCents"])
    }))
})
