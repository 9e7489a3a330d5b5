import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import type { OpenPhoneConfig } from "../../adapters/openphone/openphone-config.ts"
import { makeOpenPhoneGateway } from "../../adapters/openphone/openphone-gateway.ts"
import { fakeOpenPhone } from "../support/fake-openphone.ts"
import { FAKE_KEY, testOpenPhoneConfig } from "../support/openphone-test-config.ts"

// The live adapter over real sockets to the fake provider, failing as the
// issue's fault test needs: what matters is that the provider takes each text
// at most once, whatever the adapter was told.
const gateway = (config: OpenPhoneConfig) =>
  makeOpenPhoneGateway(config, FAKE_KEY).pipe(
    Effect.provide(Layer.merge(FetchHttpClient.layer, RateLimiter.layer.pipe(Layer.provide(RateLimiter.layerStoreMemory))))
  )
const fast = { requestsPerSecond: 100, spacingMargin: Duration.zero, retryBase: Duration.millis(5), retryMaxDelay: Duration.millis(20) }

describe("OpenPhone adapter under provider faults", () => {
  it.live("with 30% of sends failing, each text is taken at most once and the adapter knows which", () =>
    Effect.gen(function*() {
      const fake = yield* fakeOpenPhone({ failureRatio: { ratio: 0.3, seed: 3 } })
      const sms = yield* gateway(testOpenPhoneConfig(fake.url, { ...fast, maxRetries: 1 }))
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 40 }, (_, i) => `text ${i}`),
        (content) => sms.send({ to: "+15125550160", content }).pipe(Effect.result),
        { concurrency: 8 }
      )
      const accepted = outcomes.flatMap((o) => (o._tag === "Success" ? [o.success.text] : []))
      const failed = outcomes.flatMap((o) => (o._tag === "Failure" ? [o.failure.reason] : []))
      assert.deepStrictEqual([...new Set(failed)], failed.length === 0 ? [] : ["provider-error"])
      // With one retry, a text fails only if both tries did (about 9%).
      assert.isBelow(failed.length, 10)
      assert.deepStrictEqual(fake.received().map((m) => m.text).sort(), [...accepted].sort())
    }).pipe(Effect.scoped))

  it.live("a send answered too late times out and is not sent again; the provider has it once", () =>
    Effect.gen(function*() {
      const fake = yield* fakeOpenPhone()
      const sms = yield* gateway(testOpenPhoneConfig(fake.url, { ...fast, requestTimeout: Duration.millis(300) }))
      fake.fail({ mode: { kind: "slow", millis: 1_000 }, times: 1 })
      const failure = yield* sms.send({ to: "+15125550161", content: "in doubt" }).pipe(Effect.flip)
      assert.strictEqual(failure.reason, "timeout")
      assert.deepStrictEqual(fake.received().map((m) => m.text), ["in doubt"])
      assert.strictEqual(fake.stats().sends, 1)
      // What reconcile does next: look it up instead of sending again.
      const found = yield* sms.listMessages({ participant: "+15125550161", maxResults: 10 })
      assert.deepStrictEqual(found.messages.map((m) => m.text), ["in doubt"])
    }).pipe(Effect.scoped))

  it.live("a read that hangs is retried, then reported as a timeout", () =>
    Effect.gen(function*() {
      const fake = yield* fakeOpenPhone()
      const sms = yield* gateway(testOpenPhoneConfig(fake.url, { ...fast, requestTimeout: Duration.millis(200), maxRetries: 2 }))
      fake.fail({ mode: { kind: "hang" }, on: "all" })
      const failure = yield* sms.listPhoneNumbers.pipe(Effect.flip)
      assert.strictEqual(failure.reason, "timeout")
      assert.strictEqual(fake.stats().requests, 3)
    }).pipe(Effect.scoped))
})
