import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, DateTime, Effect, Exit, Layer } from "effect"
import { TestClock } from "effect/testing"
import { OpenPhoneWebhookVerifier, OpenPhoneWebhookVerifierLive } from "../../../adapters/openphone/webhook-verifier.ts"
import { legacySignature, WEBHOOK_KEY_BASE64 } from "../../support/webhook-signing.ts"

const withEnvironment = (environment: Record<string, string>) =>
  OpenPhoneWebhookVerifierLive.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(environment))))

const body = JSON.stringify({ id: "EV1", type: "message.received" })
const signedAt = DateTime.makeUnsafe("2026-06-01T09:00:00Z")
const request = (signature: string) => ({
  header: (name: string) => (name === "openphone-signature" ? signature : undefined),
  rawBody: body
})

describe("OpenPhoneWebhookVerifierLive", () => {
  it.effect("verifies with OPENPHONE_WEBHOOK_KEY on the Clock's time", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(signedAt) + 60_000)
      const verifier = yield* OpenPhoneWebhookVerifier
      const verified = yield* verifier.verify(request(legacySignature(body, DateTime.toEpochMillis(signedAt))))
      assert.strictEqual(verified.scheme, "legacy")
      yield* TestClock.adjust("5 minutes")
      const stale = yield* Effect.flip(verifier.verify(request(legacySignature(body, DateTime.toEpochMillis(signedAt)))))
      assert.strictEqual(stale.reason, "stale-timestamp")
    }).pipe(Effect.provide(withEnvironment({ OPENPHONE_WEBHOOK_KEY: WEBHOOK_KEY_BASE64 }))))

  it.effect("refuses everything when no key is set", () =>
    Effect.gen(function*() {
      const verifier = yield* OpenPhoneWebhookVerifier
      const refused = yield* Effect.flip(verifier.verify(request(legacySignature(body, 0))))
      assert.strictEqual(refused.message, "No webhook signing key is configured")
    }).pipe(Effect.provide(withEnvironment({}))))

  it.effect("stops the start-up on a key that is not base64", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.provide(Effect.service(OpenPhoneWebhookVerifier), withEnvironment({ OPENPHONE_WEBHOOK_KEY: "not base64!" })))
      assert.isTrue(Exit.isFailure(exit))
    }))
})
