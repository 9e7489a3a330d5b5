import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import fc from "fast-check"
import { ContactFields } from "../../../domain/contact.ts"
import { PropertyFields } from "../../../domain/property/property.ts"
import type { ColumnMapping } from "../../../domain/import/import-fields.ts"
import { addCounts, countOutcomes, emptyCounts, RowOutcome, totalOf } from "../../../domain/import/import-job.ts"
import { mapRow, type MappedRow, NO_NAME_NO_PHONE, type RowMapping } from "../../../domain/import/row-mapping.ts"

const GENERIC: ColumnMapping = {
  fullName: ["Name"],
  firstName: ["First"],
  lastName: ["Last"],
  phone: ["Phone", "Phone 2"],
  email: ["Email", "Email 2"],
  company: ["Company"],
  street: ["Street"],
  street2: ["Unit"],
  city: ["City"],
  state: ["State"],
  zip: ["Zip"],
  tags: ["Tags"],
  notes: ["Notes"]
}

const PROPERTY: ColumnMapping = {
  fullName: ["Primary Name"],
  phone: ["Primary Mobile Phone1"],
  secondaryFullName: ["Secondary Name"],
  secondaryPhone: ["Secondary Mobile Phone1"],
  propertyStreet: ["Address"],
  propertyZip: ["ZIP"],
  apn: ["APN"],
  yearBuilt: ["Yr Built"],
  squareFeet: ["Sq Ft"],
  baths: ["Baths"],
  estimatedValue: ["Est Value"],
  estimatedEquity: ["Est Equity $"],
  estimatedEquityPercent: ["Est Equity %"],
  ownerOccupied: ["Owner Occ?"],
  purchaseDate: ["Purchase Date"],
  latitude: ["Latitude"]
}

const mapped = (result: RowMapping): MappedRow => {
  assert.strictEqual(result._tag, "Mapped", JSON.stringify(result))
  return result._tag === "Mapped" ? result : { _tag: "Mapped", contacts: [], property: null }
}

describe("row mapping: contacts", () => {
  it("build a contact with normalised phone, email, address and tags", () => {
    const row = mapped(mapRow({
      Name: "JOHN SMITH", Phone: "(339) 222-4624 x12", Email: " John@Example.COM ", Street: "5 Elm St", Unit: "Apt 2",
      City: "Quincy", State: "MA", Zip: "02169", Tags: "Lead; Spring | lead", Notes: " called twice "
    }, GENERIC))
    assert.deepStrictEqual(row.contacts, [{
      slot: "primary",
      fields: {
        firstName: "John", lastName: "Smith", phone: "+13392224624", phoneExtension: "12", email: "john@example.com",
        company: null, address: { street: "5 Elm St, Apt 2", city: "Quincy", state: "MA", postalCode: "02169" },
        tags: ["lead", "spring"], notes: "called twice"
      }
    }])
    assert.isNull(row.property)
  })

  it("prefer first and last name cells to a full name", () => {
    const row = mapped(mapRow({ Name: "Bob Jones", First: "ROBERT", Last: "JONES" }, GENERIC))
    assert.strictEqual(row.contacts[0]?.fields.firstName, "Robert")
  })

  it("make the second person of a household a second contact", () => {
    const row = mapped(mapRow({ Name: "SMITH, JOHN & MARY", Phone: "339-222-4624" }, GENERIC))
    assert.deepStrictEqual(row.contacts.map((c) => [c.slot, c.fields.firstName, c.fields.lastName, c.fields.phone]), [
      ["primary", "John", "Smith", "+13392224624"],
      ["secondary", "Mary", "Smith", null]
    ])
  })

  it("name a company contact after the company", () => {
    const row = mapped(mapRow({ Name: "ACME HOLDINGS LLC", Phone: "339-222-4624" }, GENERIC))
    assert.deepStrictEqual([row.contacts[0]?.fields.firstName, row.contacts[0]?.fields.company], ["Acme Holdings LLC", "Acme Holdings LLC"])
  })

  it("name a phone-only contact after the phone", () => {
    const row = mapped(mapRow({ Phone: "339-222-4624" }, GENERIC))
    assert.strictEqual(row.contacts[0]?.fields.firstName, "(339) 222-4624")
  })

  it("keep further phones and emails in notes rather than drop them", () => {
    const row = mapped(mapRow({ Name: "Ann Lee", Phone: "339-222-4624", "Phone 2": "781-316-1658", Email: "a@x.com", "Email 2": "b@x.com" }, GENERIC))
    assert.strictEqual(row.contacts[0]?.fields.notes, "Also: +17813161658, b@x.com")
  })

  it("use a later valid phone when the first is not a number, keeping the bad one in notes", () => {
    const row = mapped(mapRow({ Name: "Ann Lee", Phone: "n/a", "Phone 2": "781-316-1658" }, GENERIC))
    assert.deepStrictEqual([row.contacts[0]?.fields.phone, row.contacts[0]?.fields.notes], ["+17813161658", "Also: n/a"])
  })

  it("drop a secondary that repeats the primary", () => {
    const row = mapped(mapRow({ "Primary Name": "JON LINKER", "Primary Mobile Phone1": "339-222-4624", "Secondary Name": "Jon Linker" }, PROPERTY))
    assert.strictEqual(row.contacts.length, 1)
  })
})

describe("row mapping: rejections and skips", () => {
  it.each([
    [{ Name: "Ann", Phone: "555-123-4567" }, "phone", "Phone", "Not an assigned phone number (check the area code)"],
    [{ Name: "Ann", Phone: "12345" }, "phone", "Phone", "Wrong number of digits for a phone number"],
    [{ Name: "Ann", Email: "ann at example" }, "email", "Email", "Not an email address (expected name@example.com)"],
    [{ Name: "x".repeat(101) }, "fullName", "Name", "First name longer than 100 characters"],
    [{ First: "Ann", Last: "y".repeat(101) }, "lastName", "Last", "Last name longer than 100 characters"],
    [{ Name: "Ann", City: "c".repeat(101) }, "city", "City", "Longer than 100 characters"]
  ] as const)("reject %j on %s", (values, field, column, reason) => {
    const result = mapRow(values, GENERIC)
    assert.deepStrictEqual(result._tag === "Rejected" ? [result.field, result.column, result.reason] : result, [field, column, reason])
  })

  it.each([
    [{ Name: "Ann", "Sq Ft": "big", Address: "1 Elm St" }, "squareFeet", "Expected a whole number"],
    [{ Name: "Ann", "Est Value": "lots", Address: "1 Elm St" }, "estimatedValue", "Expected an amount in dollars such as $123,456.78"],
    [{ Name: "Ann", "Owner Occ?": "maybe", Address: "1 Elm St" }, "ownerOccupied", "Expected yes or no (1/0, Y/N, true/false)"],
    [{ Name: "Ann", "Purchase Date": "2021-02-30", Address: "1 Elm St" }, "purchaseDate", "Expected a date such as 2017-07-28 or 7/28/2017"],
    [{ Name: "Ann", ZIP: "ABCDE", Address: "1 Elm St" }, "propertyZip", "Expected a US ZIP code: 5 digits, or ZIP+4"],
    [{ Name: "Ann", Latitude: "95", Address: "1 Elm St" }, "latitude", "Expected a number from -90 to 90"]
  ] as const)("reject a bad property fact %j on %s", (values, field, reason) => {
    const result = mapRow(values, { ...PROPERTY, fullName: ["Name"] })
    assert.deepStrictEqual(result._tag === "Rejected" ? [result.field, result.reason] : result, [field, reason])
  })

  it.each([{}, { Email: "ann@example.com" }, { Name: "  ", Phone: "", Tags: "vip" }])("skip %j: no name and no phone", (values) => {
    assert.deepStrictEqual(mapRow(values, GENERIC), { _tag: "Skipped", reason: NO_NAME_NO_PHONE })
  })
})

describe("row mapping: property", () => {
  it("parse PropertyRadar's money, percentages, flags, dates and numbers", () => {
    const row = mapped(mapRow({
      "Primary Name": "JON LINKER", Address: "455 Middle Street", ZIP: "02184-1234", APN: " brai-001 ", "Yr Built": "1954",
      "Sq Ft": "2,050", Baths: "2.5", "Est Value": "$767,509", "Est Equity $": "($12,500.50)", "Est Equity %": "52.5%",
      "Owner Occ?": "1", "Purchase Date": "7/28/2017", Latitude: "42.211216"
    }, PROPERTY))
    const property = row.property
    assert.deepStrictEqual(property?.addressKey, "455 MIDDLE ST|02184")
    assert.deepStrictEqual(property?.fields.address, { line1: "455 Middle Street", line2: null, city: null, state: null, zip: "02184" })
    assert.deepStrictEqual(
      [property?.fields.apn, property?.fields.yearBuilt, property?.fields.squareFeet, property?.fields.baths,
        property?.fields.estimatedValueCents, property?.fields.estimatedEquityCents, property?.fields.estimatedEquityPercent,
        property?.fields.ownerOccupied, property?.fields.purchaseDate, property?.fields.latitude],
      ["BRAI-001", 1954, 2050, 2.5, 76_750_900, -1_250_050, 52.5, true, "2017-07-28", 42.211216]
    )
  })

  it("keep a property with no owner named", () => {
    const row = mapped(mapRow({ Address: "1 Elm St", ZIP: "02169" }, PROPERTY))
    assert.deepStrictEqual([row.contacts.length, row.property?.addressKey], [0, "1 ELM ST|02169"])
  })

  it("make no property without an address or APN", () => {
    const row = mapped(mapRow({ "Primary Name": "Ann Lee", "Yr Built": "1954" }, PROPERTY))
    assert.isNull(row.property)
  })
})

describe("outcome counts", () => {
  it("add up to the rows read, however the outcomes fall and batches split", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...RowOutcome.literals), { maxLength: 200 }), fc.nat(200), (outcomes, cut) => {
      const whole = countOutcomes(outcomes)
      assert.strictEqual(totalOf(whole), outcomes.length)
      const split = addCounts(countOutcomes(outcomes.slice(0, cut)), countOutcomes(outcomes.slice(cut)))
      assert.deepStrictEqual(split, whole)
    }))
    assert.strictEqual(totalOf(emptyCounts), 0)
  })

  const isContact = Schema.is(ContactFields)
  const isProperty = Schema.is(PropertyFields)

  it("map every row to storable records, a rejection or a skip", () => {
    const cell = fc.oneof(
      fc.constantFrom("", "339-222-4624", "555", "JOHN SMITH", "SMITH, & ", "Mr", "ACME LLC", "a@b.co", "bad@", "$1,000", "x", "(0)"),
      fc.string({ maxLength: 8 })
    )
    fc.assert(fc.property(fc.record({ Name: cell, Phone: cell, Email: cell, Address: cell, "Sq Ft": cell }), (values) => {
      const result = mapRow(values, { ...PROPERTY, fullName: ["Name"], phone: ["Phone"], email: ["Email"] })
      assert.include(["Mapped", "Rejected", "Skipped"], result._tag)
      if (result._tag !== "Mapped") return
      assert.isTrue(result.contacts.length > 0 || result.property !== null)
      for (const contact of result.contacts) {
        assert.isTrue(isContact(contact.fields))
        assert.match(contact.fields.firstName, /\S/u)
      }
      if (result.property !== null) assert.isTrue(isProperty(result.property.fields))
    }))
  })
})
