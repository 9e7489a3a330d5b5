import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Schema } from "effect"
import { Contacts } from "../../../../application/contacts/contacts.ts"
import { Inbox } from "../../../../application/messaging/inbox.ts"
import { messageKey, MessageRepository } from "../../../../application/ports/message-repository.ts"
import { TestApplication, testUuid } from "../../../../application/testing/index.ts"
import { ContactId } from "../../../../domain/contact.ts"
import { NewContact } from "../../../../domain/contact-input.ts"
import { makeInbound, makeMessage } from "../../../support/port-suites/message-repository.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const at = (seconds: number) => DateTime.makeUnsafe(Date.UTC(2026, 4, 1, 12, 0, seconds))

describe("Inbox", () => {
  it.effect("pages a contact's texts newest first, and lists conversations with their contact and unread count", () =>
    Effect.gen(function*() {
      const contacts = yield* Contacts
      const repo = yield* MessageRepository
      const inbox = yield* Inbox
      const ann = yield* contacts.create(newContact({ firstName: "Ann", phone: "+1 303 555 0188" }))
      const bo = yield* contacts.create(newContact({ firstName: "Bo", phone: "+1 303 555 0199" }))
      const texts = [
        makeInbound(ann, { createdAt: at(1) }),
        makeMessage(ann, { createdAt: at(2) }),
        makeInbound(ann, { createdAt: at(3) }),
        makeInbound(bo, { createdAt: at(4) })
      ]
      for (const text of texts) yield* repo.insert(text)

      const first = yield* inbox.messages(ann.id, { after: undefined, limit: 2 })
      assert.deepStrictEqual(first.items.map((m) => m.id), [texts[2]!.id, texts[1]!.id])
      assert.deepStrictEqual(first.next, messageKey(texts[1]!))
      const second = yield* inbox.messages(ann.id, { after: first.next, limit: 2 })
      assert.deepStrictEqual(second, { items: [texts[0]!], next: undefined })

      const conversations = yield* inbox.conversations({ after: undefined, limit: 1 })
      assert.deepStrictEqual(conversations.items.map((c) => [c.contact.firstName, c.unread, c.latest.id]), [["Bo", 1, texts[3]!.id]])
      const rest = yield* inbox.conversations({ after: conversations.next, limit: 5 })
      assert.deepStrictEqual(rest.items.map((c) => [c.contact.firstName, c.unread]), [["Ann", 2]])

      assert.strictEqual(yield* inbox.markRead(ann.id), 2)
      const after = yield* inbox.conversations({ after: undefined, limit: 5 })
      assert.deepStrictEqual(after.items.map((c) => c.unread), [1, 0])

      // A deleted contact's texts lose their contact (ON DELETE SET NULL) and leave the inbox.
      yield* contacts.remove(bo.id)
      assert.deepStrictEqual((yield* inbox.conversations({ after: undefined, limit: 5 })).items.map((c) => c.contact.id), [ann.id])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("answers ContactNotFound for an unknown contact", () =>
    Effect.gen(function*() {
      const inbox = yield* Inbox
      const unknown = ContactId.make(testUuid(999))
      assert.strictEqual((yield* Effect.flip(inbox.messages(unknown, { after: undefined, limit: 5 })))._tag, "ContactNotFound")
      assert.strictEqual((yield* Effect.flip(inbox.markRead(unknown)))._tag, "ContactNotFound")
    }).pipe(Effect.provide(TestApplication)))
})
