import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option, Ref, Schema } from "effect"
import { ContactMerges } from "../../../application/contacts/contact-merges.ts"
import { Contacts } from "../../../application/contacts/contacts.ts"
import { ContactMergeRepository } from "../../../application/ports/contact-merge-repository.ts"
import { MemoryStore, TestApplication, TestPorts, testUuid } from "../../../application/testing/index.ts"
import { ContactId } from "../../../domain/contact.ts"
import { Actor, ContactMergeId } from "../../../domain/contact-merge-record.ts"
import { ContactPatch, NewContact } from "../../../domain/contact-input.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const patch = Schema.decodeUnknownSync(ContactPatch)
const actor = new Actor({ tokenId: null, name: "unit test" })

const pair = Effect.gen(function*() {
  const contacts = yield* Contacts
  const primary = yield* contacts.create(newContact({ firstName: "Pat", phone: "+1 303 555 0188", tags: ["vip"] }))
  const secondary = yield* contacts.create(newContact({ firstName: "Patricia", lastName: "Moss", email: "pat@moss.example" }))
  return { contacts, merges: yield* ContactMerges, primary, secondary }
})

describe("ContactMerges", () => {
  it.effect("merges, recording who, the snapshots and each field's source, and moves the secondary's rows", () =>
    Effect.gen(function*() {
      const { merges, primary, secondary } = yield* pair
      const { state } = yield* MemoryStore
      yield* Ref.update(state, (s) => ({
        ...s,
        references: [
          { table: "messages", column: "contact_id", rowId: "m1", contactId: secondary.id },
          { table: "messages", column: "contact_id", rowId: "m2", contactId: primary.id }
        ]
      }))
      const result = yield* merges.merge(primary.id, secondary.id, actor)
      assert.strictEqual(result.primary.lastName, "Moss")
      assert.strictEqual(result.merge.mergedBy.name, "unit test")
      assert.deepStrictEqual(result.merge.secondaryBefore, secondary)
      assert.strictEqual(result.merge.fieldSources.email, "secondary")
      assert.deepStrictEqual(result.merge.movedReferences.map((m) => [m.table, m.rowIds]), [["messages", ["m1"]]])
      assert.isTrue((yield* Ref.get(state)).references.every((r) => r.contactId === primary.id))

      yield* merges.undo(result.merge.id, actor)
      const refs = (yield* Ref.get(state)).references
      assert.deepStrictEqual(refs.map((r) => [r.rowId, r.contactId]), [["m1", secondary.id], ["m2", primary.id]])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses self-merges, unknown contacts and merged contacts", () =>
    Effect.gen(function*() {
      const { merges, primary, secondary } = yield* pair
      assert.strictEqual((yield* Effect.flip(merges.merge(primary.id, primary.id, actor)))._tag, "InvalidMerge")
      const unknown = ContactId.make(testUuid(999))
      assert.strictEqual((yield* Effect.flip(merges.merge(unknown, secondary.id, actor)))._tag, "ContactNotFound")
      assert.strictEqual((yield* Effect.flip(merges.merge(primary.id, unknown, actor)))._tag, "InvalidMerge")
      yield* merges.merge(primary.id, secondary.id, actor)
      assert.strictEqual((yield* Effect.flip(merges.merge(secondary.id, primary.id, actor)))._tag, "MergeConflict")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses an undo after either contact changed, and a second undo", () =>
    Effect.gen(function*() {
      const { contacts, merges, primary, secondary } = yield* pair
      const first = yield* merges.merge(primary.id, secondary.id, actor)
      yield* contacts.update(primary.id, patch({ company: "Changed" }))
      assert.strictEqual((yield* Effect.flip(merges.undo(first.merge.id, actor)))._tag, "MergeConflict")
      // Changing it back restores the merged state, so the undo is safe again.
      yield* contacts.update(primary.id, patch({ company: null }))
      yield* merges.undo(first.merge.id, actor)
      assert.strictEqual((yield* Effect.flip(merges.undo(first.merge.id, actor)))._tag, "MergeConflict")
      const missing = ContactMergeId.make(testUuid(998))
      assert.strictEqual((yield* Effect.flip(merges.undo(missing, actor)))._tag, "ContactMergeNotFound")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses an undo that would revive a phone another contact has taken since", () =>
    Effect.gen(function*() {
      const { contacts, merges, primary } = yield* pair
      const other = yield* contacts.create(newContact({ firstName: "Other", phone: "+1 720 555 0101" }))
      const result = yield* merges.merge(primary.id, other.id, actor)
      // Once merged, the secondary no longer holds its phone, so someone else may take it.
      const newcomer = yield* contacts.create(newContact({ firstName: "New", phone: "+1 720 555 0101" }))
      const error = yield* Effect.flip(merges.undo(result.merge.id, actor))
      assert.strictEqual(error._tag === "DuplicateContact" && error.existingId, newcomer.id)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("leaves both contacts and the moved rows untouched when the merge fails at its last step", () =>
    Effect.gen(function*() {
      // The in-memory ports, except that recording the merge (the last write) fails.
      const failingRecords = Layer.succeed(ContactMergeRepository, ContactMergeRepository.of({
        insert: () => Effect.die(new Error("disk full")),
        findByIdForUpdate: () => Effect.succeed(Option.none()),
        markUndone: () => Effect.void,
        listForContact: () => Effect.succeed([])
      }))
      const app = Layer.provideMerge(Layer.mergeAll(Contacts.layer, ContactMerges.layer), Layer.merge(TestPorts, failingRecords))
      yield* Effect.gen(function*() {
        const { contacts, merges, primary, secondary } = yield* pair
        const { state } = yield* MemoryStore
        yield* Ref.update(state, (s) => ({
          ...s,
          references: [{ table: "messages", column: "contact_id", rowId: "m1", contactId: secondary.id }]
        }))
        const exit = yield* Effect.exit(merges.merge(primary.id, secondary.id, actor))
        assert.isTrue(Exit.hasDies(exit))
        assert.deepStrictEqual(yield* contacts.get(primary.id), primary)
        assert.deepStrictEqual(yield* contacts.get(secondary.id), secondary)
        assert.strictEqual((yield* Ref.get(state)).references[0]?.contactId, secondary.id)
      }).pipe(Effect.provide(app))
    }))
})
