import { assert } from "@effect/vitest"
import { DateTime, Effect, Option } from "effect"
import { v7 } from "uuid"
import { CallRepository } from "../../../application/ports/call-repository.ts"
import { ContactReferences } from "../../../application/ports/contact-references.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { type Call, CallId } from "../../../domain/messaging/message.ts"
import { at, makeContact } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const started = at("2026-06-01T15:00:00.000Z")

const makeCall = (fields: Partial<Call> = {}): Call => ({
  id: CallId.make(v7()),
  providerId: `AC${v7()}`,
  direction: "inbound",
  contactId: null,
  businessNumber: "+17205550100",
  contactNumber: "+17205550122",
  status: "completed",
  durationSeconds: 136,
  recordingUrl: null,
  createdAt: started,
  updatedAt: started,
  ...fields
})

export const callRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores a call and finds it by provider id", () =>
      Effect.gen(function*() {
        const calls = yield* CallRepository
        const contact = makeContact({ firstName: "Callie" })
        yield* (yield* ContactRepository).insert(contact)
        const call = makeCall({ contactId: contact.id })
        assert.deepStrictEqual(yield* calls.upsert(call), call)
        assert.deepStrictEqual(yield* calls.findByProviderId(call.providerId), Option.some(call))
        assert.isTrue(Option.isNone(yield* calls.findByProviderId(`AC${v7()}`)))
      }))

    it.effect("merges later reports of a call into the stored one, in either order", () =>
      Effect.gen(function*() {
        const calls = yield* CallRepository
        const contact = makeContact({ firstName: "Rec" })
        yield* (yield* ContactRepository).insert(contact)
        const later = DateTime.add(started, { minutes: 3 })
        // The recording report first, with no duration and no contact yet...
        const recording = makeCall({ durationSeconds: null, recordingUrl: "https://files.example/rec.mp3" })
        yield* calls.upsert(recording)
        // ...then the completed call, under another id of ours, without the URL.
        const completed = makeCall({
          id: CallId.make(v7()), providerId: recording.providerId, contactId: contact.id,
          durationSeconds: 42, status: "completed", createdAt: later, updatedAt: later
        })
        const stored = yield* calls.upsert(completed)
        assert.deepStrictEqual(stored, {
          ...recording, contactId: contact.id, durationSeconds: 42, recordingUrl: "https://files.example/rec.mp3", updatedAt: later
        })
        // A report without a contact does not drop the known one.
        const again = yield* calls.upsert({ ...completed, contactId: null, status: "no-answer", updatedAt: later })
        assert.deepStrictEqual([again.id, again.contactId, again.status], [recording.id, contact.id, "no-answer"])
      }))

    it.effect("lists a contact's calls newest first", () =>
      Effect.gen(function*() {
        const calls = yield* CallRepository
        const contact = makeContact({ firstName: "Many" })
        const other = makeContact({ firstName: "Other" })
        yield* (yield* ContactRepository).insert(contact)
        yield* (yield* ContactRepository).insert(other)
        const first = makeCall({ contactId: contact.id, createdAt: started })
        const second = makeCall({ contactId: contact.id, createdAt: DateTime.add(started, { hours: 1 }) })
        const third = makeCall({ contactId: contact.id, createdAt: DateTime.add(started, { hours: 2 }) })
        for (const call of [second, third, first, makeCall({ contactId: other.id })]) yield* calls.upsert(call)
        assert.deepStrictEqual((yield* calls.listByContact(contact.id, 10)).map((c) => c.id), [third.id, second.id, first.id])
        assert.deepStrictEqual((yield* calls.listByContact(contact.id, 2)).map((c) => c.id), [third.id, second.id])
      }))

    it.effect("moves a contact's calls with a merge, and exactly those back with its undo", () =>
      Effect.gen(function*() {
        const calls = yield* CallRepository
        const contacts = yield* ContactRepository
        const references = yield* ContactReferences
        const primary = makeContact({ firstName: "Prim" })
        const secondary = makeContact({ firstName: "Second" })
        yield* contacts.insert(primary)
        yield* contacts.insert(secondary)
        const ofSecondary = yield* calls.upsert(makeCall({ contactId: secondary.id }))
        const moves = yield* references.moveAll(secondary.id, primary.id)
        assert.deepStrictEqual(moves.filter((m) => m.table === "calls").map((m) => [m.column, m.rowIds]), [["contact_id", [ofSecondary.id]]])
        const ofPrimaryLater = yield* calls.upsert(makeCall({ contactId: primary.id }))
        assert.sameMembers((yield* calls.listByContact(primary.id, 10)).map((c) => c.id), [ofSecondary.id, ofPrimaryLater.id])
        yield* references.moveBack(moves, primary.id, secondary.id)
        assert.deepStrictEqual((yield* calls.listByContact(secondary.id, 10)).map((c) => c.id), [ofSecondary.id])
        assert.deepStrictEqual((yield* calls.listByContact(primary.id, 10)).map((c) => c.id), [ofPrimaryLater.id])
      }))

    it.effect("keeps a deleted contact's calls, without the contact", () =>
      Effect.gen(function*() {
        const calls = yield* CallRepository
        const contacts = yield* ContactRepository
        const contact = makeContact({ firstName: "Gone" })
        yield* contacts.insert(contact)
        const call = yield* calls.upsert(makeCall({ contactId: contact.id }))
        yield* contacts.delete(contact.id)
        assert.deepStrictEqual(yield* calls.findByProviderId(call.providerId), Option.some({ ...call, contactId: null }))
      }))
  })
