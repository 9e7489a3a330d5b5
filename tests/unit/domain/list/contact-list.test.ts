import { describe, expect, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import {
  applyListPatch,
  type ContactList,
  ContactListId,
  dayRange,
  inRange,
  listNameKey,
  MemberFilterInput,
  memberFilter
} from "../../../../domain/list/contact-list.ts"

const decodeFilter = Schema.decodeUnknownSync(MemberFilterInput)
const ms = (iso: string) => Date.parse(iso)

const list: ContactList = {
  id: ContactListId.make("00000000-0000-7000-8000-000000000001"),
  name: "Spring",
  description: "From the fair",
  createdAt: DateTime.makeUnsafe(0),
  updatedAt: DateTime.makeUnsafe(0)
}

describe("contact lists", () => {
  it("turn inclusive UTC days into an instant range, from inclusive and to exclusive", () => {
    const february = dayRange("2026-02-01", "2026-02-28")
    expect(february).toEqual({ from: ms("2026-02-01T00:00:00Z"), to: ms("2026-03-01T00:00:00Z") })
    expect(inRange(february, ms("2026-02-01T00:00:00Z"))).toBe(true)
    expect(inRange(february, ms("2026-02-28T23:59:59.999Z"))).toBe(true)
    expect(inRange(february, ms("2026-01-31T23:59:59.999Z"))).toBe(false)
    expect(inRange(february, ms("2026-03-01T00:00:00Z"))).toBe(false)
    expect(dayRange(undefined, undefined)).toBeUndefined()
    expect(dayRange("2026-02-01", undefined)).toEqual({ from: ms("2026-02-01T00:00:00Z"), to: undefined })
    expect(dayRange(undefined, "2026-12-31")).toEqual({ from: undefined, to: ms("2027-01-01T00:00:00Z") })
    expect(inRange(undefined, 0)).toBe(true)
  })

  it("read a filter as clients send it: tags normalised, days as ranges, notOptedOut false as no condition", () => {
    const input = decodeFilter({ tag: " VIP ", createdFrom: "2026-01-01", importedTo: "2026-01-31", hasPhone: false, notOptedOut: false })
    expect(memberFilter(input)).toEqual({
      tag: "vip",
      created: { from: ms("2026-01-01T00:00:00Z"), to: undefined },
      imported: { from: undefined, to: ms("2026-02-01T00:00:00Z") },
      importId: undefined,
      hasPhone: false,
      notOptedOut: undefined
    })
    expect(memberFilter(decodeFilter({ notOptedOut: true })).notOptedOut).toBe(true)
    expect(memberFilter(decodeFilter({ importId: "0000000A-0000-7000-8000-000000000001" })).importId)
      .toBe("0000000a-0000-7000-8000-000000000001")
  })

  it("refuse a range that ends before it starts, but accept a single day", () => {
    expect(() => decodeFilter({ createdFrom: "2026-01-02", createdTo: "2026-01-01" })).toThrow("Is after createdTo")
    expect(() => decodeFilter({ importedFrom: "2026-01-02", importedTo: "2026-01-01" })).toThrow("Is after importedTo")
    expect(decodeFilter({ createdFrom: "2026-01-01", createdTo: "2026-01-01" })).toEqual({ createdFrom: "2026-01-01", createdTo: "2026-01-01" })
  })

  it("patch name and description, leaving out what is absent", () => {
    expect(applyListPatch(list, {})).toEqual({ name: "Spring", description: "From the fair" })
    expect(applyListPatch(list, { name: "Fall", description: null })).toEqual({ name: "Fall", description: null })
    expect(listNameKey("Spring Leads")).toBe(listNameKey("spring LEADS"))
  })
})
