import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { addressKey, normalizeAddressLine, zip5 } from "../../../domain/property/address.ts"

describe("address normalisation", () => {
  it.each([
    ["123 North Main Street", "123 N MAIN ST"],
    ["123 n. main st.", "123 N MAIN ST"],
    ["  123   N  Main   St ", "123 N MAIN ST"],
    ["456 Oak Avenue Apartment 4B", "456 OAK AVE # 4B"],
    ["456 OAK AVE APT 4B", "456 OAK AVE # 4B"],
    ["456 Oak Ave, Apt. #4B", "456 OAK AVE # 4B"],
    ["456 Oak Ave Unit 4B", "456 OAK AVE # 4B"],
    ["456 Oak Ave #4B", "456 OAK AVE # 4B"],
    ["10 Commerce Blvd Suite 200", "10 COMMERCE BLVD # 200"],
    ["10 Commerce Boulevard Ste 200", "10 COMMERCE BLVD # 200"],
    ["77 Southwest Harbor Parkway", "77 SW HBR PKWY"],
    ["9 O'Brien Circle", "9 OBRIEN CIR"],
    ["1 Café Court", "1 CAFE CT"],
    ["12-34 147th Road", "12-34 147TH RD"],
    ["5 1/2 Elm Street", "5 1/2 ELM ST"],
    ["8 Main St - Apt 3", "8 MAIN ST # 3"],
    ["8 Main St #", "8 MAIN ST"],
    ["1 Saint Charles Avenue", "1 ST CHARLES AVE"],
    ["1 St. Charles Ave", "1 ST CHARLES AVE"],
    ["5½ Elm St", "5 1/2 ELM ST"],
    ["", ""]
  ])("normalise %j to %j", (input, expected) => {
    expect(normalizeAddressLine(input)).toBe(expected)
  })

  it.each([
    ["78701", "78701"],
    ["78701-1234", "78701"],
    ["787011234", "78701"],
    [" 02169 ", "02169"],
    ["2169", "02169"],
    ["ABCDE", null],
    ["123", null],
    ["", null],
    [null, null]
  ])("ZIP5 of %j is %j", (input, expected) => {
    expect(zip5(input)).toBe(expected)
  })

  it("give equivalent spellings one key, units in either line", () => {
    const keys = new Set([
      addressKey("123 North Main Street", "Apartment 4", "02169-1234"),
      addressKey("123 N. Main St., Apt 4", null, "02169"),
      addressKey("123 n main st", "#4", "2169"),
      addressKey("123 NORTH MAIN ST UNIT 4", "", "02169")
    ])
    expect([...keys]).toEqual(["123 N MAIN ST # 4|02169"])
  })

  it("keep different houses apart", () => {
    expect(addressKey("123 Main St", null, "02169")).not.toBe(addressKey("125 Main St", null, "02169"))
    expect(addressKey("123 Main St", "Apt 1", "02169")).not.toBe(addressKey("123 Main St", "Apt 2", "02169"))
    expect(addressKey("123 Main St", null, "02169")).not.toBe(addressKey("123 Main St", null, "02170"))
  })

  const words = ["123", "North", "N.", "main", "MAIN", "Street", "st", "Apt", "apartment", "#", "4b", "Suite", "Ave", "Avenue",
    "O'Brien", "Café", "-", "/", ",", "Southwest", "sw", "Unit", "Court", "12-34"]
  const line = fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), { maxLength: 10 }).map((parts) => parts.join(" "))

  it("be idempotent", () => {
    fc.assert(fc.property(line, (input) => {
      const once = normalizeAddressLine(input)
      expect(normalizeAddressLine(once)).toBe(once)
    }))
  })

  it("ignore case, spacing and full stops", () => {
    fc.assert(fc.property(line, (input) => {
      const respaced = input.toLowerCase().replace(/ /gu, "  ").replace(/\b(st|ave|n)\b/giu, "$1.")
      expect(normalizeAddressLine(respaced)).toBe(normalizeAddressLine(input.toUpperCase()))
    }))
  })

  it("give long and short spellings of suffixes, directions and units one key", () => {
    const long = fc.record({
      number: fc.integer({ min: 1, max: 99_999 }),
      direction: fc.constantFrom(["North", "N"], ["South", "S"], ["Northeast", "NE"], ["West", "W"]),
      name: fc.constantFrom("Main", "Oak", "Elm", "Washington"),
      suffix: fc.constantFrom(["Street", "St"], ["Avenue", "Ave"], ["Boulevard", "Blvd"], ["Drive", "Dr"], ["Lane", "Ln"], ["Court", "Ct"]),
      unit: fc.constantFrom(["Apartment", "#"], ["Apt", "Unit"], ["Suite", "Ste"], ["#", "APT"]),
      door: fc.stringMatching(/^[0-9]{1,3}[A-D]?$/u)
    })
    fc.assert(fc.property(long, ({ number, direction, name, suffix, unit, door }) => {
      const a = addressKey(`${number} ${direction[0]} ${name} ${suffix[0]}`, `${unit[0]} ${door}`, "02169")
      const b = addressKey(`${number} ${direction[1]}. ${name.toUpperCase()} ${suffix[1]}. ${unit[1]}${door}`, null, "02169-0001")
      expect(a).toBe(b)
    }))
  })
})
