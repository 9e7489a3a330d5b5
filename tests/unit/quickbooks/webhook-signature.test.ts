import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted, Result } from "effect"
import {
  intuitSignature,
  QuickBooksWebhookVerifier,
  QuickBooksWebhookVerifierLive,
  verifyIntuitSignature
} from "../../../adapters/quickbooks/webhook-signature.ts"

const verifier = Redacted.make("12345678-aaaa-bbbb-cccc-1234567890ab")
const body = JSON.stringify({
  eventNotifications: [{
    realmId: "4620816365171360360",
    dataChangeEvent: { entities: [{ name: "Payment", id: "145", operation: "Create", lastUpdated: "2026-11-20T10:00:00.000Z" }] }
  }]
})

describe("intuit-signature", () => {
  it("accepts the base64 HMAC-SHA256 of the raw body keyed with the verifier token", () => {
    // Computed independently: printf '%s' "$body" | openssl dgst -sha256 -hmac "$verifier" -binary | base64
    const signature = "BltGTqjqM8HVAHmsw8cYS2mmt/5JNNDX1iyXKLNAbx8="
    assert.strictEqual(intuitSignature(verifier, body), signature)
    assert.isTrue(Result.isSuccess(verifyIntuitSignature(verifier, signature, body)))
    assert.isTrue(Result.isSuccess(verifyIntuitSignature(verifier, ` ${signature} `, body)))
  })

  it("refuses a missing, malformed or wrong signature, a changed body and another key", () => {
    const signature = intuitSignature(verifier, body)
    const reasons = [
      verifyIntuitSignature(verifier, undefined, body),
      verifyIntuitSignature(verifier, "", body),
      verifyIntuitSignature(verifier, "not base64!", body),
      verifyIntuitSignature(verifier, signature, body.replace("145", "146")),
      verifyIntuitSignature(verifier, signature, `${body} `),
      verifyIntuitSignature(Redacted.make("another-verifier"), signature, body),
      // A truncated digest must not pass as a prefix match.
      verifyIntuitSignature(verifier, Buffer.from(signature, "base64").subarray(0, 16).toString("base64"), body)
    ].map((result) => (Result.isFailure(result) ? result.failure.reason : "accepted"))
    assert.deepStrictEqual(reasons, [
      "missing-header",
      "missing-header",
      "malformed-header",
      "bad-signature",
      "bad-signature",
      "bad-signature",
      "bad-signature"
    ])
  })
})

const withConfig = (environment: Record<string, string>) =>
  QuickBooksWebhookVerifierLive.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(environment))))

describe("QuickBooksWebhookVerifierLive", () => {
  it.effect("verifies with QUICKBOOKS_WEBHOOK_VERIFIER", () =>
    Effect.gen(function*() {
      const live = yield* QuickBooksWebhookVerifier
      yield* live.verify(intuitSignature(verifier, body), body)
      const refused = yield* Effect.flip(live.verify(intuitSignature(Redacted.make("x"), body), body))
      assert.strictEqual(refused.reason, "bad-signature")
    }).pipe(Effect.provide(withConfig({ QUICKBOOKS_WEBHOOK_VERIFIER: Redacted.value(verifier) }))))

  it.effect("refuses every webhook when no verifier is configured (fail closed)", () =>
    Effect.gen(function*() {
      const live = yield* QuickBooksWebhookVerifier
      const refused = yield* Effect.flip(live.verify(intuitSignature(verifier, body), body))
      assert.strictEqual(refused.reason, "not-configured")
    }).pipe(Effect.provide(withConfig({}))))
})
