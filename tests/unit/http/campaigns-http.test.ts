import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { TestApplication, TestPorts } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"
import { CampaignsWithRecordingSender } from "../../support/recording-campaign-sender.ts"

// The send workflow is K3's and has its own tests; here starting a run is only recorded.
// TestPorts is one layer value, so both halves share its in-memory store; the later Campaigns wins.
const application = Layer.merge(TestApplication, CampaignsWithRecordingSender.pipe(Layer.provide(TestPorts)))

interface Json {
  readonly [key: string]: unknown
}

const setup = Effect.gen(function*() {
  const { request } = yield* httpHarness(application)
  const call = (method: string, path: string, body?: unknown) =>
    Effect.promise(() => request(method, path, body === undefined ? {} : { body }))
  const json = (response: { readonly body: unknown }): Json => {
    const body = response.body
    return typeof body === "object" && body !== null ? Object.fromEntries(Object.entries(body)) : {}
  }
  return { call, json }
})

beforeAll(() => Effect.runPromise(Effect.scoped(setup)))

// Responses are checked against /openapi.json by the harness's contract client.
describe("/api/campaigns", () => {
  it.effect("refuses an unknown placeholder with 422 naming it and the allowed ones", () =>
    Effect.gen(function*() {
      const { call, json } = yield* setup
      const response = yield* call("POST", "/api/campaigns", {
        name: "Bad",
        variants: [{ template: "Hi {frist_name}" }],
        audience: {}
      })
      assert.strictEqual(response.status, 422)
      const problem = json(response)
      assert.strictEqual(problem.type, "/problems/validation")
      assert.include(String(problem.detail), "{frist_name}")
      assert.include(String(problem.detail), "allowed: {first_name}")
      assert.deepStrictEqual((problem.errors as ReadonlyArray<Json>).map((e) => e.path), ["variants.0.template"])
      const three = yield* call("POST", "/api/campaigns", {
        name: "Too many",
        variants: [{ template: "a" }, { template: "b" }, { template: "c" }],
        audience: {}
      })
      assert.strictEqual(three.status, 422)
    }).pipe(Effect.scoped))

  it.effect("creates, edits, freezes, estimates, previews and pages a campaign; refuses a wrong transition with 409", () =>
    Effect.gen(function*() {
      const { call, json } = yield* setup
      const ann = json(yield* call("POST", "/api/contacts", { firstName: "Ann", phone: "(512) 555-0101", tags: ["spring"] }))
      yield* call("POST", "/api/contacts", { firstName: "Bob", phone: "(512) 555-0102", tags: ["spring"] })
      yield* call("POST", "/api/contacts", { firstName: "Cy", tags: ["spring"] })

      const created = yield* call("POST", "/api/campaigns", {
        name: "Spring",
        variants: [{ template: "Hi {first_name|there}, sealing season!", weight: 1 }],
        audience: { tags: ["Spring"] },
        startAt: "2026-05-01T15:00:00Z",
        quietHours: { start: "10:00", end: "19:00" }
      })
      assert.strictEqual(created.status, 201)
      const campaign = json(created)
      assert.deepStrictEqual([campaign.status, campaign.startAt, campaign.dailyLimit], ["draft", "2026-05-01T15:00:00.000Z", 125])
      const id = String(campaign.id)

      const patched = yield* call("PATCH", `/api/campaigns/${id}`, { dailyLimit: 1 })
      assert.strictEqual(json(patched).dailyLimit, 1)
      assert.strictEqual((yield* call("GET", `/api/campaigns/${id}`)).status, 200)
      assert.isTrue(Array.isArray(json(yield* call("GET", "/api/campaigns")).data))

      const preview = json(yield* call("GET", `/api/campaigns/${id}/preview?contactId=${String(ann.id)}`))
      assert.deepStrictEqual([preview.body, preview.segments, preview.encoding], ["Hi Ann, sealing season!", 1, "GSM-7"])
      assert.strictEqual((yield* call("GET", `/api/campaigns/${id}/preview`)).status, 422)

      const estimate = json(yield* call("GET", `/api/campaigns/${id}/estimate`))
      assert.deepStrictEqual([estimate.recipients, estimate.totalCents, estimate.daysNeeded, estimate.frozen], [2, 10, 2, false])
      assert.strictEqual((estimate.excluded as Json).no_phone, 1)

      const conflict = yield* call("POST", `/api/campaigns/${id}/resume`)
      assert.strictEqual(conflict.status, 409)
      assert.include(String(json(conflict).detail), "draft")

      const started = yield* call("POST", `/api/campaigns/${id}/start`)
      assert.strictEqual(json(started).status, "scheduled")
      assert.strictEqual((yield* call("PATCH", `/api/campaigns/${id}`, { name: "x" })).status, 409)

      const page = json(yield* call("GET", `/api/campaigns/${id}/recipients?status=pending&limit=1`))
      assert.strictEqual((page.data as ReadonlyArray<unknown>).length, 1)
      assert.isString(page.nextCursor)
      const skipped = json(yield* call("GET", `/api/campaigns/${id}/recipients?status=skipped`))
      assert.deepStrictEqual((skipped.data as ReadonlyArray<Json>).map((r) => r.reason), ["no_phone"])

      assert.strictEqual(json(yield* call("POST", `/api/campaigns/${id}/pause`)).status, "paused")
      assert.strictEqual(json(yield* call("POST", `/api/campaigns/${id}/cancel`)).status, "cancelled")
      const results = json(yield* call("GET", `/api/campaigns/${id}/results`))
      assert.deepStrictEqual([results.recipients, (results.skippedByReason as Json).cancelled], [3, 2])
      assert.strictEqual((yield* call("GET", "/api/campaigns/00000000-0000-7000-8000-0000000fffff")).status, 404)
    }).pipe(Effect.scoped))
})
