import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Option } from "effect"
import { RateLimiter } from "effect/persistence"
import { TestClock } from "effect/testing"
import type { OpenPhoneConfig } from "../../../adapters/openphone/openphone-config.ts"
import { makeOpenPhoneGateway } from "../../../adapters/openphone/openphone-gateway.ts"
import type { SmsGatewayError } from "../../../application/ports/sms-gateway.ts"
import { FAKE_API_KEY, FAKE_NUMBER } from "../../support/fake-openphone.ts"
import { FAKE_KEY, testOpenPhoneConfig } from "../../support/openphone-test-config.ts"
import { type Reply, scriptedHttpClient, type SeenRequest } from "../../support/scripted-http-client.ts"

const TO = "+15125550111"
const accepted = (request: SeenRequest): Reply => ({
  status: 202,
  body: {
    data: {
      id: "AC0001",
      to: [TO],
      from: FAKE_NUMBER.number,
      text: (request.body as { content: string }).content,
      phoneNumberId: FAKE_NUMBER.id,
      direction: "outgoing",
      userId: "US1",
      status: "queued",
      createdAt: "2026-05-01T12:00:00Z",
      updatedAt: "2026-05-01T12:00:00Z"
    }
  }
})
const numbers: Reply = {
  status: 200,
  body: { data: [{ id: FAKE_NUMBER.id, number: FAKE_NUMBER.number, name: "Main", restrictions: { messaging: { US: "unrestricted" } } }] }
}
const emptyPage: Reply = { status: 200, body: { data: [], totalItems: 0, nextPageToken: null } }
const error = (status: number, code = `0200${status}`): Exclude<Reply, string> => ({ status, body: { message: "nope", code, status, title: "Err" } })

const config = testOpenPhoneConfig("https://api.openphone.test", {
  requestTimeout: Duration.seconds(5),
  maxRetries: 3,
  retryBase: Duration.millis(500),
  retryMaxDelay: Duration.seconds(10)
})

/** The live gateway over a scripted HttpClient and Effect's memory limiter store. */
const gatewayOver = (
  script: (request: SeenRequest, index: number) => Reply,
  options: { readonly config?: OpenPhoneConfig; readonly store?: Layer.Layer<RateLimiter.RateLimiterStore> } = {}
) =>
  Effect.gen(function*() {
    const http = yield* scriptedHttpClient(script)
    const limiter = RateLimiter.layer.pipe(Layer.provide(options.store ?? RateLimiter.layerStoreMemory))
    const gateway = yield* makeOpenPhoneGateway(options.config ?? config, FAKE_KEY).pipe(
      Effect.provide(Layer.merge(http.layer, limiter))
    )
    return { gateway, requests: http.requests }
  })

/** Runs `effect` while the test clock moves on far enough for every retry and timeout. */
const settled = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(effect)
    for (let i = 0; i < 40; i++) yield* TestClock.adjust("1 second")
    return yield* Fiber.join(fiber)
  })

const sendFails = (script: (request: SeenRequest, index: number) => Reply, options: { readonly config?: OpenPhoneConfig } = {}) =>
  Effect.gen(function*() {
    const { gateway, requests } = yield* gatewayOver(script, options)
    const failure: SmsGatewayError = yield* settled(gateway.send({ to: TO, content: "hi" })).pipe(Effect.flip)
    return { failure, calls: (yield* requests).length }
  })

describe("OpenPhone gateway (live layer over a scripted HttpClient)", () => {
  it.effect("sends POST /v1/messages with the raw key, one recipient and the content; 202 is success", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver(accepted)
      const sent = yield* gateway.send({ to: TO, content: "Quote ready" })
      const [request] = yield* requests
      assert.strictEqual(request?.method, "POST")
      assert.strictEqual(request?.url.toString(), "https://api.openphone.test/v1/messages")
      assert.strictEqual(request?.headers["authorization"], FAKE_API_KEY)
      assert.deepStrictEqual(request?.body, { content: "Quote ready", from: FAKE_NUMBER.number, to: [TO] })
      assert.deepStrictEqual(
        { providerId: sent.providerId, text: sent.text, status: sent.status, to: sent.to },
        { providerId: "AC0001", text: "Quote ready", status: "queued", to: [TO] }
      )
    }))

  it.effect("waits out Retry-After on a 429, then succeeds", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver((request, i) =>
        i === 0 ? { ...error(429), headers: { "retry-after": "7" } } : accepted(request)
      )
      const fiber = yield* Effect.forkChild(gateway.send({ to: TO, content: "hi" }))
      yield* TestClock.adjust("6900 millis")
      assert.strictEqual((yield* requests).length, 1, "not before Retry-After")
      yield* TestClock.adjust("3 seconds")
      const sent = yield* Fiber.join(fiber)
      assert.strictEqual(sent.providerId, "AC0001")
      const [first, second] = yield* requests
      assert.isAtLeast((second?.at ?? 0) - (first?.at ?? 0), 7000)
    }))

  it.effect("retries 5xx with growing delays and gives up as provider-error after the configured retries", () =>
    Effect.gen(function*() {
      const { failure, calls } = yield* sendFails(() => error(500, "0201500"))
      assert.deepStrictEqual([failure.reason, failure.status, calls], ["provider-error", 500, 4])
      const { gateway, requests } = yield* gatewayOver(() => error(503))
      yield* settled(gateway.listPhoneNumbers).pipe(Effect.flip)
      const times = (yield* requests).map((r) => r.at)
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0))
      // 500 ms doubling, each jittered by at most ±20 %.
      assert.isTrue(gaps.every((gap, i) => gap >= 400 * 2 ** i && gap <= 600 * 2 ** i + 110), JSON.stringify(gaps))
    }))

  it.effect("a 429 that persists ends as rate-limited; one asking for longer than the longest wait is not retried early", () =>
    Effect.gen(function*() {
      const { failure, calls } = yield* sendFails(() => ({ ...error(429), headers: { "retry-after": "1" } }))
      assert.deepStrictEqual([failure.reason, calls], ["rate-limited", 4])
      const long = yield* sendFails(() => ({ ...error(429), headers: { "retry-after": "60" } }))
      assert.deepStrictEqual([long.failure.reason, long.calls], ["rate-limited", 1])
    }))

  it.effect("final refusals are not retried and say why", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [Reply, string]> = [
        [error(400, "0206400"), "a2p-not-approved"],
        [error(400, "0400400"), "invalid-request"],
        [error(401), "unauthorized"],
        [error(402), "insufficient-credits"],
        [error(403, "0202403"), "forbidden"],
        [error(404), "not-found"]
      ]
      for (const [reply, reason] of cases) {
        const { failure, calls } = yield* sendFails(() => reply)
        assert.deepStrictEqual([failure.reason, failure.status, calls], [reason, (reply as { status: number }).status, 1])
      }
    }))

  it.effect("a send that times out is not repeated (it may have been accepted); a read is", () =>
    Effect.gen(function*() {
      const send = yield* sendFails(() => "hang")
      assert.deepStrictEqual([send.failure.reason, send.failure.status, send.calls], ["timeout", null, 1])
      const { gateway, requests } = yield* gatewayOver(() => "hang")
      const read = yield* settled(gateway.listPhoneNumbers).pipe(Effect.flip)
      assert.deepStrictEqual([read.reason, (yield* requests).length], ["timeout", 4])
    }))

  it.effect("a broken connection fails a send as network without repeating it; a read is retried", () =>
    Effect.gen(function*() {
      const send = yield* sendFails(() => "network-error")
      assert.deepStrictEqual([send.failure.reason, send.calls], ["network", 1])
      const { gateway, requests } = yield* gatewayOver((_, i) => (i < 2 ? "network-error" : numbers))
      const listed = yield* settled(gateway.listPhoneNumbers)
      assert.deepStrictEqual([listed.map((n) => n.id), (yield* requests).length], [[FAKE_NUMBER.id], 3])
    }))

  it.effect("an answer that does not match the spec is malformed-response, not retried", () =>
    Effect.gen(function*() {
      const { failure, calls } = yield* sendFails(() => ({ status: 202, body: { data: { id: "XX1" } } }))
      assert.deepStrictEqual([failure.reason, calls], ["malformed-response", 1])
      const notJson = yield* sendFails(() => ({ status: 202 }))
      assert.strictEqual(notJson.failure.reason, "malformed-response")
    }))

  it.effect("refuses what the spec forbids without a request: long, blank, or a recipient not in E.164", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver(accepted)
      for (const message of [{ to: TO, content: "x".repeat(1601) }, { to: TO, content: " \n" }, { to: "5125550111", content: "hi" }]) {
        const failure = yield* gateway.send(message).pipe(Effect.flip)
        assert.strictEqual(failure.reason, "invalid-request")
      }
      // 1600 emoji are 1600 characters (code points), within the limit.
      yield* gateway.send({ to: TO, content: "👍".repeat(1600) })
      assert.strictEqual((yield* requests).length, 1)
    }))

  it.effect("resolves an E.164 OPENPHONE_FROM to its PN id once, for every message listing", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver((request) => (request.url.pathname === "/v1/phone-numbers" ? numbers : emptyPage))
      yield* settled(gateway.listMessages({ participant: TO, maxResults: 5 }))
      yield* settled(gateway.listMessages({ participant: TO, maxResults: 5, createdAfter: undefined }))
      const seen = yield* requests
      assert.deepStrictEqual(seen.map((r) => r.url.pathname), ["/v1/phone-numbers", "/v1/messages", "/v1/messages"])
      const query = seen[1]?.url.searchParams
      assert.deepStrictEqual(
        [query?.get("phoneNumberId"), query?.getAll("participants"), query?.get("maxResults")],
        [FAKE_NUMBER.id, [TO], "5"]
      )
    }))

  it.effect("a burst of first sends looks the business number up once, not once each", () =>
    Effect.gen(function*() {
      const { gateway, requests } = yield* gatewayOver((request) => (request.url.pathname === "/v1/phone-numbers" ? numbers : emptyPage))
      yield* settled(Effect.forEach(Array.from({ length: 5 }), () => gateway.businessNumber, { concurrency: "unbounded" }))
      assert.deepStrictEqual((yield* requests).map((r) => r.url.pathname), ["/v1/phone-numbers"])
    }))

  it.effect("an unknown OPENPHONE_FROM is a clear not-found", () =>
    Effect.gen(function*() {
      const { gateway } = yield* gatewayOver(() => numbers, { config: { ...config, from: Option.some("+15559990000") } })
      const failure = yield* settled(gateway.businessNumber).pipe(Effect.flip)
      assert.strictEqual(failure.reason, "not-found")
      assert.include(failure.message, "+15559990000")
    }))

  it.effect("spaces requests under one key: at most 10 a second, from two gateways sharing a store", () =>
    Effect.gen(function*() {
      const store = yield* Layer.build(RateLimiter.layerStoreMemory)
      const shared = Layer.succeedContext(store)
      const a = yield* gatewayOver(accepted, { store: shared })
      const b = yield* gatewayOver(accepted, { store: shared })
      const fiber = yield* Effect.forkChild(Effect.all(
        Array.from({ length: 15 }, (_, i) => (i % 2 === 0 ? a : b).gateway.send({ to: TO, content: `n${i}` })),
        { concurrency: "unbounded" }
      ))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      const times = [...(yield* a.requests), ...(yield* b.requests)].map((r) => r.at).sort((x, y) => x - y)
      assert.strictEqual(times.length, 15)
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0))
      assert.isTrue(gaps.every((gap) => gap >= 110), JSON.stringify(gaps))
    }).pipe(Effect.scoped))

  it.effect("a 429 with Retry-After holds back the other processes sharing the key too", () =>
    Effect.gen(function*() {
      const store = yield* Layer.build(RateLimiter.layerStoreMemory)
      const shared = Layer.succeedContext(store)
      const a = yield* gatewayOver((request, i) => (i === 0 ? { ...error(429), headers: { "retry-after": "5" } } : accepted(request)), {
        store: shared
      })
      const b = yield* gatewayOver(accepted, { store: shared })
      const first = yield* Effect.forkChild(a.gateway.send({ to: TO, content: "a" }))
      yield* TestClock.adjust("200 millis")
      const second = yield* Effect.forkChild(b.gateway.send({ to: TO, content: "b" }))
      yield* TestClock.adjust("4 seconds")
      assert.strictEqual((yield* b.requests).length, 0, "b waits for the cool-down a's 429 started")
      for (let i = 0; i < 5; i++) yield* TestClock.adjust("1 second")
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      assert.isAtLeast((yield* b.requests)[0]?.at ?? 0, 5000)
    }).pipe(Effect.scoped))

  it.effect("a request already holding a slot still waits when a 429 arrives before it leaves", () =>
    Effect.gen(function*() {
      const store = yield* Layer.build(RateLimiter.layerStoreMemory)
      const shared = Layer.succeedContext(store)
      const a = yield* gatewayOver((request, i) => (i === 0 ? { ...error(429), headers: { "retry-after": "5" } } : accepted(request)), {
        store: shared
      })
      const b = yield* gatewayOver(accepted, { store: shared })
      // Both take slots at once: a the first, b the next one, 110 ms later.
      const both = yield* Effect.forkChild(Effect.all([a.gateway.send({ to: TO, content: "a" }), b.gateway.send({ to: TO, content: "b" })], {
        concurrency: "unbounded"
      }))
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* b.requests).length, 0, "b's slot came after a's 429: it waits for the cool-down")
      for (let i = 0; i < 6; i++) yield* TestClock.adjust("1 second")
      yield* Fiber.join(both)
      assert.isAtLeast((yield* b.requests)[0]?.at ?? 0, 5000)
    }).pipe(Effect.scoped))
})
