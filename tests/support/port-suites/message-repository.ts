import { assert } from "@effect/vitest"
import { DateTime, Effect, Option } from "effect"
import { v7 } from "uuid"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { type Conversation, type InDoubtMessage, messageKey, MessageRepository } from "../../../application/ports/message-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import type { Contact } from "../../../domain/contact.ts"
import { type Message, MessageId } from "../../../domain/messaging/message.ts"
import { at, created, makeContact } from "./fixtures.ts"
import { allPages } from "./paging.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const OURS = "+15125550100"
const OTHER_LINE = "+15125550199"

/** An outbound text queued for the contact, unless fields say otherwise. */
export const makeMessage = (contact: Contact | null, fields: Partial<Message> = {}): Message => ({
  id: MessageId.make(v7()),
  direction: "outbound",
  contactId: contact?.id ?? null,
  businessNumber: OURS,
  contactNumber: contact?.phone ?? "+15125550111",
  body: "Your crack repair is booked for Tuesday",
  segments: 1,
  encoding: "GSM-7",
  providerId: null,
  status: "queued",
  error: null,
  createdAt: created,
  updatedAt: created,
  sentAt: null,
  deliveredAt: null,
  readAt: null,
  ...fields
})

export const makeInbound = (contact: Contact | null, fields: Partial<Message> = {}): Message =>
  makeMessage(contact, { direction: "inbound", status: "received", providerId: `AC${v7()}`, body: "Thanks!", ...fields })

const seconds = (n: number) => DateTime.addDuration(created, `${n} seconds`)

const withContact = (fields: Partial<Contact> = {}) =>
  Effect.gen(function*() {
    const contact = makeContact({ phone: "+15125550123", ...fields })
    yield* (yield* ContactRepository).insert(contact)
    return contact
  })

export const messageRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores every field, finds by id and provider id, and stores a provider id once", () =>
      Effect.gen(function*() {
        const repo = yield* MessageRepository
        const contact = yield* withContact()
        const full = makeInbound(contact, {
          body: "Ünïcode 👍 text",
          segments: 2,
          encoding: "UCS-2",
          error: null,
          createdAt: at("2026-03-01T10:11:12.345Z"),
          updatedAt: at("2026-03-01T10:11:13.000Z"),
          readAt: at("2026-03-01T11:00:00.000Z")
        })
        const queued = makeMessage(contact)
        assert.deepStrictEqual(yield* repo.insert(full), { _tag: "Inserted", message: full })
        assert.deepStrictEqual(yield* repo.insert(queued), { _tag: "Inserted", message: queued })
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(full))
        assert.deepStrictEqual(yield* repo.findById(queued.id), Option.some(queued))
        assert.deepStrictEqual(yield* repo.findByProviderId(full.providerId!), Option.some(full))
        assert.isTrue(Option.isNone(yield* repo.findById(MessageId.make(v7()))))
        assert.isTrue(Option.isNone(yield* repo.findByProviderId("AC-never-seen")))

        // A redelivered webhook or a second sync: the first row stands.
        const again = makeInbound(contact, { providerId: full.providerId, body: "other" })
        assert.deepStrictEqual(yield* repo.insert(again), { _tag: "Duplicate", message: full })
        assert.isTrue(Option.isNone(yield* repo.findById(again.id)))
        // Texts without a provider id yet are never duplicates of each other.
        const second = makeMessage(contact)
        assert.strictEqual((yield* repo.insert(second))._tag, "Inserted")
        // An inbound text from a number no contact has.
        const stranger = makeInbound(null, { contactNumber: "+15125550177" })
        assert.deepStrictEqual(yield* repo.insert(stranger), { _tag: "Inserted", message: stranger })
        assert.deepStrictEqual(yield* repo.findById(stranger.id), Option.some(stranger))
      }))

    it.effect("claims a queued text once, lists it in doubt after its claim, and records one outcome", () =>
      Effect.gen(function*() {
        const repo = yield* MessageRepository
        const contact = yield* withContact()
        const message = makeMessage(contact)
        const other = makeMessage(contact)
        yield* repo.insert(message)
        yield* repo.insert(other)
        const claimedAt = seconds(10)
        // Inside a transaction, as the deliver activity claims.
        assert.isTrue(yield* (yield* Transactor).withTransaction(repo.claim(message.id, claimedAt)))
        assert.isFalse(yield* repo.claim(message.id, seconds(11)))
        assert.isFalse(yield* repo.claim(MessageId.make(v7()), seconds(11)))
        const sending = { ...message, status: "sending" as const, updatedAt: claimedAt }
        assert.deepStrictEqual(yield* repo.findById(message.id), Option.some(sending))

        const ours = (rows: ReadonlyArray<InDoubtMessage>) =>
          rows.filter((row) => row.message.id === message.id || row.message.id === other.id)
        assert.deepStrictEqual(ours(yield* repo.listInDoubt(claimedAt, 1000)), [])
        assert.deepStrictEqual(ours(yield* repo.listInDoubt(seconds(11), 1000)), [{ message: sending, sendStartedAt: claimedAt }])

        const sentAt = seconds(12)
        const providerId = `AC${v7()}`
        const sent = yield* repo.recordOutcome(message.id, { _tag: "Sent", providerId, at: sentAt })
        const expected = { ...sending, status: "sent" as const, providerId, sentAt, updatedAt: sentAt }
        assert.deepStrictEqual(sent, Option.some(expected))
        assert.deepStrictEqual(yield* repo.findByProviderId(providerId), Option.some(expected))
        // Resolved: a second outcome changes nothing, and it is no longer in doubt.
        assert.isTrue(Option.isNone(yield* repo.recordOutcome(message.id, { _tag: "Failed", error: "late", at: sentAt })))
        assert.deepStrictEqual(ours(yield* repo.listInDoubt(seconds(60), 1000)), [])
        // Only a claimed text gets an outcome.
        assert.isTrue(Option.isNone(yield* repo.recordOutcome(other.id, { _tag: "Failed", error: "x", at: sentAt })))

        yield* repo.claim(other.id, claimedAt)
        const failed = yield* repo.recordOutcome(other.id, { _tag: "Failed", error: "insufficient-credits", at: sentAt })
        assert.deepStrictEqual(
          failed,
          Option.some({ ...other, status: "failed" as const, error: "insufficient-credits", updatedAt: sentAt })
        )
      }))

    it.effect("lists texts still queued before a time, oldest first, and never claims one the provider already has", () =>
      Effect.gen(function*() {
        const repo = yield* MessageRepository
        const contact = yield* withContact()
        const older = makeMessage(contact, { createdAt: seconds(-30) })
        const newer = makeMessage(contact, { createdAt: seconds(-20) })
        const late = makeMessage(contact, { createdAt: seconds(5) })
        // Queued at the provider (history from a sync): not ours to send.
        const theirs = makeMessage(contact, { createdAt: seconds(-25), providerId: `AC${v7()}` })
        for (const message of [newer, late, theirs, older]) yield* repo.insert(message)
        const ours = new Set([older.id, newer.id, late.id, theirs.id])
        const queued = (yield* repo.listQueued(seconds(0), 1000)).filter((m) => ours.has(m.id))
        assert.deepStrictEqual(queued.map((m) => m.id), [older.id, newer.id])
        assert.isFalse(yield* repo.claim(theirs.id, seconds(1)))
        assert.isTrue(yield* repo.claim(older.id, seconds(1)))
        assert.deepStrictEqual((yield* repo.listQueued(seconds(0), 1000)).filter((m) => ours.has(m.id)).map((m) => m.id), [newer.id])
      }))

    it.effect("applies delivery reports to sent texts only, once", () =>
      Effect.gen(function*() {
        const repo = yield* MessageRepository
        const contact = yield* withContact()
        const providerId = `AC${v7()}`
        const sent = makeMessage(contact, { status: "sent", providerId, sentAt: seconds(1), updatedAt: seconds(1) })
        const inbound = makeInbound(contact)
        yield* repo.insert(sent)
        yield* repo.insert(inbound)
        assert.deepStrictEqual(
          yield* repo.applyProviderStatus({ providerId: "AC-unknown", status: "delivered", at: seconds(2) }),
          { _tag: "Unknown" }
        )
        const delivered = { ...sent, status: "delivered" as const, deliveredAt: seconds(2), updatedAt: seconds(2) }
        assert.deepStrictEqual(
          yield* repo.applyProviderStatus({ providerId, status: "delivered", at: seconds(2) }),
          { _tag: "Applied", message: delivered }
        )
        assert.deepStrictEqual(
          yield* repo.applyProviderStatus({ providerId, status: "delivered", at: seconds(3) }),
          { _tag: "Ignored", message: delivered }
        )
        assert.deepStrictEqual(yield* repo.findById(sent.id), Option.some(delivered))
        assert.deepStrictEqual(
          yield* repo.applyProviderStatus({ providerId: inbound.providerId!, status: "undelivered", at: seconds(3) }),
          { _tag: "Ignored", message: inbound }
        )
        const other = makeMessage(contact, { status: "sent", providerId: `AC${v7()}`, sentAt: seconds(1) })
        yield* repo.insert(other)
        const undelivered = yield* repo.applyProviderStatus({ providerId: other.providerId!, status: "undelivered", at: seconds(4) })
        assert.deepStrictEqual(undelivered, {
          _tag: "Applied",
          message: { ...other, status: "undelivered" as const, updatedAt: seconds(4) }
        })
      }))

    it.effect("pages a contact's messages newest first, ties in time broken by id", () =>
      Effect.gen(function*() {
        const repo = yield* MessageRepository
        const contact = yield* withContact()
        const someoneElse = yield* withContact()
        // Synced history arrives out of order: created times, not ids, order the page.
        const times = [5, 1, 3, 3, 3, 9, 0]
        const messages = times.map((n) => makeMessage(contact, { createdAt: seconds(n), updatedAt: seconds(n) }))
        for (const message of messages) yield* repo.insert(message)
        yield* repo.insert(makeMessage(someoneElse, { createdAt: seconds(4) }))
        const expected = [...messages].sort((a, b) => {
          const byTime = DateTime.toEpochMillis(b.createdAt) - DateTime.toEpochMillis(a.createdAt)
          return byTime !== 0 ? byTime : a.id < b.id ? 1 : -1
        })
        const pages = yield* allPages(
          (after: Message | undefined) =>
            repo.listByContact(contact.id, { after: after === undefined ? undefined : messageKey(after), limit: 2 }),
          2
        )
        assert.deepStrictEqual(pages.flat(), expected)
        assert.strictEqual(pages.length, 4)
      }))

    it.effect("lists conversations by latest message with unread inbound counts, and marks a contact's texts read", () =>
      Effect.gen(function*() {
        const repo = yield* MessageRepository
        const ann = yield* withContact({ firstName: "Ann" })
        const bo = yield* withContact({ firstName: "Bo" })
        const ann1 = makeInbound(ann, { createdAt: seconds(100), updatedAt: seconds(100) })
        const ann2 = makeInbound(ann, { createdAt: seconds(101), updatedAt: seconds(101) })
        const annReply = makeMessage(ann, { createdAt: seconds(102), updatedAt: seconds(102) })
        const annOtherLine = makeInbound(ann, { businessNumber: OTHER_LINE, createdAt: seconds(90), updatedAt: seconds(90) })
        const boRead = makeInbound(bo, { createdAt: seconds(103), updatedAt: seconds(103), readAt: seconds(104) })
        const stranger = makeInbound(null, { createdAt: seconds(105) })
        for (const message of [ann1, ann2, annReply, annOtherLine, boRead, stranger]) yield* repo.insert(message)

        const mine = Effect.gen(function*() {
          const pages = yield* allPages(
            (after: Conversation | undefined) =>
              repo.conversations({ after: after === undefined ? undefined : messageKey(after.latest), limit: 2 }),
            2
          )
          return pages.flat().filter((c) => c.contactId === ann.id || c.contactId === bo.id)
        })
        assert.deepStrictEqual(yield* mine, [
          { contactId: bo.id, businessNumber: OURS, latest: boRead, unread: 0 },
          { contactId: ann.id, businessNumber: OURS, latest: annReply, unread: 2 },
          { contactId: ann.id, businessNumber: OTHER_LINE, latest: annOtherLine, unread: 1 }
        ])

        assert.strictEqual(yield* repo.markRead(ann.id, seconds(200)), 3)
        assert.strictEqual(yield* repo.markRead(ann.id, seconds(201)), 0)
        assert.deepStrictEqual(yield* repo.findById(ann1.id), Option.some({ ...ann1, readAt: seconds(200) }))
        assert.deepStrictEqual(
          (yield* mine).map((c) => c.unread),
          [0, 0, 0]
        )
      }))
  })
