import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { Clock, DateTime, Duration, Effect, Fiber, Layer, Redacted, Ref } from "effect"
import { RateLimiter } from "effect/persistence"
import { TestClock } from "effect/testing"
import { AccessTokens } from "../../../application/accounting/access-tokens.ts"
import type { AccountingError } from "../../../application/ports/accounting-gateway.ts"
import { MINOR_VERSION } from "../../../adapters/quickbooks/qbo-request.ts"
import type { QuickBooksConfig } from "../../../adapters/quickbooks/quickbooks-config.ts"
import { makeQuickBooksGateway, QUERY_PAGE } from "../../../adapters/quickbooks/quickbooks-gateway.ts"
import { testQuickBooksConfig } from "../../support/quickbooks-test-config.ts"
import { type Reply, scriptedHttpClient, type SeenRequest } from "../../support/scripted-http-client.ts"

const API = "https://qbo.test"
const REALM = "9130350"
const fault = (name: string) => readFileSync(new URL(`../../fixtures/quickbooks/faults/${name}`, import.meta.url), "utf8")
const THROTTLE_XML = fault("fault-429-throttle-exceeded.xml")
const UNAUTHORIZED_JSON = fault("fault-401-authentication.json")

const customer = (id = "58", syncToken = "0") => ({ Id: id, SyncToken: syncToken, DisplayName: `Customer ${id}`, domain: "QBO" })
const created: Reply = { status: 200, body: { Customer: customer(), time: "2026-05-01T05:00:00.000-07:00" } }
const xml = (status: number, text: string): Reply => ({ status, text })

/** AccessTokens that hands out `token-N`, N growing with each refresh after a rejection. */
const fakeTokens = Effect.gen(function*() {
  const generation = yield* Ref.make(1)
  const rejected = yield* Ref.make<ReadonlyArray<string>>([])
  const access = Effect.map(Ref.get(generation), (n) => ({ realmId: REALM, accessToken: Redacted.make(`token-${n}`) }))
  const layer = Layer.succeed(AccessTokens, AccessTokens.of({
    current: access,
    afterRejection: (token) =>
      Ref.update(rejected, (all) => [...all, Redacted.value(token)]).pipe(
        Effect.andThen(Ref.update(generation, (n) => n + 1)),
        Effect.andThen(access)
      )
  }))
  return { layer, rejected: Ref.get(rejected) }
})

const config = testQuickBooksConfig(API)

/** The live gateway over a scripted HttpClient and Effect's memory limiter store. */
const gatewayOver = (script: (request: SeenRequest, index: number) => Reply, overrides: Partial<QuickBooksConfig> = {}) =>
  Effect.gen(function*() {
    const http = yield* scriptedHttpClient(script)
    const tokens = yield* fakeTokens
    const limiter = RateLimiter.layer.pipe(Layer.provide(RateLimiter.layerStoreMemory))
    const gateway = yield* makeQuickBooksGateway({ ...config, ...overrides }).pipe(
      Effect.provide(Layer.mergeAll(http.layer, limiter, tokens.layer))
    )
    return { gateway, requests: http.requests, rejected: tokens.rejected }
  })

/** Runs `effect` while the test clock moves on far enough for every wait (throttles wait 60 s each). */
const settled = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(effect)
    for (let i = 0; i < 30; i++) yield* TestClock.adjust("10 seconds")
    return yield* Fiber.join(fiber)
  })

/**
 * The test clock as seen by a process whose event loop stalls from `from` to
 * `to` (ms): every sleep due in that time ends only at `to`, all together.
 */
const stallingClock = (base: Clock.Clock, from: number, to: number): Clock.Clock => ({
  currentTimeMillisUnsafe: () => base.currentTimeMillisUnsafe(),
  currentTimeMillis: base.currentTimeMillis,
  currentTimeNanosUnsafe: () => base.currentTimeNanosUnsafe(),
  currentTimeNanos: base.currentTimeNanos,
  monotonicTimeNanosUnsafe: () => base.monotonicTimeNanosUnsafe(),
  monotonicTimeNanos: base.monotonicTimeNanos,
  sleep: (duration) =>
    Effect.andThen(
      base.sleep(duration),
      Effect.suspend(() => {
        const now = base.currentTimeMillisUnsafe()
        return now >= from && now < to ? base.sleep(Duration.millis(to - now)) : Effect.void
      })
    )
})

const mostWithin = (times: ReadonlyArray<number>, millis: number) =>
  Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + millis).length))

const fails = <A>(effect: Effect.Effect<A, AccountingError>) => settled(effect).pipe(Effect.flip)

describe("QuickBooks gateway (live layer over a scripted HttpClient)", () => {
  it.effect("create: POST /v3/company/{realm}/customer with requestid, pinned minorversion, bearer token and JSON", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver(() => created)
      const record = yield* gateway.create("Customer", { DisplayName: "Customer 58" }, "req-1")
      const [request] = yield* requests
      assert.strictEqual(request?.method, "POST")
      assert.strictEqual(`${request?.url.origin}${request?.url.pathname}`, `${API}/v3/company/${REALM}/customer`)
      assert.strictEqual(request?.url.searchParams.get("requestid"), "req-1")
      assert.strictEqual(request?.url.searchParams.get("minorversion"), MINOR_VERSION)
      assert.strictEqual(request?.headers["authorization"], "Bearer token-1")
      assert.strictEqual(request?.headers["accept"], "application/json")
      assert.include(request?.headers["content-type"] ?? "", "application/json")
      assert.deepStrictEqual(request?.body, { DisplayName: "Customer 58" })
      assert.deepStrictEqual([record.entity, record.id, record.syncToken, record.body["DisplayName"]], ["Customer", "58", "0", "Customer 58"])
    }))

  it.effect("update, read, void and company name go where QuickBooks expects them", () =>
    Effect.gen(function*() {
      const invoice = { Invoice: { Id: "130", SyncToken: "3", TotalAmt: 100 }, time: "t" }
      const { gateway, requests } = yield* gatewayOver((request) =>
        request.url.pathname.includes("companyinfo")
          ? { status: 200, body: { CompanyInfo: { CompanyName: "Sandbox Company_US_1", Id: "1", SyncToken: "4" } } }
          : { status: 200, body: invoice }
      )
      yield* settled(Effect.all([
        gateway.update("Invoice", { Id: "130", SyncToken: "2", sparse: true, DueDate: "2026-06-01" }, "req-u"),
        gateway.read("Invoice", "130"),
        gateway.voidInvoice({ id: "130", syncToken: "2" }, "req-v")
      ]))
      const name = yield* settled(gateway.companyName)
      assert.strictEqual(name, "Sandbox Company_US_1")
      const seen = (yield* requests).map((r) => `${r.method} ${r.url.pathname} ${r.url.searchParams.toString()}`)
      assert.deepStrictEqual(seen, [
        `POST /v3/company/${REALM}/invoice requestid=req-u&minorversion=${MINOR_VERSION}`,
        `GET /v3/company/${REALM}/invoice/130 minorversion=${MINOR_VERSION}`,
        `POST /v3/company/${REALM}/invoice operation=void&requestid=req-v&minorversion=${MINOR_VERSION}`,
        `GET /v3/company/${REALM}/companyinfo/${REALM} minorversion=${MINOR_VERSION}`
      ])
      assert.deepStrictEqual((yield* requests)[2]?.body, { Id: "130", SyncToken: "2" })
    }))

  it.effect("a 429 in XML (although JSON was asked for) waits 60 s, then the same request succeeds", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver((_, i) => (i === 0 ? xml(429, THROTTLE_XML) : created))
      const fiber = yield* Effect.forkChild(gateway.create("Customer", { DisplayName: "x" }, "req-t"))
      yield* TestClock.adjust("59 seconds")
      assert.strictEqual((yield* requests).length, 1, "not before 60 s")
      yield* TestClock.adjust("2 seconds")
      const record = yield* Fiber.join(fiber)
      assert.strictEqual(record.id, "58")
      const [first, second] = yield* requests
      assert.isAtLeast((second?.at ?? 0) - (first?.at ?? 0), 60_000)
      assert.strictEqual(second?.url.searchParams.get("requestid"), "req-t", "the retry carries the same requestid")
    }))

  it.effect("the legacy 403 throttle counts as a throttle; one that persists ends as throttled after the bounded waits", () =>
    Effect.gen(function*() {
      const legacy = fault("fault-403-throttle-exceeded-legacy.xml")
      const { gateway, requests } = yield* gatewayOver((_, i) => (i === 0 ? xml(403, legacy) : created))
      yield* settled(gateway.read("Customer", "58"))
      assert.strictEqual((yield* requests).length, 2)
      const stuck = yield* gatewayOver(() => xml(429, THROTTLE_XML))
      const error = yield* fails(stuck.gateway.read("Customer", "58"))
      assert.deepStrictEqual([error.reason, error.status, error.code], ["throttled", 429, "3001"])
      assert.strictEqual((yield* stuck.requests).length, 1 + config.throttleRetries)
    }))

  it.effect("a 401 (lower-case JSON) asks AccessTokens for a new token once and retries with it", () =>
    Effect.gen(function*() {
      const { gateway, requests, rejected } = yield* gatewayOver((_, i) => (i === 0 ? { status: 401, text: UNAUTHORIZED_JSON } : created))
      yield* settled(gateway.create("Customer", { DisplayName: "x" }, "req-a"))
      assert.deepStrictEqual((yield* requests).map((r) => r.headers["authorization"]), ["Bearer token-1", "Bearer token-2"])
      assert.deepStrictEqual(yield* rejected, ["token-1"])
    }))

  it.effect("a second 401 is final (unauthorized), and no error message holds a token", () =>
    Effect.gen(function*() {
      const { gateway, requests, rejected } = yield* gatewayOver(() => ({ status: 401, text: UNAUTHORIZED_JSON }))
      const error = yield* fails(gateway.read("Customer", "58"))
      assert.deepStrictEqual([error.reason, error.code], ["unauthorized", "3200"])
      assert.strictEqual((yield* requests).length, 2)
      assert.deepStrictEqual(yield* rejected, ["token-1"])
      assert.notInclude(error.message, "token-")
    }))

  it.effect("5xx and broken connections back off and retry (writes too, with their requestid), then give up", () =>
    Effect.gen(function*() {
      const system = fault("fault-500-system-fault.xml")
      const flaky = yield* gatewayOver((_, i) => (i === 0 ? "network-error" : i === 1 ? xml(500, system) : created))
      yield* settled(flaky.gateway.create("Customer", { DisplayName: "x" }, "req-5"))
      const times = (yield* flaky.requests).map((r) => r.at)
      assert.deepStrictEqual((yield* flaky.requests).map((r) => r.url.searchParams.get("requestid")), ["req-5", "req-5", "req-5"])
      // 1 s, then 2 s: the configured base, doubled.
      assert.deepStrictEqual(times.slice(1).map((t, i) => t - (times[i] ?? 0) >= 1000 * 2 ** i), [true, true])
      const broken = yield* gatewayOver(() => xml(500, system))
      const error = yield* fails(broken.gateway.read("Customer", "1"))
      assert.deepStrictEqual([error.reason, error.status, error.code], ["provider-error", 500, "10000"])
      assert.strictEqual((yield* broken.requests).length, 1 + config.serverRetries)
    }))

  it.effect("a request with no answer times out, is retried, and ends as timeout", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver(() => "hang", { requestTimeout: Duration.seconds(5), serverRetries: 1 })
      const error = yield* fails(gateway.read("Customer", "1"))
      assert.strictEqual(error.reason, "timeout")
      assert.strictEqual((yield* requests).length, 2)
    }))

  it.effect("6240, 5010 and validation faults are final: one request, the code and element kept", () =>
    Effect.gen(function*() {
      const duplicate = yield* gatewayOver(() => ({ status: 400, text: fault("fault-400-validation-duplicate-name.json") }))
      const error = yield* fails(duplicate.gateway.create("Customer", { DisplayName: "x" }, "r"))
      assert.deepStrictEqual([error.reason, error.code], ["duplicate-name", "6240"])
      assert.strictEqual((yield* duplicate.requests).length, 1)
      const stale = yield* gatewayOver(() => ({
        status: 400,
        body: { Fault: { Error: [{ Message: "Stale Object Error", Detail: "You and x were working on this at the same time.", code: "5010", element: "" }], type: "ValidationFault" }, time: "t" }
      }))
      assert.strictEqual((yield* fails(stale.gateway.update("Customer", { Id: "1", SyncToken: "0", sparse: true }, "r"))).reason, "stale-object")
      const fields = yield* gatewayOver(() => xml(400, fault("fault-400-validation-multiple-errors.xml")))
      const invalid = yield* fails(fields.gateway.create("Customer", {}, "r"))
      assert.deepStrictEqual([invalid.reason, invalid.code, invalid.element], ["validation", "2050", "firstname"])
    }))

  it.effect("a Fault inside a 200 is an error, and a 200 that is not JSON is malformed", () =>
    Effect.gen(function*() {
      const faulty = yield* gatewayOver(() => ({
        status: 200,
        body: { Fault: { Error: [{ Message: "Business Validation Error", code: "6000" }], type: "ValidationFault" }, time: "t" }
      }))
      const error = yield* fails(faulty.gateway.create("Invoice", {}, "r"))
      assert.deepStrictEqual([error.reason, error.status, error.code], ["validation", 200, "6000"])
      const garbled = yield* gatewayOver(() => ({ status: 200, text: "OK" }))
      assert.strictEqual((yield* fails(garbled.gateway.read("Invoice", "1"))).reason, "malformed-response")
      const noId = yield* gatewayOver(() => ({ status: 200, body: { Invoice: { TotalAmt: 1 } } }))
      assert.strictEqual((yield* fails(noId.gateway.read("Invoice", "1"))).reason, "malformed-response")
    }))

  it.effect("query reads every page (STARTPOSITION/MAXRESULTS) and an empty QueryResponse is no rows", () =>
    Effect.gen(function*() {
      const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => customer(String(from + i)))
      const { gateway, requests } = yield* gatewayOver((request) => {
        const statement = request.url.searchParams.get("query") ?? ""
        if (statement.includes("STARTPOSITION 1 ")) return { status: 200, body: { QueryResponse: { Customer: page(1, QUERY_PAGE), startPosition: 1, maxResults: QUERY_PAGE }, time: "t" } }
        if (statement.includes("STARTPOSITION 1001 ")) return { status: 200, body: { QueryResponse: { Customer: page(1001, 5), startPosition: 1001, maxResults: 5 }, time: "t" } }
        return { status: 200, body: { QueryResponse: {}, time: "t" } }
      })
      const all = yield* settled(gateway.query("Customer", "DisplayName LIKE 'Customer%'"))
      assert.strictEqual(all.length, QUERY_PAGE + 5)
      assert.deepStrictEqual([all[0]?.id, all.at(-1)?.id], ["1", "1005"])
      assert.deepStrictEqual((yield* requests).map((r) => r.url.searchParams.get("query")), [
        `select * from Customer where DisplayName LIKE 'Customer%' STARTPOSITION 1 MAXRESULTS ${QUERY_PAGE}`,
        `select * from Customer where DisplayName LIKE 'Customer%' STARTPOSITION 1001 MAXRESULTS ${QUERY_PAGE}`
      ])
      const empty = yield* gatewayOver(() => ({ status: 200, body: { QueryResponse: {}, time: "t" } }))
      assert.deepStrictEqual(yield* empty.gateway.query("Payment", ""), [])
      assert.strictEqual((yield* empty.requests)[0]?.url.searchParams.get("query"), `select * from Payment STARTPOSITION 1 MAXRESULTS ${QUERY_PAGE}`)
    }))

  it.effect("changedSince reads CDC: changed and deleted entities of each kind, with their update time", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver(() => ({
        status: 200,
        body: {
          CDCResponse: [{
            QueryResponse: [
              { Payment: [{ Id: "7", SyncToken: "0", TotalAmt: 50, MetaData: { LastUpdatedTime: "2026-05-02T10:00:00-07:00" } }], startPosition: 1, maxResults: 1 },
              { Invoice: [{ domain: "QBO", status: "Deleted", Id: "9", MetaData: { LastUpdatedTime: "2026-05-02T11:00:00-07:00" } }] }
            ]
          }],
          time: "2026-05-02T12:00:00-07:00"
        }
      }))
      const since = DateTime.makeUnsafe("2026-04-02T17:00:00.000Z")
      const changes = yield* gateway.changedSince(["Payment", "Invoice"], since)
      const [request] = yield* requests
      assert.strictEqual(request?.url.pathname, `/v3/company/${REALM}/cdc`)
      assert.strictEqual(request?.url.searchParams.get("entities"), "Payment,Invoice")
      assert.strictEqual(request?.url.searchParams.get("changedSince"), "2026-04-02T17:00:00Z")
      assert.deepStrictEqual(
        changes.map((c) => [c.entity, c.id, c.deleted, c.record.syncToken, DateTime.formatIso(c.lastUpdatedAt)]),
        [
          ["Payment", "7", false, "0", "2026-05-02T17:00:00.000Z"],
          ["Invoice", "9", true, "", "2026-05-02T18:00:00.000Z"]
        ]
      )
    }))

  it.effect("at most maxConcurrent requests are in flight per realm", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver(() => "hang", { requestTimeout: Duration.hours(1) })
      yield* Effect.forkChild(Effect.all(Array.from({ length: 15 }, (_, i) => gateway.read("Customer", String(i))), { concurrency: "unbounded" }))
      for (let i = 0; i < 30; i++) yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* requests).length, config.maxConcurrent)
    }))

  it.effect("requests to a realm leave spaced so no 60 s holds more than requestsPerMinute", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver(() => created, { requestsPerMinute: 60 })
      yield* settled(Effect.all(Array.from({ length: 70 }, (_, i) => gateway.read("Customer", String(i))), { concurrency: 10 }))
      const times = (yield* requests).map((r) => r.at).sort((a, b) => a - b)
      assert.strictEqual(times.length, 70)
      const mostInAMinute = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length))
      assert.isAtMost(mostInAMinute, 60)
      assert.isTrue(times.slice(1).every((t, i) => t - (times[i] ?? 0) >= 1000), "one a second at 60 a minute")
    }))

  it.effect("fibers woken late by a stalled event loop take new slots: no second holds more than 10 requests", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver(() => created)
      const start = yield* Clock.currentTimeMillis
      const stalled = stallingClock(yield* Clock.Clock, start + 1_000, start + 2_500)
      yield* settled(
        Effect.all(Array.from({ length: 40 }, (_, i) => gateway.read("Customer", String(i))), { concurrency: "unbounded" }).pipe(
          Effect.provideService(Clock.Clock, stalled)
        )
      )
      const times = (yield* requests).map((r) => r.at).sort((a, b) => a - b)
      assert.strictEqual(times.length, 40)
      // The ten waiting when the loop stalled all woke at 2.5 s; only one of them may go then.
      assert.strictEqual(times.filter((t) => t === start + 2_500).length, 1)
      assert.isAtMost(mostWithin(times, 1_000), 10)
      assert.isAtMost(mostWithin(times, 60_000), config.requestsPerMinute)
    }))
})
