import { request as httpRequest } from "node:http"
import type { AddressInfo } from "node:net"
import { serve } from "@hono/node-server"
import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication, testUuid } from "../../../application/testing/index.ts"
import { ADMIN_SECRET, httpHarness } from "../../support/http-harness.ts"

const harness = () => httpHarness(TestApplication)

// One-off work (the OpenAPI document, the contract validator) is done once per file, not in the first test.
beforeAll(() => Effect.runPromise(Effect.scoped(harness())))

type Json = Record<string, unknown>
type ProblemJson = { readonly detail: string; readonly errors?: ReadonlyArray<{ path: string; message: string }>; readonly errorCount?: number }

const auth = { authorization: `Bearer ${ADMIN_SECRET}` }

describe("request bodies are read as sent", () => {
  it.effect("refuses a body that is not valid UTF-8 with a 400, and stores nothing", () =>
    Effect.gen(function*() {
      const { app, request } = yield* harness()
      const bytes = new Uint8Array([...new TextEncoder().encode("{\"firstName\":\"Ann"), 0xff, ...new TextEncoder().encode("\"}")])
      const response = yield* Effect.promise(async () =>
        app.request("/api/contacts", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: bytes }))
      assert.strictEqual(response.status, 400)
      const problem = (yield* Effect.promise(() => response.json())) as Json
      assert.deepInclude(problem, { type: "/problems/malformed-request", status: 400 })
      assert.match(problem["detail"] as string, /UTF-8/)
      const list = yield* Effect.promise(() => request("GET", "/api/contacts"))
      assert.deepStrictEqual((list.body as { data: unknown[] }).data, [])
    }))

  it.effect("refuses a string holding a lone surrogate with a 422 naming the field", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const top = yield* Effect.promise(() => request("POST", "/api/contacts", { body: String.raw`{"firstName":"Sur\ud800"}` }))
      assert.strictEqual(top.status, 422)
      assert.deepStrictEqual((top.body as ProblemJson).errors?.map((e) => e.path), ["firstName"])
      const nested = yield* Effect.promise(() =>
        request("POST", "/api/contacts", { body: String.raw`{"firstName":"Ann","address":{"city":"\udc00x"},"tags":["ok","\ud83d"]}` }))
      assert.strictEqual(nested.status, 422)
      assert.deepStrictEqual((nested.body as ProblemJson).errors?.map((e) => e.path), ["address.city", "tags.1"])
      // A well-formed pair is fine.
      const pair = yield* Effect.promise(() => request("POST", "/api/contacts", { body: String.raw`{"firstName":"Ann \ud83d\ude00"}` }))
      assert.strictEqual(pair.status, 201)
      assert.strictEqual((pair.body as Json)["firstName"], "Ann \u{1F600}")
    }))

  it.effect("refuses a body nested 100,000 deep with a 422, not a 500 (with an Idempotency-Key too)", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const depth = 100_000 // far past the call stack
      const deep = `{"firstName":"Ann","tags":${"[".repeat(depth)}${"]".repeat(depth)}}`
      for (const headers of [{}, { "idempotency-key": "deep-1" }]) {
        const response = yield* Effect.promise(() => request("POST", "/api/contacts", { body: deep, headers }))
        assert.strictEqual(response.status, 422, JSON.stringify(headers))
        assert.match((response.body as ProblemJson).detail, /^tags(\.0)+: Nested too deeply/)
      }
    }))
})

describe("protocol details", () => {
  it.effect("answers 413 with Connection: close, over a real socket", () =>
    Effect.gen(function*() {
      const { app } = yield* harness()
      const server = yield* Effect.acquireRelease(
        Effect.callback<ReturnType<typeof serve>>((resume) => {
          const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resume(Effect.succeed(s)))
        }),
        (s) => Effect.callback<void>((resume) => {
          s.close(() => resume(Effect.void))
          ;(s as unknown as { closeAllConnections(): void }).closeAllConnections()
        })
      )
      const { port } = server.address() as AddressInfo
      // The declared length is over the limit; the server answers before the body is sent.
      const declared = 2 * 1024 * 1024
      const answer = yield* Effect.callback<{ status: number; connection: string | undefined }>((resume) => {
        const req = httpRequest({
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/contacts",
          headers: { ...auth, "content-type": "application/json", "content-length": declared, connection: "keep-alive" }
        }, (res) => {
          resume(Effect.succeed({ status: res.statusCode ?? 0, connection: res.headers.connection }))
          req.destroy()
        })
        req.on("error", () => {}) // destroyed once answered
        req.write("{\"firstName\":\"")
      })
      assert.deepStrictEqual(answer, { status: 413, connection: "close" })
    }).pipe(Effect.scoped))

  it.effect("knows only real problem kinds", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      for (const kind of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        const response = yield* Effect.promise(() => request("GET", `/problems/${kind}`))
        assert.strictEqual(response.status, 404, kind)
      }
      assert.strictEqual((yield* Effect.promise(() => request("GET", "/problems/validation"))).status, 200)
    }))

  it.effect("accepts an empty request for an action whose body fields are all optional", () =>
    Effect.gen(function*() {
      const { app, request } = yield* harness()
      const customer = (yield* Effect.promise(() => request("POST", "/api/customers", { body: { companyName: "Acme" } }))).body as Json
      const draft = () =>
        Effect.promise(() =>
          request("POST", "/api/invoices", { body: { customerId: customer["id"], lines: [{ description: "Repair", unitPriceCents: 100 }] } }))
      for (const headers of [{}, { "content-type": "application/json" }]) {
        const invoice = (yield* draft()).body as Json
        const issued = yield* Effect.promise(async () =>
          app.request(`/api/invoices/${invoice["id"]}/issue`, { method: "POST", headers: { ...auth, ...headers } }))
        assert.strictEqual(issued.status, 200, JSON.stringify(headers))
        assert.strictEqual(((yield* Effect.promise(() => issued.json())) as Json)["status"], "issued")
      }
      // A body is still required where a field is.
      const missing = yield* Effect.promise(() => request("POST", "/api/contacts", { headers: { "content-type": "application/json" } }))
      assert.strictEqual(missing.status, 422)
    }))

  it.effect("refuses unknown query parameters with a 422 naming them, on every route", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const list = yield* Effect.promise(() => request("GET", "/api/contacts?limit=5&bogus=1&sort=name"))
      assert.strictEqual(list.status, 422)
      assert.sameMembers((list.body as ProblemJson).errors?.map((e) => e.path) ?? [], ["bogus", "sort"])
      assert.match((list.body as ProblemJson).detail, /bogus/)
      // Known parameters with bad values are reported in the same answer.
      const both = yield* Effect.promise(() => request("GET", "/api/contacts?limit=0&bogus=1"))
      assert.sameMembers((both.body as ProblemJson).errors?.map((e) => e.path) ?? [], ["bogus", "limit"])
      for (const url of [`/api/contacts/${testUuid(1)}?expand=all`, "/health?verbose=1", "/api/reports/receivables?nonsense="]) {
        const response = yield* Effect.promise(() => request("GET", url))
        assert.strictEqual(response.status, 422, url)
      }
    }))

  it.effect("says a limit of 1000 or more is out of range, as it does for 201", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      for (const limit of ["201", "1000", "99999999999999999999999", "0".repeat(30) + "5000"]) {
        const response = yield* Effect.promise(() => request("GET", `/api/contacts?limit=${limit}`))
        assert.strictEqual(response.status, 422, limit)
        assert.match((response.body as ProblemJson).detail, /between 1 and 200/, limit)
      }
      assert.strictEqual((yield* Effect.promise(() => request("GET", "/api/contacts?limit=007"))).status, 200)
    }))

  it.effect("words validation messages in the API's terms, never an internal Schema's name", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const document = (yield* Effect.promise(() => request("GET", "/openapi.json"))).body as { components: { schemas: Json } }
      const names = Object.keys(document.components.schemas)
      const customer = (yield* Effect.promise(() => request("POST", "/api/customers", { body: { companyName: "Acme" } }))).body as Json
      const invoice = (yield* Effect.promise(() =>
        request("POST", "/api/invoices", { body: { customerId: customer["id"], lines: [{ description: "Repair", unitPriceCents: 100 }] } })))
        .body as Json
      const cases: ReadonlyArray<readonly [string, string, unknown, RegExp]> = [
        ["POST", `/api/invoices/${invoice["id"]}/issue`, [], /^\(body\): Expected a JSON object/],
        ["POST", "/api/contacts", "\"x\"", /^\(body\): Expected a JSON object with .*firstName/],
        ["POST", "/api/invoices", { customerId: customer["id"], lines: [1] }, /^lines\.0: Expected a JSON object with .*unitPriceCents/],
        ["POST", "/api/customer-services", { customerId: customer["id"], serviceId: testUuid(1), discount: 5 }, /^discount: Expected a JSON object/]
      ]
      for (const [method, url, body, expected] of cases) {
        const response = yield* Effect.promise(() => request(method, url, { body }))
        assert.strictEqual(response.status, 422, url)
        const detail = (response.body as ProblemJson).detail
        assert.match(detail, expected)
        for (const name of names) assert.notMatch(detail, new RegExp(`\\b${name}\\b`), `${url} names ${name}`)
      }
    }))

  // 1,000 bad items show the cap as well as 10,000 do, in a tenth of the time.
  it.effect("lists at most 100 errors of a body with 1,000 bad items, and counts them all", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const customer = (yield* Effect.promise(() => request("POST", "/api/customers", { body: { companyName: "Acme" } }))).body as Json
      const lines = Array.from({ length: 1_000 }, () => ({ description: 5 }))
      const response = yield* Effect.promise(() => request("POST", "/api/invoices", { body: { customerId: customer["id"], lines } }))
      assert.strictEqual(response.status, 422)
      const problem = response.body as ProblemJson
      assert.strictEqual(problem.errors?.length, 100)
      assert.isAtLeast(problem.errorCount ?? 0, 1_000)
      assert.isBelow(JSON.stringify(problem).length, 30_000)
    }))

  // Decoding 10,000 bad items cost about 1.5 s of CPU per request: an array no
  // body of this API can hold is refused before any Schema looks at its items.
  it.effect("refuses an array of more than 1,000 items as one error, without decoding the items", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const lines = Array.from({ length: 10_000 }, () => ({ description: 5 }))
      const response = yield* Effect.promise(() => request("POST", "/api/invoices", { body: { customerId: testUuid(1), lines } }))
      assert.strictEqual(response.status, 422)
      assert.deepStrictEqual((response.body as ProblemJson).errors, [{ path: "lines", message: "At most 1000 items" }])
    }))
})

describe("what a new user meets first", () => {
  it.effect("GET / is a small JSON index of the API", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const response = yield* Effect.promise(() => request("GET", "/"))
      assert.strictEqual(response.status, 200)
      assert.deepInclude(response.body as object, {
        name: "Attack-a-Crack CRM",
        version: "0.1.0",
        links: { docs: "/docs", openapi: "/openapi.json", health: "/health" }
      })
    }))

  it.effect("/docs loads its viewer from this server only, so it works offline", () =>
    Effect.gen(function*() {
      const { app } = yield* harness()
      const page = yield* Effect.promise(async () => app.request("/docs"))
      assert.strictEqual(page.status, 200)
      const html = yield* Effect.promise(() => page.text())
      const urls = [...html.matchAll(/(?:src|href)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!)
      assert.isNotEmpty(urls)
      for (const url of urls) assert.match(url, /^\/(?!\/)/, `${url} is not a local URL`)
      assert.notMatch(html, /https?:\/\//)
      for (const url of urls) {
        const asset = yield* Effect.promise(async () => app.request(url))
        assert.strictEqual(asset.status, 200, url)
        if (url.endsWith(".js")) {
          assert.match(asset.headers.get("content-type") ?? "", /javascript/)
          assert.isAbove((yield* Effect.promise(() => asset.text())).length, 10_000)
        }
      }
    }))
})
