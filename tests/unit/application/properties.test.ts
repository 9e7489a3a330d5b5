import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import { ContactMerges } from "../../../application/contacts/contact-merges.ts"
import { Contacts } from "../../../application/contacts/contacts.ts"
import { Properties } from "../../../application/properties/properties.ts"
import { TestApplication } from "../../../application/testing/index.ts"
import { NewContact } from "../../../domain/contact-input.ts"
import { Actor } from "../../../domain/contact-merge-record.ts"
import { NewProperty, PropertyPatch } from "../../../domain/property/property.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const newProperty = Schema.decodeUnknownSync(NewProperty)
const patch = Schema.decodeUnknownSync(PropertyPatch)

describe("Properties", () => {
  it.effect("keeps the creation time and the match key in step with the address on update", () =>
    Effect.gen(function*() {
      const properties = yield* Properties
      const house = yield* properties.create(newProperty({ address: { line1: "5 South Pine Street", zip: "30301" }, apn: "ab-1" }))
      assert.strictEqual(house.apn, "AB-1")
      yield* TestClock.adjust("1 hour")
      const moved = yield* properties.update(house.id, patch({ address: { line1: "7 S Pine St" }, notes: "corner lot" }))
      assert.deepStrictEqual([moved.createdAt, moved.notes], [house.createdAt, "corner lot"])
      assert.notStrictEqual(moved.addressKey, house.addressKey)
      assert.isTrue(moved.updatedAt.epochMilliseconds > house.updatedAt.epochMilliseconds)
      // Its own APN again is no conflict.
      assert.strictEqual((yield* properties.update(house.id, patch({ apn: "AB-1" }))).apn, "AB-1")
      const conflict = yield* Effect.flip(properties.create(newProperty({ address: { line1: "9 Pine St" }, apn: " ab-1" })))
      assert.deepStrictEqual([conflict._tag, conflict._tag === "ApnInUse" && conflict.existingId], ["ApnInUse", house.id])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("a re-link keeps its primary flag unless told; a merged contact cannot be linked", () =>
    Effect.gen(function*() {
      const properties = yield* Properties
      const contacts = yield* Contacts
      const house = yield* properties.create(newProperty({ address: { line1: "1 Oak Ct" } }))
      const ann = yield* contacts.create(newContact({ firstName: "Ann" }))
      const first = yield* properties.link(house.id, { contactId: ann.id, role: "owner" })
      const again = yield* properties.link(house.id, { contactId: ann.id, role: "tenant" })
      assert.deepStrictEqual([again.id, again.role, again.isPrimary], [first.id, "tenant", true])
      const demoted = yield* properties.link(house.id, { contactId: ann.id, role: "tenant", isPrimary: false })
      assert.isFalse(demoted.isPrimary)

      const bob = yield* contacts.create(newContact({ firstName: "Bob" }))
      yield* (yield* ContactMerges).merge(ann.id, bob.id, new Actor({ tokenId: null, name: "unit test" }))
      const merged = yield* Effect.flip(properties.link(house.id, { contactId: bob.id, role: "owner" }))
      assert.deepStrictEqual([merged._tag, merged._tag === "InvalidPropertyInput" && merged.path], ["InvalidPropertyInput", "contactId"])
      const cy = yield* contacts.create(newContact({ firstName: "Cy" }))
      yield* contacts.remove(cy.id)
      const missing = yield* Effect.flip(properties.listForContact(cy.id, { limit: 10, after: undefined }))
      assert.strictEqual(missing._tag, "ContactNotFound")
    }).pipe(Effect.provide(TestApplication)))
})
