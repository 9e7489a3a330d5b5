import { Config, Context, Effect, Layer, Schema } from "effect"

/**
 * The default rate: the architecture spec this project follows prices 100 one-segment
 * messages at $5.00. OpenPhone (Quo) US/CA lists $0.01 a segment
 * (shared/reference/external-apis-facts.md sections 1.3 and 3.1); set
 * `SMS_PRICE_PER_SEGMENT_CENTS=1` for the real rate.
 */
export const DEFAULT_SMS_PRICE_PER_SEGMENT_CENTS = 5

const CentsPerSegment = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/** What a segment costs; campaigns multiply it by each message's segments (integer cents, never floats). */
export class SmsPricing extends Context.Service<SmsPricing, {
  readonly centsPerSegment: number
  /** The cost of a message of `segments` segments, in cents. */
  readonly priceSegments: (segments: number) => number
}>()("crm/domain/campaigns/SmsPricing") {
  /** The rate from `SMS_PRICE_PER_SEGMENT_CENTS` (a whole number of cents, 0 or more), 5 by default. */
  static readonly layer = Layer.effect(
    SmsPricing,
    Effect.gen(function*() {
      const cents = yield* Config.schema(CentsPerSegment, "SMS_PRICE_PER_SEGMENT_CENTS").pipe(
        Config.withDefault(DEFAULT_SMS_PRICE_PER_SEGMENT_CENTS)
      )
      return SmsPricing.of(smsPricingAt(cents))
    })
  )

  /** A fixed rate for tests, 5 cents by default. */
  static readonly layerTest = (centsPerSegment: number = DEFAULT_SMS_PRICE_PER_SEGMENT_CENTS) =>
    Layer.succeed(SmsPricing, SmsPricing.of(smsPricingAt(centsPerSegment)))
}

const smsPricingAt = (centsPerSegment: number) => ({
  centsPerSegment,
  priceSegments: (segments: number) => segments * centsPerSegment
})
