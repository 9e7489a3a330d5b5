import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { pickVariant, variantPoint } from "../../../../domain/campaigns/variant.ts"
import { testUuid } from "../../../../application/testing/test-ids.ts"

const CAMPAIGN = "01890f3e-7d2a-7c4b-9a10-4b5f6c7d8e9f"
/** Ids as the live generator makes them: UUIDv7s that differ mostly in their last characters. */
const contacts = Array.from({ length: 10_000 }, (_, i) => testUuid(i + 1))

const shares = (weights: ReadonlyArray<number>, campaign = CAMPAIGN, ids = contacts) => {
  const counts = weights.map(() => 0)
  for (const contact of ids) counts[pickVariant(campaign, contact, weights)]! += 1
  return counts.map((count) => count / ids.length)
}

describe("pickVariant", () => {
  it("gives a contact the same variant every time, and may give it another in another campaign", () => {
    fc.assert(fc.property(fc.uuid(), fc.uuid(), (campaign, contact) =>
      pickVariant(campaign, contact, [1, 1]) === pickVariant(campaign, contact, [1, 1])
    ))
    const inA = contacts.slice(0, 200).map((contact) => pickVariant(CAMPAIGN, contact, [1, 1]))
    const inB = contacts.slice(0, 200).map((contact) => pickVariant("another-campaign", contact, [1, 1]))
    expect(inA).not.toEqual(inB)
  })

  // Binomial, n = 10,000: one standard deviation of a 50% share is 0.5 points; 2 points is 4 sigma.
  it("splits 10,000 sequential contact ids 50/50 and 70/30 within 2 points", () => {
    const even = shares([1, 1])
    expect(Math.abs(even[0]! - 0.5)).toBeLessThan(0.02)
    const weighted = shares([70, 30])
    expect(Math.abs(weighted[0]! - 0.7)).toBeLessThan(0.02)
    const another = shares([1, 1], "0190aaaa-0000-7000-8000-000000000001")
    expect(Math.abs(another[0]! - 0.5)).toBeLessThan(0.02)
  })

  it("puts everyone in a single variant, and no one in a variant weighted 0", () => {
    const some = contacts.slice(0, 1000)
    expect(shares([5], CAMPAIGN, some)).toEqual([1])
    expect(shares([0, 3], CAMPAIGN, some)).toEqual([0, 1])
    expect(shares([2, 0], CAMPAIGN, some)).toEqual([1, 0])
  })

  it("spreads the point over [0, 1)", () => {
    // Ten buckets, each within 2 points of 10%.
    const buckets = Array.from({ length: 10 }, () => 0)
    let outside = 0
    for (const contact of contacts) {
      const point = variantPoint(CAMPAIGN, contact)
      if (point < 0 || point >= 1) outside += 1
      else buckets[Math.floor(point * 10)]! += 1
    }
    expect(outside).toBe(0)
    for (const count of buckets) expect(Math.abs(count / contacts.length - 0.1)).toBeLessThan(0.02)
  })
})
