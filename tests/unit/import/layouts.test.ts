import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { detectLayout, MappingInput, mappingFor, OUTLOOK, resolveLayout } from "../../../domain/import/layouts.ts"

const PROPERTYRADAR_HEADERS = (
  "Type, Address, City, ZIP, APN, Yr Built, Sq Ft, Beds, Baths, Est Value, Est Equity $, Est Equity %, Owner Occ?, " +
  "Listed for Sale?, Foreclosure?, Mail Address, Primary Name, Primary Mobile Phone1, Primary Email1, Secondary Name, " +
  "Secondary Mobile Phone1, Secondary Email1"
).split(", ")

const GOOGLE_2023 = [
  "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Nickname", "File As", "E-mail 1 - Label", "E-mail 1 - Value",
  "Phone 1 - Label", "Phone 1 - Value", "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
  "Address 1 - Region", "Address 1 - Postal Code", "Organization Name", "Labels", "Notes"
]

const layoutOf = (headers: ReadonlyArray<string>) => {
  const result = detectLayout(headers)
  return Result.isSuccess(result) ? result.success.layout : result.failure._tag
}

describe("layout detection", () => {
  it.each([
    [PROPERTYRADAR_HEADERS, "propertyradar"],
    [["First name", "Last name", "Role", "Company", "Phone number", "Email", "Address"], "openphone"],
    [GOOGLE_2023, "google"],
    [["Name", "Given Name", "Family Name", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value"], "google"],
    [["Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Home Street", "Mobile Phone", "E-mail Address", "Categories"], "outlook"],
    [["Customer", "Company", "Phone", "Email", "Billing Address Line 1", "Open Balance"], "quickbooks"],
    [["Customer", "Bill Address 1", "Bill City", "Main Phone", "Main Email", "Balance Total"], "quickbooks"],
    [["first_name", "LAST NAME", "Cell Phone", "E-Mail"], "generic"],
    [["Name", "Phone", "Email"], "generic"],
    [["SKU", "Price", "Qty"], "UnknownLayout"],
    [[], "UnknownLayout"]
  ] as const)("detect %j as %s", (headers, expected) => {
    assert.strictEqual(layoutOf(headers), expected)
  })

  it("map PropertyRadar's owners, phones and property facts to its headers", () => {
    const result = detectLayout(PROPERTYRADAR_HEADERS)
    assert.isTrue(Result.isSuccess(result))
    const mapping = Result.isSuccess(result) ? result.success.mapping : {}
    assert.deepStrictEqual(mapping.fullName, ["Primary Name"])
    assert.deepStrictEqual(mapping.secondaryPhone, ["Secondary Mobile Phone1"])
    assert.deepStrictEqual(mapping.estimatedEquity, ["Est Equity $"])
    assert.deepStrictEqual(mapping.estimatedEquityPercent, ["Est Equity %"])
    assert.deepStrictEqual(mapping.ownerOccupied, ["Owner Occ?"])
    assert.deepStrictEqual(mapping.propertyStreet, ["Address"])
    assert.deepStrictEqual(Result.isSuccess(result) ? result.success.unmappedHeaders : [], [])
  })

  it("match headers ignoring case and spacing, keeping the file's spelling", () => {
    assert.deepStrictEqual(mappingFor(OUTLOOK, ["first  name ", "MOBILE PHONE", "Home Phone"]), {
      firstName: ["first  name "],
      phone: ["MOBILE PHONE", "Home Phone"]
    })
  })

  it("list the headers no field reads", () => {
    const result = detectLayout(["Name", "Phone", "Favourite colour"])
    assert.deepStrictEqual(Result.isSuccess(result) ? result.success.unmappedHeaders : null, ["Favourite colour"])
  })
})

describe("explicit mapping", () => {
  const headers = ["Proprietor", "Cellular", "Landline", "Site Address", "SKU"]

  it("map a file no layout knows", () => {
    const result = resolveLayout(headers, { mapping: { fullName: "Proprietor", phone: ["Cellular", "Landline"], propertyStreet: "site address" } })
    assert.deepStrictEqual(Result.isSuccess(result) ? result.success : null, {
      layout: "custom",
      score: 0,
      mapping: { fullName: ["Proprietor"], phone: ["Cellular", "Landline"], propertyStreet: ["Site Address"] },
      unmappedHeaders: ["SKU"]
    })
  })

  it("read header -> field entries too, several headers adding up", () => {
    const result = resolveLayout(headers, { mapping: { Proprietor: "fullName", Cellular: "phone", Landline: "phone" } })
    assert.deepStrictEqual(Result.isSuccess(result) ? result.success.mapping : null, { fullName: ["Proprietor"], phone: ["Cellular", "Landline"] })
  })

  it("override and unmap fields of a detected layout", () => {
    const result = resolveLayout(["Name", "Phone", "Email", "Mobile"], { mapping: { phone: "Mobile", email: null } })
    assert.deepStrictEqual(Result.isSuccess(result) ? result.success : null, {
      layout: "generic",
      score: 0,
      mapping: { fullName: ["Name"], phone: ["Mobile"] },
      unmappedHeaders: ["Phone", "Email"]
    })
  })

  it("force a layout", () => {
    const result = resolveLayout(["Name", "Phone"], { layout: "quickbooks" })
    assert.strictEqual(Result.isSuccess(result) ? result.success.layout : null, "quickbooks")
  })

  it.each([
    [{ shoeSize: "SKU" }, "shoeSize", "Unknown field"],
    [{ phone: "Fax" }, "phone", "The file has no column \"Fax\""],
    [{ tags: "SKU" }, "mapping", "Map at least a name, company or phone column"]
  ] as const)("refuse %j naming %s", (mapping, field, message) => {
    const result = resolveLayout(headers, { mapping })
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.strictEqual(result.failure._tag, "InvalidMapping")
      assert.strictEqual(result.failure._tag === "InvalidMapping" ? result.failure.field : "", field)
      assert.include(result.failure.message, message)
    }
  })

  it("decode mapping JSON with the shared schema", () => {
    const decode = Schema.decodeUnknownSync(MappingInput)
    assert.deepStrictEqual(decode({ phone: ["A", "B"], email: null }), { phone: ["A", "B"], email: null })
    assert.throws(() => decode({ phone: 1 }))
  })
})
