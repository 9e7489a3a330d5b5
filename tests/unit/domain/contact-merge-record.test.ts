import { describe, expect, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import { Actor, ContactMergeRecord, ReferenceMove } from "../../../domain/contact-merge-record.ts"

const ID = "0190a0b0-0000-7000-8000-0000000000a1"
const OTHER = "0190a0b0-0000-7000-8000-0000000000a2"

const contact = {
  id: ID, firstName: "Ann", lastName: "Lee", phone: "+14155552671", phoneExtension: "12",
  email: "ann@example.com", company: "Acme", address: { street: "1 Main St", city: null, state: null, postalCode: null },
  tags: ["vip"], notes: "Dog in yard", status: "active", mergedIntoId: null,
  createdAt: DateTime.makeUnsafe("2026-11-01T00:00:00Z"), updatedAt: DateTime.makeUnsafe("2026-11-02T00:00:00Z")
}
const sources = {
  firstName: "primary", lastName: "secondary", phone: "primary", phoneExtension: "primary", email: "primary",
  company: "primary", address: "primary", tags: "both", notes: "primary"
}
const move = { table: "customers", column: "primary_contact_id", rowIds: ["r1", "r2"] }
const stored = {
  id: OTHER, primaryId: ID, secondaryId: OTHER, mergedAt: DateTime.makeUnsafe("2026-11-03T00:00:00Z"),
  mergedBy: { tokenId: "t1", name: "ci token" },
  primaryBefore: contact, secondaryBefore: contact, primaryAfter: contact, secondaryAfter: contact,
  fieldSources: sources, movedReferences: [move], undoneAt: null, undoneBy: null
}

describe("reference moves", () => {
  it("keep the table, column and moved row ids", () => {
    const decoded = Schema.decodeUnknownSync(ReferenceMove)(move)
    expect(decoded).toBeInstanceOf(ReferenceMove)
    expect({ ...decoded }).toStrictEqual(move)
  })

  it.each([
    ["a missing table", { column: "c", rowIds: [] }, /table/],
    ["a column that is not text", { table: "t", column: 1, rowIds: [] }, /column/],
    ["row ids that are not text", { table: "t", column: "c", rowIds: [1] }, /rowIds/],
    ["row ids that are not a list", { table: "t", column: "c", rowIds: "r1" }, /rowIds/]
  ])("refuse %s", (_, input, where) => {
    expect(() => Schema.decodeUnknownSync(ReferenceMove)(input)).toThrow(where)
  })

  it("are checked inside a merge record", () => {
    expect(() => Schema.decodeUnknownSync(ContactMergeRecord)({ ...stored, movedReferences: [{ table: "t", column: "c" }] }))
      .toThrow(/movedReferences/)
  })
})

describe("merge records", () => {
  it("decode whole, with an undo's time and actor", () => {
    const undone = { ...stored, undoneAt: DateTime.makeUnsafe("2026-11-04T00:00:00Z"), undoneBy: { tokenId: null, name: "cli" } }
    const record = Schema.decodeUnknownSync(ContactMergeRecord)(undone)
    expect(record.undoneBy).toBeInstanceOf(Actor)
    expect({ ...record.undoneBy }).toStrictEqual({ tokenId: null, name: "cli" })
    expect(record.movedReferences.map((m) => ({ ...m }))).toStrictEqual([move])
    expect(Schema.encodeSync(ContactMergeRecord)(record).movedReferences).toStrictEqual([move])
  })

  // The class identifiers name the definitions of the generated JSON Schema
  // and the instances' printed form (logs).
  it("name their parts in the JSON Schema and when printed", () => {
    const document = Schema.toJsonSchemaDocument(ContactMergeRecord)
    expect(document.schema).toStrictEqual({ $ref: "#/$defs/ContactMergeRecordEncoded" })
    expect(Object.keys(document.definitions)).toEqual(
      expect.arrayContaining(["ActorEncoded", "ReferenceMoveEncoded", "ContactMergeRecordEncoded"])
    )
    expect(String(new Actor({ tokenId: null, name: "cli" }))).toBe(`Actor({"tokenId":null,"name":"cli"})`)
    expect(String(new ReferenceMove({ table: "t", column: "c", rowIds: ["r"] })))
      .toBe(`ReferenceMove({"table":"t","column":"c","rowIds":["r"]})`)
  })
})
