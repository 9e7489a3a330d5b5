import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

const harness = () => httpHarness(TestApplication)

// One-off work (the OpenAPI document, the contract validator) is done once per file, not in the first test.
beforeAll(() => Effect.runPromise(Effect.scoped(harness())))
const call = Effect.promise

describe("bearer tokens over HTTP", () => {
  it.effect("needs a valid token on /api and none on /health", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const missing = yield* call(() => request("GET", "/api/contacts", { token: null }))
      assert.strictEqual(missing.status, 401)
      assert.strictEqual(missing.headers.get("www-authenticate"), "Bearer")
      assert.deepInclude(missing.body as object, { type: "/problems/unauthenticated", status: 401 })
      const wrong = yield* call(() => request("GET", "/api/contacts", { token: "crm_wrong" }))
      assert.strictEqual(wrong.status, 401)
      const health = yield* call(() => request("GET", "/health", { token: null }))
      assert.deepStrictEqual([health.status, health.body], [200, { status: "ok", smsGateway: "sandbox" }])
      const ready = yield* call(() => request("GET", "/ready", { token: null }))
      assert.deepStrictEqual([ready.status, ready.body], [200, { status: "ready" }])
    }))

  it.effect("lets an admin mint a staff token that works, cannot mint, and stops working once revoked", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const minted = yield* call(() => request("POST", "/api/tokens", { body: { name: "front desk", role: "staff" } }))
      assert.strictEqual(minted.status, 201)
      const { secret, token } = minted.body as { secret: string; token: { id: string; role: string } }
      assert.match(secret, /^crm_/)
      assert.strictEqual(token.role, "staff")
      const asStaff = yield* call(() => request("GET", "/api/contacts", { token: secret }))
      assert.strictEqual(asStaff.status, 200)
      const staffMints = yield* call(() => request("POST", "/api/tokens", { token: secret, body: { name: "x", role: "admin" } }))
      assert.strictEqual(staffMints.status, 403)
      const listed = yield* call(() => request("GET", "/api/tokens"))
      assert.isFalse(JSON.stringify(listed.body).includes(secret))
      const revoked = yield* call(() => request("DELETE", `/api/tokens/${token.id}`))
      assert.strictEqual(revoked.status, 204)
      const afterRevoke = yield* call(() => request("GET", "/api/contacts", { token: secret }))
      assert.strictEqual(afterRevoke.status, 401)
      const twice = yield* call(() => request("DELETE", `/api/tokens/${token.id}`))
      assert.strictEqual(twice.status, 404)
    }))
})

describe("Idempotency-Key on POST", () => {
  it.effect("replays the stored response for the same key and body, changing nothing", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const headers = { "idempotency-key": "create-ann-1" }
      const first = yield* call(() => request("POST", "/api/contacts", { headers, body: { firstName: "Ann", email: "a@x.com" } }))
      // Same JSON, other key order and spacing.
      const again = yield* call(() => request("POST", "/api/contacts", { headers, body: `{ "email": "a@x.com",  "firstName": "Ann" }` }))
      assert.strictEqual(again.status, 201)
      assert.deepStrictEqual(again.body, first.body)
      assert.strictEqual(again.headers.get("idempotent-replayed"), "true")
      const list = yield* call(() => request("GET", "/api/contacts"))
      assert.strictEqual((list.body as { data: Array<unknown> }).data.length, 1)
    }))

  it.effect("refuses the same key with a different body (422) and replays a stored 409 too", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      yield* call(() => request("POST", "/api/contacts", { body: { firstName: "Ann", email: "a@x.com" } }))
      const headers = { "idempotency-key": "dup-1" }
      const conflict = yield* call(() => request("POST", "/api/contacts", { headers, body: { firstName: "B", email: "a@x.com" } }))
      assert.strictEqual(conflict.status, 409)
      const replay = yield* call(() => request("POST", "/api/contacts", { headers, body: { firstName: "B", email: "a@x.com" } }))
      assert.deepStrictEqual([replay.status, replay.body], [409, conflict.body])
      const other = yield* call(() => request("POST", "/api/contacts", { headers, body: { firstName: "C" } }))
      assert.strictEqual(other.status, 422)
      assert.deepInclude(other.body as object, { type: "/problems/idempotency-key-reused" })
    }))

  it.effect("never replays a token secret", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const headers = { "idempotency-key": "mint-1" }
      const first = yield* call(() => request("POST", "/api/tokens", { headers, body: { name: "n", role: "staff" } }))
      assert.strictEqual(first.status, 201)
      const replay = yield* call(() => request("POST", "/api/tokens", { headers, body: { name: "n", role: "staff" } }))
      assert.strictEqual(replay.status, 409)
      assert.isFalse(JSON.stringify(replay.body).includes((first.body as { secret: string }).secret))
    }))
})

describe("HTTP conventions", () => {
  it.effect("answers malformed JSON with 400, a wrong media type with 415, an unknown path with 404, a wrong method with 405", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const malformed = yield* call(() => request("POST", "/api/contacts", { body: "{ not json" }))
      assert.strictEqual(malformed.status, 400)
      const media = yield* call(() =>
        request("POST", "/api/contacts", { body: "firstName=Ann", headers: { "content-type": "application/x-www-form-urlencoded" } }))
      assert.strictEqual(media.status, 415)
      const unknown = yield* call(() => request("GET", "/api/nothing"))
      assert.strictEqual(unknown.status, 404)
      const method = yield* call(() => request("PUT", "/api/contacts"))
      assert.strictEqual(method.status, 405)
      assert.strictEqual(method.headers.get("allow"), "POST, GET")
      const badId = yield* call(() => request("GET", "/api/contacts/not-a-uuid"))
      assert.strictEqual(badId.status, 404)
    }))

  it.effect("echoes a request id and puts it in problems", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const response = yield* call(() => request("GET", "/api/contacts/not-a-uuid", { headers: { "x-request-id": "req-42" } }))
      assert.strictEqual(response.headers.get("x-request-id"), "req-42")
      assert.strictEqual((response.body as { requestId: string }).requestId, "req-42")
    }))

  it.effect("serves an OpenAPI 3.1 document, the docs page and problem type descriptions", () =>
    Effect.gen(function*() {
      const { app } = yield* harness()
      const document = yield* call(() => Promise.resolve(app.request("/openapi.json")).then((r) => r.json())) as Effect.Effect<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>
      assert.strictEqual(document.openapi, "3.1.0")
      assert.includeMembers(Object.keys(document.paths), ["/api/contacts", "/api/contacts/{id}", "/api/contacts/{id}/merge", "/api/merges/{id}/undo", "/api/tokens"])
      assert.includeMembers(Object.keys(document.components.schemas), ["Contact", "NewContact", "ContactPatch", "Problem"])
      const docs = yield* call(() => Promise.resolve(app.request("/docs")).then((r) => r.text()))
      assert.include(docs, "/openapi.json")
      const kind = yield* call(() => Promise.resolve(app.request("/problems/duplicate-contact")).then((r) => r.json())) as Effect.Effect<{ status: number }>
      assert.strictEqual(kind.status, 409)
    }))
})
