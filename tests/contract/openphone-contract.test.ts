import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Layer, Option, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import type { OpenPhoneConfig } from "../../adapters/openphone/openphone-config.ts"
import { makeOpenPhoneGateway } from "../../adapters/openphone/openphone-gateway.ts"
import { FAKE_NUMBER, type FakeOpenPhone, fakeOpenPhone } from "../support/fake-openphone.ts"
import { FAKE_KEY, testOpenPhoneConfig } from "../support/openphone-test-config.ts"
import { openPhoneSpec } from "../support/openphone-spec.ts"

const spec = openPhoneSpec()
const TO = "+15125550142"

// Many requests, so the spacing is shortened; what is checked is their shape, not their pace.
const fast = (fake: FakeOpenPhone, overrides: Partial<OpenPhoneConfig> = {}) =>
  testOpenPhoneConfig(fake.url, { requestsPerSecond: 100, spacingMargin: Duration.zero, retryBase: Duration.millis(5), ...overrides })

const gateway = (config: OpenPhoneConfig, key = FAKE_KEY) =>
  makeOpenPhoneGateway(config, key).pipe(
    Effect.provide(Layer.merge(FetchHttpClient.layer, RateLimiter.layer.pipe(Layer.provide(RateLimiter.layerStoreMemory))))
  )

/** Every request the fake received and every answer it gave, held to the spec. */
const assertAllConform = (fake: FakeOpenPhone) => {
  const requestProblems = fake.requests().flatMap(spec.checkRequest)
  expect(requestProblems, "requests the adapter sent").toEqual([])
  // The v1 spec defines no 429 (the limit is in Quo's rate-limit docs), so those answers are not checked.
  const responseProblems = fake.responses().filter((r) => r.status !== 429).flatMap(spec.checkResponse)
  expect(responseProblems, "answers the fake gave").toEqual([])
  return new Set(fake.responses().map((r) => `${r.method} ${r.path} ${r.status}`))
}

describe("OpenPhone adapter against the published v1 spec", () => {
  it.live("every request of the adapter's operations, and every success answer, conforms", () =>
    Effect.gen(function*() {
      const fake = yield* fakeOpenPhone()
      fake.addIncoming(TO, "Is Tuesday OK?", new Date(Date.now() - 60_000))
      const byNumber = yield* gateway(fast(fake))
      const byId = yield* gateway(fast(fake, { from: Option.some(FAKE_NUMBER.id) }))
      const firstOfAccount = yield* gateway(fast(fake, { from: Option.none() }))

      assert.strictEqual((yield* byNumber.businessNumber).id, FAKE_NUMBER.id)
      yield* byNumber.send({ to: TO, content: "Tuesday works ✓" })
      yield* byId.send({ to: TO, content: "See you then" })
      yield* firstOfAccount.send({ to: TO, content: "👍".repeat(1600) })
      const now = yield* DateTime.now
      const page = yield* byNumber.listMessages({
        participant: TO,
        maxResults: 2,
        createdAfter: DateTime.subtractDuration(now, Duration.hours(1)),
        createdBefore: DateTime.addDuration(now, Duration.hours(1))
      })
      assert.strictEqual(page.messages.length, 2)
      const rest = yield* byId.listMessages({ participant: TO, maxResults: 2, pageToken: Option.getOrUndefined(page.nextPageToken) })
      assert.deepStrictEqual(rest.messages.map((m) => m.direction), ["outgoing", "incoming"])
      const conversations = yield* byNumber.listConversations({ maxResults: 1, updatedAfter: DateTime.subtractDuration(now, Duration.days(1)) })
      assert.deepStrictEqual(conversations.conversations[0]?.participants, [TO])
      yield* byNumber.listPhoneNumbers

      const checked = assertAllConform(fake)
      for (const expected of ["POST /v1/messages 202", "GET /v1/messages 200", "GET /v1/phone-numbers 200", "GET /v1/conversations 200"]) {
        assert.isTrue(checked.has(expected), `${expected} was exercised`)
      }
    }).pipe(Effect.scoped))

  it.live("the fake's refusals are the spec's, and the adapter reads each as its reason", () =>
    Effect.gen(function*() {
      const fake = yield* fakeOpenPhone()
      // Long enough a wait to honour the 429's one-second Retry-After rather than give up at once.
      const sms = yield* gateway(fast(fake, { from: Option.some(FAKE_NUMBER.id), maxRetries: 1, retryMaxDelay: Duration.seconds(2) }))
      const cases = [
        [400, "a2p-not-approved"],
        [402, "insufficient-credits"],
        [403, "forbidden"],
        [404, "not-found"],
        [500, "provider-error"]
      ] as const
      for (const [status, reason] of cases) {
        fake.fail({ mode: { kind: "status", status }, times: 2 })
        const failure = yield* sms.send({ to: TO, content: "hello" }).pipe(Effect.flip)
        assert.deepStrictEqual([failure.reason, failure.status], [reason, status])
        fake.clearFaults()
      }
      fake.fail({ mode: { kind: "status", status: 500 }, on: "all", times: 2 })
      const listFailure = yield* sms.listMessages({ participant: TO, maxResults: 10 }).pipe(Effect.flip)
      assert.strictEqual(listFailure.reason, "provider-error")
      fake.fail({ mode: { kind: "status", status: 429, retryAfterSeconds: 1 }, times: 1 })
      yield* sms.send({ to: TO, content: "after a 429" })

      const wrongKey = yield* gateway(fast(fake, { from: Option.some(FAKE_NUMBER.id) }), Redacted.make("not-the-key"))
      const unauthorized = yield* wrongKey.send({ to: TO, content: "hello" }).pipe(Effect.flip)
      assert.deepStrictEqual([unauthorized.reason, unauthorized.status], ["unauthorized", 401])

      const checked = assertAllConform(fake)
      for (const status of [400, 401, 402, 403, 404, 500]) assert.isTrue(checked.has(`POST /v1/messages ${status}`), `${status} exercised`)
      assert.isTrue(checked.has("POST /v1/messages 429"))
      // Nothing refused was recorded: only the send after the 429 got through.
      assert.deepStrictEqual(fake.received().map((m) => m.text), ["after a 429"])
    }).pipe(Effect.scoped))
})

describe("the OpenPhone spec checker", () => {
  const send = { method: "POST", path: "/v1/messages", query: [], headers: { authorization: "key", "content-type": "application/json" }, at: 0 }
  it("refuses what the spec forbids, so a passing contract test means something", () => {
    expect(spec.checkRequest({ ...send, body: { content: "hi", from: FAKE_NUMBER.id, to: [TO] } })).toEqual([])
    expect(spec.checkRequest({ ...send, headers: { ...send.headers, authorization: "Bearer key" }, body: { content: "hi", from: FAKE_NUMBER.id, to: [TO] } })).toHaveLength(1)
    expect(spec.checkRequest({ ...send, body: { content: "hi", from: FAKE_NUMBER.id, to: [TO, "+15125550143"] } })).toHaveLength(1)
    expect(spec.checkRequest({ ...send, body: { content: "x".repeat(1601), from: FAKE_NUMBER.id, to: [TO] } })).toHaveLength(1)
    const list = { method: "GET", path: "/v1/messages", headers: { authorization: "key" }, body: null, at: 0 }
    expect(spec.checkRequest({ ...list, query: [["participants", TO], ["maxResults", "10"]] })).toHaveLength(1)
    expect(spec.checkRequest({ ...list, query: [["phoneNumberId", "PN1"], ["participants", TO], ["maxResults", "101"]] })).toHaveLength(1)
    expect(spec.checkRequest({ ...list, query: [["phoneNumberId", "PN1"], ["participants", TO], ["maxResults", "5"], ["limit", "5"]] })).toHaveLength(1)
    expect(spec.checkResponse({ method: "POST", path: "/v1/messages", status: 202, body: { data: { id: "AC1" } } })).toHaveLength(1)
    expect(spec.checkResponse({ method: "POST", path: "/v1/messages", status: 418, body: {} })).toHaveLength(1)
  })
})
