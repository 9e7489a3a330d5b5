import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { RecipientTimeZone } from "../../../application/ports/recipient-time-zone.ts"

/** The business zone both runners configure, not the default, so the fallback is seen to follow configuration. */
export const SUITE_BUSINESS_ZONE = "America/Denver"

const zoneOf = (phone: string, state: string | null = null) =>
  RecipientTimeZone.use((zones) => zones.zoneFor({ phone, state })).pipe(
    Effect.map((chosen) => ({ zone: chosen.zone.id, zones: chosen.zones.map((zone) => zone.id), source: chosen.source }))
  )

/**
 * What every RecipientTimeZone does (application/ports/recipient-time-zone.ts):
 * phone prefix first, then the address's state, then the business zone; an
 * address settles a prefix that spans a zone line. Numbers are ones the fixed
 * double's table knows (212, 617, 310, 808, 208) and toll-free 800, which names
 * no zone anywhere.
 */
export const recipientTimeZoneSuite = <E>(name: string, zones: Layer.Layer<RecipientTimeZone, E>) =>
  layer(zones)(name, (it) => {
    it.effect("keeps the configured business zone", () =>
      Effect.gen(function*() {
        assert.strictEqual((yield* RecipientTimeZone).businessZone.id, SUITE_BUSINESS_ZONE)
      }))

    it.effect("takes the zone from the number's area code", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* zoneOf("+12125550100"), { zone: "America/New_York", zones: ["America/New_York"], source: "phone" })
        assert.deepStrictEqual(yield* zoneOf("+13105550100"), { zone: "America/Los_Angeles", zones: ["America/Los_Angeles"], source: "phone" })
        assert.deepStrictEqual(yield* zoneOf("+18085550100"), { zone: "Pacific/Honolulu", zones: ["Pacific/Honolulu"], source: "phone" })
      }))

    it.effect("trusts the number over an address in another zone", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* zoneOf("+16175550100", "CA"), { zone: "America/New_York", zones: ["America/New_York"], source: "phone" })
      }))

    it.effect("gives every zone of an area code on a zone line, unless the address settles it", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* zoneOf("+12085550100"), {
          zone: "America/Boise",
          zones: ["America/Boise", "America/Los_Angeles"],
          source: "phone"
        })
        // The state by code or by name; one outside the prefix's zones settles nothing.
        assert.deepStrictEqual((yield* zoneOf("+12085550100", "ID")).zones, ["America/Boise"])
        assert.deepStrictEqual((yield* zoneOf("+12085550100", "Oregon")).zones, ["America/Los_Angeles"])
        assert.deepStrictEqual((yield* zoneOf("+12085550100", "TX")).zones, ["America/Boise", "America/Los_Angeles"])
      }))

    it.effect("falls back to the address's state for a number with no zone, then to the business zone", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* zoneOf("+18005550100", "Hawaii"), { zone: "Pacific/Honolulu", zones: ["Pacific/Honolulu"], source: "address" })
        assert.deepStrictEqual(yield* zoneOf("not a number", " tx "), { zone: "America/Chicago", zones: ["America/Chicago"], source: "address" })
        assert.deepStrictEqual(yield* zoneOf("+18005550100", "Atlantis"), { zone: SUITE_BUSINESS_ZONE, zones: [SUITE_BUSINESS_ZONE], source: "business" })
        assert.deepStrictEqual(yield* zoneOf("+18005550100"), { zone: SUITE_BUSINESS_ZONE, zones: [SUITE_BUSINESS_ZONE], source: "business" })
      }))
  })
