import { createHmac } from "node:crypto"
import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Redacted, Result } from "effect"
import { TestClock } from "effect/testing"
import {
  type SignedRequest,
  verifyWebhook,
  verifyWebhookSignature,
  type WebhookKey,
  webhookKey
} from "../../../adapters/openphone/webhook-signature.ts"

// Signatures are computed here with node:crypto, independently of the code
// under test, from the schemes in shared/reference/openphone-facts.md.
const SECRET = "c2lnbmluZy1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXM=" // base64, as the app shows it
const KEY_BYTES = Buffer.from(SECRET, "base64")
const key: WebhookKey = Result.getOrThrow(webhookKey(Redacted.make(SECRET)))
const body = JSON.stringify({
  id: "EV123",
  object: "event",
  apiVersion: "v4",
  createdAt: "2026-05-01T12:00:00.000Z",
  type: "message.received",
  data: { object: { id: "AC123", from: "+14155552671", to: ["+12127365000"], direction: "incoming", text: "STOP" } }
})

// The docs' example header is `hmac;1;1639710054089;mw1K4f...`: a millisecond timestamp.
const legacyTs = 1639710054089
const legacyNow = DateTime.makeUnsafe(legacyTs)
const legacySignature = (ts: number | string, raw: string, bytes: Buffer = KEY_BYTES) =>
  createHmac("sha256", bytes).update(`${ts}.${raw}`).digest("base64")
const legacyHeader = (ts: number | string = legacyTs, raw = body) => `hmac;1;${ts};${legacySignature(ts, raw)}`

const request = (headers: Record<string, string>, rawBody = body): SignedRequest => ({
  header: (name) => headers[name],
  rawBody
})
const reasonOf = (result: ReturnType<typeof verifyWebhookSignature>) =>
  Result.isFailure(result) ? result.failure.reason : "valid"

describe("legacy openphone-signature", () => {
  it("accepts the docs' header format signed over `<timestamp>.<raw body>` with the base64-decoded key", () => {
    const result = verifyWebhookSignature(key, request({ "openphone-signature": legacyHeader() }), legacyNow)
    expect(Result.getOrThrow(result)).toEqual({ scheme: "legacy", deliveryId: null, timestamp: legacyNow })
  })

  it("refuses a tampered body, another key, or a signature over a re-serialised body", () => {
    const header = legacyHeader()
    expect(reasonOf(verifyWebhookSignature(key, request({ "openphone-signature": header }, body.replace("STOP", "START")), legacyNow)))
      .toBe("bad-signature")
    const otherKey = `hmac;1;${legacyTs};${legacySignature(legacyTs, body, Buffer.from("another key"))}`
    expect(reasonOf(verifyWebhookSignature(key, request({ "openphone-signature": otherKey }), legacyNow))).toBe("bad-signature")
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    expect(reasonOf(verifyWebhookSignature(key, request({ "openphone-signature": header }, pretty), legacyNow))).toBe("bad-signature")
    // The raw key text (not decoded) is not the key.
    const undecoded = `hmac;1;${legacyTs};${legacySignature(legacyTs, body, Buffer.from(SECRET))}`
    expect(reasonOf(verifyWebhookSignature(key, request({ "openphone-signature": undecoded }), legacyNow))).toBe("bad-signature")
  })

  it("refuses a timestamp more than 5 minutes old or ahead, but not one exactly 5 minutes off", () => {
    const verify = (now: DateTime.Utc) => reasonOf(verifyWebhookSignature(key, request({ "openphone-signature": legacyHeader() }), now))
    expect(verify(DateTime.add(legacyNow, { minutes: 5 }))).toBe("valid")
    expect(verify(DateTime.add(legacyNow, { minutes: 5, milliseconds: 1 }))).toBe("stale-timestamp")
    expect(verify(DateTime.subtract(legacyNow, { minutes: 5 }))).toBe("valid")
    expect(verify(DateTime.subtract(legacyNow, { minutes: 5, milliseconds: 1 }))).toBe("future-timestamp")
  })

  it("reads a timestamp too short for milliseconds as seconds", () => {
    const seconds = Math.floor(legacyTs / 1000)
    const result = verifyWebhookSignature(key, request({ "openphone-signature": legacyHeader(seconds) }), legacyNow)
    expect(Result.getOrThrow(result).timestamp).toEqual(DateTime.makeUnsafe(seconds * 1000))
  })

  it.each([
    ["no scheme", `1;${legacyTs};abc=`],
    ["another scheme", `sha1;1;${legacyTs};${legacySignature(legacyTs, body)}`],
    ["another version", `hmac;2;${legacyTs};${legacySignature(legacyTs, body)}`],
    ["a non-numeric timestamp", `hmac;1;yesterday;${legacySignature("yesterday", body)}`],
    ["no signature", `hmac;1;${legacyTs};`],
    ["a signature that is not base64", `hmac;1;${legacyTs};not base64!`],
    ["an extra field", `${legacyHeader()};x`]
  ])("calls a header with %s malformed", (_, header) => {
    expect(reasonOf(verifyWebhookSignature(key, request({ "openphone-signature": header }), legacyNow))).toBe("malformed-header")
  })

  it("calls a request without any signature header missing-header", () => {
    expect(reasonOf(verifyWebhookSignature(key, request({}), legacyNow))).toBe("missing-header")
  })
})

describe("Standard Webhooks headers", () => {
  // The Standard Webhooks specification's published test vector (also Svix's).
  const vector = {
    key: Result.getOrThrow(webhookKey(Redacted.make("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))),
    headers: {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    },
    body: "{\"test\": 2432232314}",
    now: DateTime.makeUnsafe(1614265330 * 1000)
  }
  const standardNow = DateTime.makeUnsafe("2026-05-01T12:00:00Z")
  const standardTs = String(DateTime.toEpochMillis(standardNow) / 1000)
  const standardHeaders = (raw = body, id = "msg_2abc", ts = standardTs) => ({
    "webhook-id": id,
    "webhook-timestamp": ts,
    "webhook-signature": `v1,${createHmac("sha256", KEY_BYTES).update(`${id}.${ts}.${raw}`).digest("base64")}`
  })

  it("accepts the specification's test vector", () => {
    const result = verifyWebhookSignature(vector.key, request(vector.headers, vector.body), vector.now)
    expect(Result.getOrThrow(result)).toEqual({ scheme: "standard", deliveryId: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: vector.now })
  })

  it("accepts a delivery signed over `<id>.<timestamp>.<raw body>`, among several signatures (key rotation)", () => {
    const headers = standardHeaders()
    const rotated = { ...headers, "webhook-signature": `v1,bm90IHRoaXMgb25l v1a,ignored ${headers["webhook-signature"]}` }
    expect(reasonOf(verifyWebhookSignature(key, request(headers), standardNow))).toBe("valid")
    expect(reasonOf(verifyWebhookSignature(key, request(rotated), standardNow))).toBe("valid")
  })

  it("refuses a tampered body, a changed id or a signature with another key", () => {
    const headers = standardHeaders()
    expect(reasonOf(verifyWebhookSignature(key, request(headers, `${body} `), standardNow))).toBe("bad-signature")
    expect(reasonOf(verifyWebhookSignature(key, request({ ...headers, "webhook-id": "msg_other" }), standardNow))).toBe("bad-signature")
    expect(reasonOf(verifyWebhookSignature(vector.key, request(headers), standardNow))).toBe("bad-signature")
  })

  it("refuses a timestamp more than 5 minutes old or ahead", () => {
    const old = standardHeaders(body, "msg_old", String(Number(standardTs) - 301))
    const ahead = standardHeaders(body, "msg_new", String(Number(standardTs) + 301))
    const edge = standardHeaders(body, "msg_edge", String(Number(standardTs) - 300))
    expect(reasonOf(verifyWebhookSignature(key, request(old), standardNow))).toBe("stale-timestamp")
    expect(reasonOf(verifyWebhookSignature(key, request(ahead), standardNow))).toBe("future-timestamp")
    expect(reasonOf(verifyWebhookSignature(key, request(edge), standardNow))).toBe("valid")
    // The specification's vector is years old now.
    expect(reasonOf(verifyWebhookSignature(vector.key, request(vector.headers, vector.body), standardNow))).toBe("stale-timestamp")
  })

  it("calls a partial set of headers missing and a bad one malformed", () => {
    const { "webhook-id": _, ...noId } = standardHeaders()
    expect(reasonOf(verifyWebhookSignature(key, request(noId), standardNow))).toBe("missing-header")
    const headers = standardHeaders()
    expect(reasonOf(verifyWebhookSignature(key, request({ ...headers, "webhook-timestamp": "soon" }), standardNow)))
      .toBe("malformed-header")
    expect(reasonOf(verifyWebhookSignature(key, request({ ...headers, "webhook-timestamp": "1777636800000" }), standardNow)))
      .toBe("malformed-header") // milliseconds where seconds belong
    expect(reasonOf(verifyWebhookSignature(key, request({ ...headers, "webhook-signature": "v2,abc=" }), standardNow)))
      .toBe("malformed-header")
  })
})

describe("webhookKey", () => {
  it("takes base64, with or without the whsec_ prefix, and refuses anything else", () => {
    expect(Result.isSuccess(webhookKey(Redacted.make(`whsec_${SECRET}`)))).toBe(true)
    expect(Result.isFailure(webhookKey(Redacted.make("not a key!")))).toBe(true)
    expect(Result.isFailure(webhookKey(Redacted.make("")))).toBe(true)
  })
})

describe("verifyWebhook", () => {
  it.effect("checks the timestamp against Effect's Clock", () =>
    Effect.gen(function*() {
      const signed = request({ "openphone-signature": legacyHeader() })
      yield* TestClock.setTime(legacyTs + 60_000)
      assert.strictEqual((yield* verifyWebhook(key, signed)).scheme, "legacy")
      yield* TestClock.setTime(legacyTs + 10 * 60_000)
      assert.strictEqual((yield* Effect.flip(verifyWebhook(key, signed))).reason, "stale-timestamp")
    }))
})
