import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  cleanName,
  DISPLAY_NAME_MAX,
  displayNameCandidate,
  ITEM_NAME_MAX,
  itemNameCandidate
} from "../../../domain/quickbooks/names.ts"

describe("QuickBooks name candidates", () => {
  it("tries the name, then the name with (2), (3) ...", () => {
    expect([1, 2, 3].map((attempt) => displayNameCandidate("Acme Foundations", attempt)))
      .toEqual(["Acme Foundations", "Acme Foundations (2)", "Acme Foundations (3)"])
    expect(itemNameCandidate("Crack injection", 12)).toBe("Crack injection (12)")
  })

  it("replaces ':' (QuickBooks' parent:child separator) and collapses tabs and line breaks", () => {
    expect(cleanName("  Acme:\tNorth\r\n  Branch ")).toBe("Acme- North Branch")
  })

  it("shortens the name to make room for the suffix, never cutting a character in two", () => {
    const long = "é".repeat(120)
    expect(Array.from(itemNameCandidate(long))).toHaveLength(ITEM_NAME_MAX)
    expect(itemNameCandidate(long, 2)).toBe(`${"é".repeat(96)} (2)`)
    expect(Array.from(itemNameCandidate("😀".repeat(120), 1)).every((char) => char === "😀")).toBe(true)
  })

  it("keeps every candidate within the limit, free of ':' and control characters", () => {
    const names = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 90, maxLength: 520 }))
    fc.assert(fc.property(names, fc.integer({ min: 1, max: 1000 }), (name, attempt) => {
      const display = displayNameCandidate(name, attempt)
      const item = itemNameCandidate(name, attempt)
      return Array.from(display).length <= DISPLAY_NAME_MAX && Array.from(item).length <= ITEM_NAME_MAX &&
        !/[:\t\r\n]/u.test(display + item)
    }), { numRuns: 60 })
  })
})
