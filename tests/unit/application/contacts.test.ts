import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import { Contacts } from "../../../application/contacts/contacts.ts"
import { TestApplication, testUuid } from "../../../application/testing/index.ts"
import { ContactId } from "../../../domain/contact.ts"
import { ContactPatch, NewContact } from "../../../domain/contact-input.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const patch = Schema.decodeUnknownSync(ContactPatch)
const page = { limit: 50, after: undefined }

describe("Contacts", () => {
  it.effect("creates a contact with a normalised phone, a lower-case email and fixed id and time", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-11-21T10:00:00Z"))
      const contacts = yield* Contacts
      const created = yield* contacts.create(
        newContact({ firstName: " Ann ", phone: "(415) 555-2671 ext 12", email: " Ann@Example.COM", tags: ["VIP", "vip"] })
      )
      assert.strictEqual(created.id, testUuid(1))
      assert.strictEqual(created.firstName, "Ann")
      assert.strictEqual(created.phone, "+14155552671")
      assert.strictEqual(created.phoneExtension, "12")
      assert.strictEqual(created.email, "ann@example.com")
      assert.deepStrictEqual(created.tags, ["vip"])
      assert.strictEqual(created.status, "active")
      assert.strictEqual(DateTime.formatIso(created.createdAt), "2026-11-21T10:00:00.000Z")
      assert.deepStrictEqual(yield* contacts.get(created.id), created)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses a second active contact with the same phone or email, naming the existing one", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const first = yield* contacts.create(newContact({ firstName: "Ann", phone: "415-555-2671", email: "ann@example.com" }))
      const byPhone = yield* Effect.flip(contacts.create(newContact({ firstName: "Annie", phone: "+1 415 555 2671" })))
      if (byPhone._tag !== "DuplicateContact") return assert.fail(`expected DuplicateContact, got ${byPhone._tag}`)
      assert.deepStrictEqual([byPhone.existingId, byPhone.field], [first.id, "phone"])
      const byEmail = yield* Effect.flip(contacts.create(newContact({ firstName: "A", email: "ANN@example.com" })))
      assert.strictEqual(byEmail._tag, "DuplicateContact")
      const other = yield* contacts.create(newContact({ firstName: "Bob" }))
      const onUpdate = yield* Effect.flip(contacts.update(other.id, patch({ email: "ann@example.com" })))
      assert.strictEqual(onUpdate._tag, "DuplicateContact")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("patches per RFC 7396: absent keeps, null clears, address merges key by key", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const created = yield* contacts.create(
        newContact({ firstName: "Ann", lastName: "Lee", phone: "4155552671 x7", address: { city: "Austin", state: "TX" } })
      )
      yield* TestClock.adjust(1000)
      const updated = yield* contacts.update(created.id, patch({ lastName: null, address: { street: "1 Main St" } }))
      assert.strictEqual(updated.firstName, "Ann")
      assert.isNull(updated.lastName)
      assert.deepStrictEqual({ ...updated.address }, { street: "1 Main St", city: "Austin", state: "TX", postalCode: null })
      assert.strictEqual(updated.phoneExtension, "7")
      assert.isTrue(DateTime.toEpochMillis(updated.updatedAt) > DateTime.toEpochMillis(created.updatedAt))
      const cleared = yield* contacts.update(created.id, patch({ phone: null }))
      assert.isNull(cleared.phone)
      assert.isNull(cleared.phoneExtension)
      const invalid = yield* Effect.flip(contacts.update(created.id, patch({ phoneExtension: "9" })))
      assert.strictEqual(invalid._tag, "InvalidContact")
      assert.strictEqual(invalid._tag === "InvalidContact" && invalid.path, "phoneExtension")
      assert.strictEqual(invalid.message, "An extension needs a phone number")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("lists in creation order with keyset pages and filters", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      for (const name of ["Ann", "Bob", "Cid", "Dee", "Eve"]) {
        yield* contacts.create(newContact({ firstName: name, tags: name < "C" ? ["lead"] : [] }))
      }
      const first = yield* contacts.list({}, { limit: 2, after: undefined })
      assert.deepStrictEqual(first.items.map((c) => c.firstName), ["Ann", "Bob"])
      const second = yield* contacts.list({}, { limit: 2, after: first.next })
      assert.deepStrictEqual(second.items.map((c) => c.firstName), ["Cid", "Dee"])
      const last = yield* contacts.list({}, { limit: 2, after: second.next })
      assert.deepStrictEqual(last.items.map((c) => c.firstName), ["Eve"])
      assert.isUndefined(last.next)
      const tagged = yield* contacts.list({ tag: "lead" }, page)
      assert.deepStrictEqual(tagged.items.map((c) => c.firstName), ["Ann", "Bob"])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("deletes a contact; a missing one is ContactNotFound", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const created = yield* contacts.create(newContact({ firstName: "Ann" }))
      yield* contacts.remove(created.id)
      const error = yield* Effect.flip(contacts.get(created.id))
      assert.strictEqual(error._tag, "ContactNotFound")
      const again = yield* Effect.flip(contacts.remove(ContactId.make(testUuid(99))))
      assert.strictEqual(again._tag, "ContactNotFound")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("finds duplicate pairs by phone, email and full name", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const ann = yield* contacts.create(newContact({ firstName: "Ann", lastName: "Lee" }))
      const annie = yield* contacts.create(newContact({ firstName: "ann", lastName: "LEE" }))
      yield* contacts.create(newContact({ firstName: "Ann" }))
      const result = yield* contacts.duplicates(page)
      assert.deepStrictEqual(
        result.items.map((p) => [p.contacts[0].id, p.contacts[1].id, p.reasons]),
        [[ann.id, annie.id, ["name"]]]
      )
    }).pipe(Effect.provide(TestApplication)))
})
