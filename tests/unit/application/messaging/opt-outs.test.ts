import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import { ContactMerges } from "../../../../application/contacts/contact-merges.ts"
import { Contacts } from "../../../../application/contacts/contacts.ts"
import { OptOuts } from "../../../../application/messaging/opt-outs.ts"
import { TestApplication, testUuid } from "../../../../application/testing/index.ts"
import { ContactId } from "../../../../domain/contact.ts"
import { Actor } from "../../../../domain/contact-merge-record.ts"
import { NewContact } from "../../../../domain/contact-input.ts"
import { MessageId } from "../../../../domain/messaging/message.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const actor = new Actor({ tokenId: null, name: "unit test" })
const messageId = MessageId.make(testUuid(900))

const contact = (firstName: string, phone?: string) =>
  Contacts.use((contacts) => contacts.create(newContact(phone === undefined ? { firstName } : { firstName, phone })))

describe("OptOuts", () => {
  it.effect("opts a contact's number out and back in through the API, and refuses texts meanwhile", () =>
    Effect.gen(function*() {
      const optOuts = yield* OptOuts
      const ann = yield* contact("Ann", "+1 303 555 0101")
      assert.isFalse((yield* optOuts.status(ann.id)).optedOut)
      yield* TestClock.adjust("1 hour")
      const out = yield* optOuts.optOut(ann.id)
      assert.isTrue(out.optedOut)
      assert.deepStrictEqual(out.phones, [{ phone: "+13035550101", contactId: ann.id, optedOut: true }])
      assert.deepStrictEqual(out.history.map((e) => [e.action, e.source, e.keyword, e.messageId, DateTime.formatIso(e.occurredAt)]), [
        ["opt-out", "api", null, null, "1970-01-01T01:00:00.000Z"]
      ])
      const refused = yield* Effect.flip(optOuts.ensureTextable({ phone: "+13035550101", contactId: ann.id }))
      assert.strictEqual(refused._tag, "OptedOut")
      assert.strictEqual(refused.contactId, ann.id)

      const back = yield* optOuts.optIn(ann.id)
      assert.isFalse(back.optedOut)
      assert.deepStrictEqual(back.history.map((e) => e.action), ["opt-out", "opt-in"])
      yield* optOuts.ensureTextable({ phone: "+13035550101", contactId: ann.id })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses to opt a contact without a phone in or out, and an unknown contact", () =>
    Effect.gen(function*() {
      const optOuts = yield* OptOuts
      const bob = yield* contact("Bob")
      assert.strictEqual((yield* Effect.flip(optOuts.optOut(bob.id)))._tag, "ContactHasNoPhone")
      assert.strictEqual((yield* Effect.flip(optOuts.optIn(bob.id)))._tag, "ContactHasNoPhone")
      assert.deepStrictEqual(yield* optOuts.status(bob.id), { contactId: bob.id, optedOut: false, phones: [], history: [] })
      const unknown = ContactId.make(testUuid(999))
      assert.strictEqual((yield* Effect.flip(optOuts.optOut(unknown)))._tag, "ContactNotFound")
      assert.strictEqual((yield* Effect.flip(optOuts.status(unknown)))._tag, "ContactNotFound")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("applies whole-message keywords from an inbound text, and nothing else", () =>
    Effect.gen(function*() {
      const optOuts = yield* OptOuts
      const phone = "+13035550102"
      const sentAt = DateTime.makeUnsafe("2026-05-01T12:00:00Z")
      assert.strictEqual(yield* optOuts.applyInboundKeyword(phone, "Stop by tomorrow?", messageId), "none")
      assert.strictEqual(yield* optOuts.applyInboundKeyword(phone, "HELP", messageId), "help")
      // A "yes" from a number that never opted out is a reply, not an opt-in.
      assert.strictEqual(yield* optOuts.applyInboundKeyword(phone, "Yes!", messageId), "none")
      yield* optOuts.ensureTextable({ phone, contactId: null })

      assert.strictEqual(yield* optOuts.applyInboundKeyword(phone, "  Stop. ", messageId, sentAt), "opted-out")
      assert.strictEqual((yield* Effect.flip(optOuts.ensureTextable({ phone, contactId: null })))._tag, "OptedOut")
      assert.strictEqual(yield* optOuts.applyInboundKeyword(phone, "info", null), "help")
      assert.strictEqual(yield* optOuts.applyInboundKeyword(phone, "START", null, DateTime.add(sentAt, { minutes: 1 })), "opted-in")
      yield* optOuts.ensureTextable({ phone, contactId: null })

      // The log, as a contact with this number sees it.
      const carl = yield* contact("Carl", phone)
      const history = (yield* optOuts.status(carl.id)).history
      assert.deepStrictEqual(history.map((e) => [e.action, e.source, e.keyword, e.messageId, DateTime.formatIso(e.occurredAt)]), [
        ["opt-out", "keyword", "STOP", messageId, "2026-05-01T12:00:00.000Z"],
        ["opt-in", "keyword", "START", null, "2026-05-01T12:01:00.000Z"]
      ])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("counts a merged contact opted out if either was, through chains of merges, and apart again after undo", () =>
    Effect.gen(function*() {
      const optOuts = yield* OptOuts
      const merges = yield* ContactMerges
      const primary = yield* contact("Dana", "+1 303 555 0103")
      const secondary = yield* contact("Dan", "+1 303 555 0104")
      const earlier = yield* contact("D.", "+1 303 555 0105")
      assert.strictEqual(yield* optOuts.applyInboundKeyword("+13035550105", "UNSUBSCRIBE", messageId), "opted-out")

      // `earlier` into `secondary`, then `secondary` into `primary`: its number counts for both.
      yield* merges.merge(secondary.id, earlier.id, actor)
      assert.isTrue((yield* optOuts.status(secondary.id)).optedOut)
      const merged = yield* merges.merge(primary.id, secondary.id, actor)
      const status = yield* optOuts.status(primary.id)
      assert.isTrue(status.optedOut)
      assert.deepStrictEqual(status.phones.map((p) => [p.phone, p.optedOut]), [
        ["+13035550103", false],
        ["+13035550104", false],
        ["+13035550105", true]
      ])
      assert.isTrue((yield* optOuts.status(earlier.id)).optedOut) // merged contacts see their primary's group
      const refused = yield* Effect.flip(optOuts.ensureTextable({ phone: "+13035550103", contactId: primary.id }))
      assert.strictEqual(refused._tag, "OptedOut")

      // The business cannot clear the person's own opt-out by opting the primary's number in.
      assert.isTrue((yield* optOuts.optIn(primary.id)).optedOut)

      yield* merges.undo(merged.merge.id, actor)
      assert.isFalse((yield* optOuts.status(primary.id)).optedOut)
      yield* optOuts.ensureTextable({ phone: "+13035550103", contactId: primary.id })
      assert.isTrue((yield* optOuts.status(secondary.id)).optedOut)
    }).pipe(Effect.provide(TestApplication)))
})
