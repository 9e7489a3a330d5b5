import { assert, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { v7 } from "uuid"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { ContactMerges } from "../../application/contacts/contact-merges.ts"
import { Contacts } from "../../application/contacts/contacts.ts"
import { Properties } from "../../application/properties/properties.ts"
import { NewContact } from "../../domain/contact-input.ts"
import { Actor } from "../../domain/contact-merge-record.ts"
import { NewProperty, type PropertyId } from "../../domain/property/property.ts"
import { testDatabase } from "../support/test-database.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const newProperty = Schema.decodeUnknownSync(NewProperty)
const actor = new Actor({ tokenId: null, name: "integration test" })
const page = { limit: 50, after: undefined }

// What only PostgreSQL shows: races on the APN and on the primary flag, and a
// merge through the catalog-driven mover. The repository's own behaviour is
// held to the in-memory one by the port suite (tests/integration/ports).
layer(applicationLayer(testDatabase()), { timeout: 60_000 })("properties on PostgreSQL", (it) => {
  it.effect("gives an APN to one of several concurrent creates, the others get ApnInUse", () =>
    Effect.gen(function*() {
      const properties = yield* Properties
      const apn = `RACE-${v7()}`
      const attempts = yield* Effect.all(
        Array.from({ length: 6 }, (_, i) => Effect.result(properties.create(newProperty({ address: { line1: `${i} Race St` }, apn })))),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(attempts.filter((r) => r._tag === "Success").length, 1)
      assert.deepStrictEqual(
        [...new Set(attempts.flatMap((r) => (r._tag === "Failure" ? [r.failure._tag] : [])))],
        ["ApnInUse"]
      )
    }))

  it.effect("keeps one primary when several contacts claim it at once", () =>
    Effect.gen(function*() {
      const properties = yield* Properties
      const contacts = yield* Contacts
      const house = yield* properties.create(newProperty({ address: { line1: `${v7()} Primary Ave` } }))
      const people = yield* Effect.all(Array.from({ length: 5 }, (_, i) => contacts.create(newContact({ firstName: `P${i}` }))))
      yield* Effect.all(
        people.map((person) => properties.link(house.id, { contactId: person.id, role: "owner", isPrimary: true })),
        { concurrency: "unbounded" }
      )
      const { links } = yield* properties.get(house.id)
      assert.strictEqual(links.length, 5)
      assert.strictEqual(links.filter((l) => l.isPrimary).length, 1)
    }))

  it.effect("a merge of two contacts linked to one property leaves one link on the primary; undo restores both", () =>
    Effect.gen(function*() {
      const properties = yield* Properties
      const contacts = yield* Contacts
      const merges = yield* ContactMerges
      const house = yield* properties.create(newProperty({ address: { line1: `${v7()} Shared Rd` } }))
      const cabin = yield* properties.create(newProperty({ address: { line1: `${v7()} Cabin Rd` } }))
      const primary = yield* contacts.create(newContact({ firstName: "Pat" }))
      const secondary = yield* contacts.create(newContact({ firstName: "Patricia" }))
      yield* properties.link(house.id, { contactId: primary.id, role: "owner" })
      yield* properties.link(house.id, { contactId: secondary.id, role: "owner" })
      yield* properties.link(cabin.id, { contactId: secondary.id, role: "tenant" })
      const ids = (id: typeof primary.id) =>
        Effect.map(properties.listForContact(id, page), (p) => p.items.map((row): PropertyId => row.property.id))

      const result = yield* merges.merge(primary.id, secondary.id, actor)
      assert.deepStrictEqual(
        result.merge.movedReferences.filter((m) => m.table === "contact_properties").map((m) => m.rowIds.length),
        [1]
      )
      assert.deepStrictEqual(yield* ids(primary.id), [house.id, cabin.id])
      // The secondary's own link stays behind it, and reads leave merged contacts out.
      assert.deepStrictEqual((yield* properties.get(house.id)).links.map((l) => l.contactId), [primary.id])

      yield* merges.undo(result.merge.id, actor)
      assert.deepStrictEqual(yield* ids(primary.id), [house.id])
      assert.deepStrictEqual(yield* ids(secondary.id), [house.id, cabin.id])
      const flags = (yield* properties.get(house.id)).links.map((l) => [l.contactId, l.isPrimary])
      assert.deepStrictEqual(flags, [[primary.id, true], [secondary.id, false]])
    }))
})
