import { describe, expect, it } from "@effect/vitest"
import { DateTime } from "effect"
import { chooseRecipientZone, stateTimeZone } from "../../../../domain/campaigns/recipient-zone.ts"

const BUSINESS = DateTime.zoneMakeNamedUnsafe("America/New_York")
const choose = (phoneZones: ReadonlyArray<string> | null, state: string | null = null) => {
  const chosen = chooseRecipientZone({ phoneZones, state, businessZone: BUSINESS })
  return { zone: chosen.zone.id, zones: chosen.zones.map((zone) => zone.id), source: chosen.source }
}

describe("chooseRecipientZone", () => {
  it("takes the phone number's zone over the address's", () => {
    expect(choose(["Pacific/Honolulu"], "MA")).toEqual({ zone: "Pacific/Honolulu", zones: ["Pacific/Honolulu"], source: "phone" })
  })

  it("lets the address pick among a prefix's zones, and keeps them all when it cannot", () => {
    const idaho = ["America/Boise", "America/Los_Angeles"]
    expect(choose(idaho, "ID")).toEqual({ zone: "America/Boise", zones: ["America/Boise"], source: "phone" })
    expect(choose(idaho, "Idaho")).toMatchObject({ zones: ["America/Boise"] })
    expect(choose(idaho, null)).toEqual({ zone: "America/Boise", zones: idaho, source: "phone" })
    expect(choose(idaho, "TX")).toEqual({ zone: "America/Boise", zones: idaho, source: "phone" })
  })

  it("falls back to the address's state when the number says nothing or names a whole country's zones", () => {
    expect(choose(null, "CA")).toEqual({ zone: "America/Los_Angeles", zones: ["America/Los_Angeles"], source: "address" })
    // A toll-free +1 800 number maps to every NANP zone.
    const everyZone = ["America/Adak", "America/Anchorage", "America/Chicago", "America/Denver", "America/New_York"]
    expect(choose(everyZone, "hawaii")).toMatchObject({ zone: "Pacific/Honolulu", source: "address" })
    // A zone name the runtime does not know is no zone.
    expect(choose(["Mars/Olympus_Mons"], "HI")).toMatchObject({ zone: "Pacific/Honolulu", source: "address" })
  })

  it("falls back to the business's zone last", () => {
    expect(choose(null, null)).toEqual({ zone: "America/New_York", zones: ["America/New_York"], source: "business" })
    expect(choose([], "Narnia")).toMatchObject({ zone: "America/New_York", source: "business" })
  })
})

describe("stateTimeZone", () => {
  it("knows states and territories by postal code or name, in any case and spacing", () => {
    expect(stateTimeZone("ma")).toBe("America/New_York")
    expect(stateTimeZone(" New  Mexico ")).toBe("America/Denver")
    expect(stateTimeZone("AZ")).toBe("America/Phoenix")
    expect(stateTimeZone("PR")).toBe("America/Puerto_Rico")
    expect(stateTimeZone("Ontario")).toBeUndefined()
    expect(stateTimeZone(null)).toBeUndefined()
  })
})
