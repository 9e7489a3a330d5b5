import { describe, expect, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import { Actor, ContactMergeRecord } from "../../../domain/contact-merge-record.ts"
import { type Contact, contactFields, displayName, sameContactState } from "../../../domain/contact.ts"
import { duplicateReasons, nameKey } from "../../../domain/duplicates.ts"
import { OptionalText } from "../../../domain/text.ts"
import { IdInput, Uuid } from "../../../domain/uuid.ts"

const ID = "0190a0b0-0000-7000-8000-0000000000a1"
const OTHER = "0190a0b0-0000-7000-8000-0000000000a2"

const contact = (overrides: Partial<Contact> = {}): Contact => ({
  id: ID as Contact["id"], firstName: "Ann", lastName: "Lee", phone: "+14155552671", phoneExtension: "12",
  email: "ann@example.com", company: "Acme", address: { street: "1 Main St", city: null, state: null, postalCode: null },
  tags: ["vip"], notes: "Dog in yard", status: "active", mergedIntoId: null, source: null,
  createdAt: DateTime.makeUnsafe("2026-11-01T00:00:00Z"), updatedAt: DateTime.makeUnsafe("2026-11-02T00:00:00Z"),
  ...overrides
})

describe("contacts", () => {
  it("takes exactly the editable fields of a contact", () => {
    expect(contactFields(contact())).toStrictEqual({
      firstName: "Ann", lastName: "Lee", phone: "+14155552671", phoneExtension: "12", email: "ann@example.com",
      company: "Acme", address: { street: "1 Main St", city: null, state: null, postalCode: null }, tags: ["vip"], notes: "Dog in yard"
    })
    expect(displayName(contact())).toBe("Ann Lee")
    expect(displayName(contact({ lastName: null }))).toBe("Ann")
  })

  it("sees the same state whatever the timestamps, and any change of id, status, merge target or field", () => {
    const a = contact()
    expect(sameContactState(a, contact({ updatedAt: DateTime.makeUnsafe("2026-12-01T00:00:00Z") }))).toBe(true)
    const changes: ReadonlyArray<Partial<Contact>> = [
      { id: OTHER as Contact["id"] }, { status: "merged" }, { mergedIntoId: OTHER as Contact["id"] },
      { firstName: "Anne" }, { phoneExtension: null }, { tags: ["vip", "lead"] }, { notes: null }
    ]
    for (const change of changes) expect(sameContactState(a, contact(change)), JSON.stringify(change)).toBe(false)
  })
})

describe("duplicates", () => {
  it("keys a full name ignoring case and blanks; a first name alone has no key", () => {
    expect(nameKey({ firstName: " Ann ", lastName: "LEE " })).toBe("ann lee")
    expect(nameKey({ firstName: "Ann", lastName: null })).toBeNull()
  })

  it("gives each reason two contacts share, and none for missing values", () => {
    const a = contact()
    expect(duplicateReasons(a, contact({ firstName: "ANN", lastName: " lee" }))).toEqual(["phone", "email", "name"])
    expect(duplicateReasons(a, contact({ phone: "+12127365000", email: null, lastName: "Ng" }))).toEqual([])
    const empty = contact({ phone: null, email: null, lastName: null })
    expect(duplicateReasons(empty, { ...empty })).toEqual([])
    expect(duplicateReasons(contact({ email: null, lastName: null }), contact({ email: null, lastName: null }))).toEqual(["phone"])
    expect(duplicateReasons(contact({ phone: null, lastName: null }), contact({ phone: null, lastName: null }))).toEqual(["email"])
  })
})

describe("text and ids", () => {
  it("writes cleared optional text back as an empty string", () => {
    expect(Schema.encodeSync(OptionalText(10))(null)).toBe("")
    expect(Schema.encodeSync(OptionalText(10))("kept")).toBe("kept")
  })

  it("reads an id in any case as its lower-case form", () => {
    expect(Schema.decodeUnknownSync(IdInput(Uuid))(ID.toUpperCase())).toBe(ID)
    expect(Schema.encodeSync(IdInput(Uuid))(ID)).toBe(ID)
  })
})

describe("merge records", () => {
  it("keep who merged, what moved and where each field came from", () => {
    const encodedContact = contact()
    const sources = {
      firstName: "primary", lastName: "primary", phone: "primary", phoneExtension: "primary", email: "primary",
      company: "primary", address: "primary", tags: "primary", notes: "primary"
    }
    const stored = {
      id: OTHER, primaryId: ID, secondaryId: OTHER, mergedAt: DateTime.makeUnsafe("2026-11-03T00:00:00Z"),
      mergedBy: { tokenId: null, name: "cli" },
      primaryBefore: encodedContact, secondaryBefore: encodedContact, primaryAfter: encodedContact, secondaryAfter: encodedContact,
      fieldSources: sources, movedReferences: [{ table: "customers", column: "primary_contact_id", rowIds: ["r1"] }],
      undoneAt: null, undoneBy: null
    }
    const record = Schema.decodeUnknownSync(ContactMergeRecord)(stored)
    expect(record.mergedBy).toBeInstanceOf(Actor)
    expect({ ...record.mergedBy }).toStrictEqual({ tokenId: null, name: "cli" })
    expect(() => Schema.decodeUnknownSync(ContactMergeRecord)({ ...stored, mergedBy: { tokenId: null, name: 7 } })).toThrow(/name/)
    expect(record.movedReferences[0]?.rowIds).toEqual(["r1"])
    expect(record.fieldSources).toStrictEqual(sources)
  })
})
