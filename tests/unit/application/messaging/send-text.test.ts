import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { Contacts } from "../../../../application/contacts/contacts.ts"
import { OptOuts } from "../../../../application/messaging/opt-outs.ts"
import { DELIVERY_STOPPED, ReconcileMessages } from "../../../../application/messaging/reconcile.ts"
import { SendText } from "../../../../application/messaging/send-text.ts"
import { SendTextWorkflow } from "../../../../application/messaging/send-text-workflow.ts"
import { MessageRepository } from "../../../../application/ports/message-repository.ts"
import { SmsGatewayError } from "../../../../application/ports/sms-gateway.ts"
import {
  MemorySmsGatewayControl,
  TEST_BUSINESS_NUMBER,
  TestApplication,
  testUuid
} from "../../../../application/testing/index.ts"
import { type Contact, ContactId } from "../../../../domain/contact.ts"
import { NewContact } from "../../../../domain/contact-input.ts"
import type { MessageId } from "../../../../domain/messaging/message.ts"
import { NOT_FOUND_AT_PROVIDER } from "../../../../domain/messaging/reconcile.ts"
import { makeMessage } from "../../../support/port-suites/message-repository.ts"

const newContact = Schema.decodeUnknownSync(NewContact)
const PHONE = "+13035550188"

const setup = Effect.gen(function*() {
  const contact = yield* (yield* Contacts).create(newContact({ firstName: "Pat", phone: "+1 303 555 0188" }))
  return {
    contact,
    sendText: yield* SendText,
    repo: yield* MessageRepository,
    gateway: yield* MemorySmsGatewayControl
  }
})

/** Waits for the message's delivery workflow: executing it again joins the running execution. */
const delivered = (messageId: MessageId) => SendTextWorkflow.execute({ messageId })

const stored = (messageId: MessageId) =>
  MessageRepository.use((repo) => Effect.map(repo.findById(messageId), Option.getOrThrow))

/** A queued text stored directly, as if the process stopped before starting its delivery. */
const queuedDirectly = (contact: Contact) =>
  Effect.gen(function*() {
    const now = yield* DateTime.now
    const message = makeMessage(contact, { createdAt: now, updatedAt: now })
    yield* (yield* MessageRepository).insert(message)
    return message
  })

const timeout = new SmsGatewayError({ reason: "timeout", status: null, message: "no answer in 10 s" })

describe("SendText", () => {
  it.effect("queues the text with its segments, answers it queued, then delivers it once", () =>
    Effect.gen(function*() {
      const { contact, gateway, sendText } = yield* setup
      const message = yield* sendText.send(contact.id, "Your repair is booked — see you Tuesday")
      assert.include(message, {
        status: "queued",
        direction: "outbound",
        contactId: contact.id,
        contactNumber: PHONE,
        businessNumber: TEST_BUSINESS_NUMBER.number,
        encoding: "UCS-2",
        segments: 1,
        providerId: null
      })
      assert.strictEqual(yield* delivered(message.id), "sent")
      const sent = yield* stored(message.id)
      assert.include(sent, { status: "sent", providerId: "AC000001" })
      assert.isNotNull(sent.sentAt)
      const provider = yield* gateway.sent
      assert.deepStrictEqual(provider.map((m) => [m.to, m.text]), [[[PHONE], message.body]])
      // Running the workflow again for the same message is the same execution: nothing more is sent.
      assert.strictEqual(yield* delivered(message.id), "sent")
      assert.strictEqual(yield* gateway.attempts, 1)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses an opted-out number: nothing stored, nothing sent", () =>
    Effect.gen(function*() {
      const { contact, gateway, repo, sendText } = yield* setup
      yield* (yield* OptOuts).optOut(contact.id)
      const error = yield* Effect.flip(sendText.send(contact.id, "Hello"))
      assert.strictEqual(error._tag, "OptedOut")
      assert.deepStrictEqual(yield* repo.listByContact(contact.id, { after: undefined, limit: 10 }), [])
      assert.strictEqual(yield* gateway.attempts, 0)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("names what is wrong: unknown contact, no phone, merged contact, empty or too long text", () =>
    Effect.gen(function*() {
      const { contact, sendText } = yield* setup
      const contacts = yield* Contacts
      const noPhone = yield* contacts.create(newContact({ firstName: "Nophone", email: "np@example.com" }))
      const tag = (effect: Effect.Effect<unknown, { readonly _tag: string }>) => Effect.map(Effect.flip(effect), (e) => e._tag)
      assert.strictEqual(yield* tag(sendText.send(ContactId.make(testUuid(999)), "Hi")), "ContactNotFound")
      assert.strictEqual(yield* tag(sendText.send(noPhone.id, "Hi")), "ContactHasNoPhone")
      const empty = yield* Effect.flip(sendText.send(contact.id, "  \n "))
      assert.deepInclude(empty, { _tag: "InvalidMessage", path: "body" })
      assert.strictEqual(yield* tag(sendText.send(contact.id, "x".repeat(1601))), "InvalidMessage")
      const longest = yield* sendText.send(contact.id, "x".repeat(1600))
      assert.strictEqual(longest.segments, 11)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("records a final provider refusal as failed, with the reason", () =>
    Effect.gen(function*() {
      const { contact, gateway, sendText } = yield* setup
      yield* gateway.fail({
        error: new SmsGatewayError({ reason: "insufficient-credits", status: 402, message: "Not enough credits" })
      })
      const message = yield* sendText.send(contact.id, "Hello")
      assert.strictEqual(yield* delivered(message.id), "failed")
      assert.include(yield* stored(message.id), { status: "failed", error: "insufficient-credits: Not enough credits" })
      assert.strictEqual(yield* gateway.attempts, 1)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("re-checks the opt-out when delivering: a number opted out after queuing is never texted", () =>
    Effect.gen(function*() {
      const { contact, gateway } = yield* setup
      const message = yield* queuedDirectly(contact)
      yield* (yield* OptOuts).optOut(contact.id)
      assert.strictEqual(yield* delivered(message.id), "skipped")
      assert.include(yield* stored(message.id), { status: "failed", error: "opted-out" })
      assert.strictEqual(yield* gateway.attempts, 0)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("never calls the provider for a message an earlier attempt already claimed", () =>
    Effect.gen(function*() {
      const { contact, gateway, repo } = yield* setup
      // A crash after the claim committed: the replayed activity finds the row `sending`.
      const message = yield* queuedDirectly(contact)
      assert.isTrue(yield* repo.claim(message.id, message.createdAt))
      assert.strictEqual(yield* delivered(message.id), "sending")
      assert.strictEqual(yield* gateway.attempts, 0)
      assert.strictEqual((yield* stored(message.id)).status, "sending")
    }).pipe(Effect.provide(TestApplication)))
})

describe("ReconcileMessages", () => {
  it.effect("settles a text whose answer was lost from the provider's list, without sending it again", () =>
    Effect.gen(function*() {
      const { contact, gateway, sendText } = yield* setup
      // The provider took it, but the answer never came back.
      yield* gateway.fail({ error: timeout, accepted: true }, 1)
      const message = yield* sendText.send(contact.id, "Hello")
      assert.strictEqual(yield* delivered(message.id), "sending")
      const reconcile = yield* ReconcileMessages
      // Within the grace period the attempt may still be running: nothing is decided.
      assert.deepStrictEqual(yield* reconcile.run, { sent: 0, failed: 0, waiting: 0, restarted: 0 })
      yield* TestClock.adjust("3 minutes")
      assert.deepStrictEqual(yield* reconcile.run, { sent: 1, failed: 0, waiting: 0, restarted: 0 })
      assert.include(yield* stored(message.id), { status: "sent", providerId: "AC000001" })
      assert.strictEqual((yield* gateway.sent).length, 1)
      assert.strictEqual(yield* gateway.attempts, 1)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("fails a text the provider never listed once the give-up age passes, and never resends it", () =>
    Effect.gen(function*() {
      const { contact, gateway, sendText } = yield* setup
      yield* gateway.fail({ error: timeout }, 1)
      const message = yield* sendText.send(contact.id, "Hello")
      assert.strictEqual(yield* delivered(message.id), "sending")
      const reconcile = yield* ReconcileMessages
      yield* TestClock.adjust("3 minutes")
      assert.deepStrictEqual(yield* reconcile.run, { sent: 0, failed: 0, waiting: 1, restarted: 0 })
      yield* TestClock.adjust("13 minutes")
      assert.deepStrictEqual(yield* reconcile.run, { sent: 0, failed: 1, waiting: 0, restarted: 0 })
      assert.include(yield* stored(message.id), { status: "failed", error: NOT_FOUND_AT_PROVIDER })
      assert.strictEqual(yield* gateway.attempts, 1)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("leaves a text alone while its delivery is still retrying the provider, even past the give-up age", () =>
    Effect.gen(function*() {
      const { contact, gateway, sendText } = yield* setup
      // A provider answering only after 20 minutes stands for a delivery still retrying.
      yield* gateway.delay("20 minutes")
      const message = yield* sendText.send(contact.id, "Hello")
      const reconcile = yield* ReconcileMessages
      yield* TestClock.adjust("16 minutes")
      assert.include(yield* stored(message.id), { status: "sending" })
      assert.deepStrictEqual(yield* reconcile.run, { sent: 0, failed: 0, waiting: 1, restarted: 0 })
      yield* TestClock.adjust("5 minutes")
      assert.strictEqual(yield* delivered(message.id), "sent")
      assert.include(yield* stored(message.id), { status: "sent" })
      assert.strictEqual((yield* gateway.sent).length, 1)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("does not take another text's provider message for an identical in-doubt one", () =>
    Effect.gen(function*() {
      const { contact, gateway, sendText } = yield* setup
      const first = yield* sendText.send(contact.id, "Same words")
      assert.strictEqual(yield* delivered(first.id), "sent")
      yield* gateway.fail({ error: timeout }, 1)
      const second = yield* sendText.send(contact.id, "Same words")
      assert.strictEqual(yield* delivered(second.id), "sending")
      yield* TestClock.adjust("3 minutes")
      assert.deepStrictEqual(yield* (yield* ReconcileMessages).run, { sent: 0, failed: 0, waiting: 1, restarted: 0 })
      assert.strictEqual((yield* stored(second.id)).status, "sending")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("starts the delivery of a text left queued (a crash before its workflow started)", () =>
    Effect.gen(function*() {
      const { contact, gateway } = yield* setup
      const message = yield* queuedDirectly(contact)
      const reconcile = yield* ReconcileMessages
      assert.strictEqual((yield* reconcile.run).restarted, 0)
      yield* TestClock.adjust("3 minutes")
      assert.strictEqual((yield* reconcile.run).restarted, 1)
      assert.strictEqual(yield* delivered(message.id), "sent")
      assert.strictEqual(yield* gateway.attempts, 1)
      // Sent: the next run has nothing left to start.
      assert.strictEqual((yield* reconcile.run).restarted, 0)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("fails a text left queued by a delivery that ended without claiming it, and sends nothing", () =>
    Effect.gen(function*() {
      const { contact, gateway } = yield* setup
      const message = makeMessage(contact, { createdAt: yield* DateTime.now, updatedAt: yield* DateTime.now })
      // The execution ran and ended before the row was there to claim (as after a defect in the activity).
      assert.strictEqual(yield* delivered(message.id), "skipped")
      yield* (yield* MessageRepository).insert(message)
      yield* TestClock.adjust("3 minutes")
      assert.deepStrictEqual(yield* (yield* ReconcileMessages).run, { sent: 0, failed: 1, waiting: 0, restarted: 0 })
      assert.include(yield* stored(message.id), { status: "failed", error: DELIVERY_STOPPED })
      assert.strictEqual(yield* gateway.attempts, 0)
    }).pipe(Effect.provide(TestApplication)))
})
