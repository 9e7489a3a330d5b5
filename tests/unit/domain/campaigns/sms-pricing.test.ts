import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { SmsPricing } from "../../../../domain/campaigns/sms-pricing.ts"

const withEnv = (env: Record<string, string>) =>
  SmsPricing.layer.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(env))))

describe("SmsPricing", () => {
  it.effect("charges 5 cents a segment by default: 100 one-segment texts cost $5.00", () =>
    Effect.gen(function*() {
      const pricing = yield* SmsPricing
      assert.strictEqual(pricing.centsPerSegment, 5)
      assert.strictEqual(pricing.priceSegments(100), 500)
      assert.strictEqual(pricing.priceSegments(0), 0)
    }).pipe(Effect.provide(withEnv({}))))

  it.effect("reads the rate from SMS_PRICE_PER_SEGMENT_CENTS (OpenPhone US/CA lists 1 cent)", () =>
    Effect.gen(function*() {
      const pricing = yield* SmsPricing
      assert.strictEqual(pricing.priceSegments(3), 3)
    }).pipe(Effect.provide(withEnv({ SMS_PRICE_PER_SEGMENT_CENTS: "1" }))))

  it.effect("refuses a rate that is not a whole number of cents, 0 or more", () =>
    Effect.gen(function*() {
      for (const rate of ["1.5", "-1", "five"]) {
        const pricing = Effect.gen(function*() {
          return yield* SmsPricing
        })
        const failed = yield* Effect.flip(Effect.provide(pricing, withEnv({ SMS_PRICE_PER_SEGMENT_CENTS: rate })))
        assert.include(String(failed), "SMS_PRICE_PER_SEGMENT_CENTS", rate)
      }
    }))

  it.effect("has a fixed test layer", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* SmsPricing).priceSegments(7), 14)
    }).pipe(Effect.provide(SmsPricing.layerTest(2))))
})
