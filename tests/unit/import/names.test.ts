import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { isCompanyName, type ParsedName, splitName, splitNameParts, titleCaseName } from "../../../domain/import/names.ts"

const people = (...names: ReadonlyArray<readonly [string, string | null]>): ParsedName => ({
  _tag: "People",
  people: names.map(([firstName, lastName]) => ({ firstName, lastName }))
})

describe("name splitting", () => {
  it.each<readonly [string, ParsedName]>([
    ["SMITH, JOHN & MARY", people(["John", "Smith"], ["Mary", "Smith"])],
    ["LINKER,JON J & AIMEE C", people(["Jon J", "Linker"], ["Aimee C", "Linker"])],
    ["Smith, John and Mary", people(["John", "Smith"], ["Mary", "Smith"])],
    ["JOHN SMITH", people(["John", "Smith"])],
    ["John and Mary Smith", people(["John", "Smith"], ["Mary", "Smith"])],
    ["John Smith & Mary Jones", people(["John", "Smith"], ["Mary", "Jones"])],
    ["Mr and Mrs John Smith", people(["John", "Smith"])],
    ["Dr. Jane Q. Public", people(["Jane Q.", "Public"])],
    ["MRS MARY SMITH", people(["Mary", "Smith"])],
    ["ROBERT MCDONALD", people(["Robert", "McDonald"])],
    ["Robert McDONALD", people(["Robert", "McDonald"])],
    ["PATRICK O'BRIEN", people(["Patrick", "O'Brien"])],
    ["MARY SMITH-JONES", people(["Mary", "Smith-Jones"])],
    ["John Smith Jr.", people(["John", "Smith Jr."])],
    ["John Smith, Jr", people(["John", "Smith Jr."])],
    ["SMITH JR, JOHN", people(["John", "Smith Jr."])],
    ["Henry Ford III", people(["Henry", "Ford III"])],
    ["JOHN SMITH SR", people(["John", "Smith Sr."])],
    ["Mary Van Buren", people(["Mary", "Van Buren"])],
    ["luis de la cruz", people(["Luis", "De La Cruz"])],
    ["DeShawn Jackson", people(["DeShawn", "Jackson"])],
    ["CHER", people(["Cher", null])],
    ["SMITH JOHN ET AL", people(["Smith", "John"])],
    ["  ", { _tag: "Empty" }],
    ["---", { _tag: "Empty" }]
  ])("split %j", (input, expected) => {
    expect(splitName(input)).toEqual(expected)
  })

  it.each([
    ["ACME HOLDINGS LLC", "Acme Holdings LLC"],
    ["SMITH FAMILY TRUST", "Smith Family Trust"],
    ["First National Bank", "First National Bank"],
    ["HARBOR REALTY INC.", "Harbor Realty Inc."],
    ["Oak Street Partners, LP", "Oak Street Partners, LP"]
  ])("keep %j as the company %j", (input, company) => {
    expect(splitName(input)).toEqual({ _tag: "Company", company })
  })

  it("tell companies from people by whole words", () => {
    expect(isCompanyName("Incognito Smith")).toBe(false)
    expect(isCompanyName("Trustworthy Bankston")).toBe(false)
    expect(isCompanyName("Smith Bros Inc")).toBe(true)
  })

  it("join first and last name cells, splitting a household in the first", () => {
    expect(splitNameParts("JOHN & MARY", "SMITH")).toEqual(people(["John", "Smith"], ["Mary", "Smith"]))
    expect(splitNameParts("Mr. Robert", "McDONALD Jr")).toEqual(people(["Robert", "McDonald Jr."]))
    expect(splitNameParts("", "SMITH")).toEqual(people(["Smith", null]))
    expect(splitNameParts("Jane", "")).toEqual(people(["Jane", null]))
    expect(splitNameParts("", "")).toEqual({ _tag: "Empty" })
    expect(splitNameParts("Acme", "Holdings LLC")).toEqual({ _tag: "Company", company: "Acme Holdings LLC" })
  })

  it("title-case shouting and all-lower input, keep mixed case as written", () => {
    expect(titleCaseName("MARY-KATE O'NEIL")).toBe("Mary-Kate O'Neil")
    expect(titleCaseName("john mcdonald")).toBe("John McDonald")
    expect(titleCaseName("Ludwig van Beethoven")).toBe("Ludwig van Beethoven")
  })

  it("never invent or drop letters when title-casing", () => {
    // Suffixes gain a full stop ("JR" -> "Jr."); letters are what must survive.
    const letters = (text: string) => text.replace(/\./gu, "").toLowerCase()
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z' -]{0,30}$/u), (name) => {
      const cased = titleCaseName(name)
      expect(letters(cased)).toBe(letters(name.split(" ").filter((w) => w.length > 0).join(" ")))
      expect(titleCaseName(cased)).toBe(cased)
    }))
  })
})
