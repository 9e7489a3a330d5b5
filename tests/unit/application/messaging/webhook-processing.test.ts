import { assert, beforeAll, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { TestClock } from "effect/testing"
import { Contacts } from "../../../../application/contacts/contacts.ts"
import { LEAD_TAG, OPENPHONE_SOURCE } from "../../../../application/messaging/leads.ts"
import { OptOuts } from "../../../../application/messaging/opt-outs.ts"
import { SendText } from "../../../../application/messaging/send-text.ts"
import { SendTextWorkflow } from "../../../../application/messaging/send-text-workflow.ts"
import { WebhookIngestion } from "../../../../application/messaging/webhook-ingestion.ts"
import { DEFAULT_HELP_TEXT, WebhookSettings } from "../../../../application/messaging/webhook-settings.ts"
import { FIRST_RUN, retryWebhookEvents, WebhookWorkflow } from "../../../../application/messaging/webhook-workflow.ts"
import { CallRepository } from "../../../../application/ports/call-repository.ts"
import { ContactRepository } from "../../../../application/ports/contact-repository.ts"
import { MessageRepository } from "../../../../application/ports/message-repository.ts"
import { WebhookEventStore } from "../../../../application/ports/webhook-event-store.ts"
import { TestApplication, TestPorts, TestWorkflows, UseCases } from "../../../../application/testing/index.ts"
import type { ContactId } from "../../../../domain/contact.ts"
import { NewContact } from "../../../../domain/contact-input.ts"
import { callEvent, CUSTOMER, messageEvent, OUR_NUMBER } from "../../../support/webhook-events.ts"

const newContact = Schema.decodeUnknownSync(NewContact)

/** Receives an event as the route does, then waits for its processing run (executing it again joins it). */
const deliver = (payload: { readonly id: string; readonly [field: string]: unknown }) =>
  Effect.gen(function*() {
    const receipt = yield* (yield* WebhookIngestion).receive(payload)
    const outcome = yield* WebhookWorkflow.execute({ eventId: payload.id, run: FIRST_RUN })
    return { receipt, outcome }
  })

const storedEvent = (id: string) => WebhookEventStore.use((store) => Effect.map(store.find(id), Option.getOrThrow))
const messagesOf = (contactId: ContactId) =>
  MessageRepository.use((repo) => repo.listByContact(contactId, { after: undefined, limit: 50 }))
const ownersOf = (phone: string) => ContactRepository.use((repo) => repo.list({ phone, limit: 10 }))

// The first event loads the phone metadata and the engine: once per file, not in the first test.
beforeAll(() => Effect.runPromise(deliver(messageEvent("message.received", { eventId: "EV0", messageId: "AC0" })).pipe(Effect.provide(TestApplication))))

/** The application over the memory ports, with one port replaced by a wrapper of the memory one. */
const applicationWhere = <I, S>(wrap: Layer.Layer<I, never, S>) =>
  TestWorkflows.pipe(Layer.provideMerge(UseCases), Layer.provideMerge(wrap.pipe(Layer.provideMerge(TestPorts))))

/** Storing a message dies, as a full disk would make it. */
const failingInserts = Layer.effect(
  MessageRepository,
  Effect.map(Effect.service(MessageRepository), (repo) => MessageRepository.of({ ...repo, insert: () => Effect.die(new Error("disk full")) }))
)

describe("webhook processing", () => {
  it.effect("stores a text from an unknown number on a new lead, and marks the event processed", () =>
    Effect.gen(function*() {
      const { outcome, receipt } = yield* deliver(messageEvent("message.received", { eventId: "EV1", messageId: "AC1" }))
      assert.deepStrictEqual(receipt, { eventId: "EV1", type: "message.received", status: "accepted" })
      assert.strictEqual(outcome, "Processed")
      const [lead] = yield* ownersOf(CUSTOMER)
      assert.deepInclude(lead, { firstName: "(303) 555-0177", tags: [LEAD_TAG], source: OPENPHONE_SOURCE })
      const [message] = yield* messagesOf(lead!.id)
      assert.deepInclude(message, {
        direction: "inbound",
        status: "received",
        providerId: "AC1",
        businessNumber: OUR_NUMBER,
        contactNumber: CUSTOMER,
        body: "Hi, can you look at a crack in my basement wall?",
        segments: 1,
        encoding: "GSM-7"
      })
      const event = yield* storedEvent("EV1")
      assert.deepInclude(event, { type: "message.received", attempts: 1, lastError: null })
      assert.isNotNull(event.processedAt)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("attaches a text to the contact that has the number; a redelivered event changes nothing", () =>
    Effect.gen(function*() {
      const pat = yield* (yield* Contacts).create(newContact({ firstName: "Pat", phone: CUSTOMER }))
      const event = messageEvent("message.received", { eventId: "EV2", messageId: "AC2", text: "Thursday works" })
      yield* deliver(event)
      const again = yield* (yield* WebhookIngestion).receive(event)
      assert.strictEqual(again.status, "duplicate")
      // The same text under another event id (OpenPhone retried with a new id) is stored once too.
      yield* deliver({ ...event, id: "EV2b" })
      assert.deepStrictEqual((yield* ownersOf(CUSTOMER)).map((c) => c.id), [pat.id])
      assert.deepStrictEqual((yield* messagesOf(pat.id)).map((m) => m.body), ["Thursday works"])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("opts the number out on STOP, so a following send is refused", () =>
    Effect.gen(function*() {
      yield* deliver(messageEvent("message.received", { eventId: "EV3", messageId: "AC3", text: " Stop. " }))
      const [lead] = yield* ownersOf(CUSTOMER)
      assert.isTrue((yield* (yield* OptOuts).status(lead!.id)).optedOut)
      const refused = yield* Effect.flip((yield* SendText).send(lead!.id, "Still interested?"))
      assert.strictEqual(refused._tag, "OptedOut")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("answers HELP with the help text, once", () =>
    Effect.gen(function*() {
      const event = messageEvent("message.received", { eventId: "EV4", messageId: "AC4", text: "help" })
      yield* deliver(event)
      yield* deliver({ ...event, id: "EV4b" })
      const [lead] = yield* ownersOf(CUSTOMER)
      const replies = (yield* messagesOf(lead!.id)).filter((m) => m.direction === "outbound")
      assert.deepStrictEqual(replies.map((m) => m.body), [DEFAULT_HELP_TEXT])
      assert.strictEqual(yield* SendTextWorkflow.execute({ messageId: replies[0]!.id }), "sent")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("marks a sent text delivered by its provider id", () =>
    Effect.gen(function*() {
      const pat = yield* (yield* Contacts).create(newContact({ firstName: "Pat", phone: CUSTOMER }))
      const queued = yield* (yield* SendText).send(pat.id, "We can come Tuesday")
      assert.strictEqual(yield* SendTextWorkflow.execute({ messageId: queued.id }), "sent")
      const sent = Option.getOrThrow(yield* MessageRepository.use((repo) => repo.findById(queued.id)))
      const { outcome } = yield* deliver(messageEvent("message.delivered", { eventId: "EV5", messageId: sent.providerId! }))
      assert.strictEqual(outcome, "Processed")
      const delivered = Option.getOrThrow(yield* MessageRepository.use((repo) => repo.findById(queued.id)))
      assert.strictEqual(delivered.status, "delivered")
      assert.isNotNull(delivered.deliveredAt)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("retries a delivery report that overtook our record of the send, up to the attempts cap", () =>
    Effect.gen(function*() {
      const { outcome } = yield* deliver(messageEvent("message.delivered", { eventId: "EV6", messageId: "ACunknown" }))
      assert.strictEqual(outcome, "Failed")
      assert.deepInclude(yield* storedEvent("EV6"), { attempts: 1, processedAt: null, lastError: "No message has provider id ACunknown yet" })
      // Not before a minute has passed...
      assert.deepStrictEqual((yield* retryWebhookEvents).eventIds, [])
      // ...then once a minute, until 5 attempts failed.
      for (let attempt = 2; attempt <= 5; attempt++) {
        yield* TestClock.adjust("61 seconds")
        const { eventIds, run } = yield* retryWebhookEvents
        assert.deepStrictEqual(eventIds, ["EV6"])
        assert.strictEqual(yield* WebhookWorkflow.execute({ eventId: "EV6", run }), "Failed")
        assert.strictEqual((yield* storedEvent("EV6")).attempts, attempt)
      }
      yield* TestClock.adjust("61 seconds")
      assert.deepStrictEqual((yield* retryWebhookEvents).eventIds, [])
    }).pipe(Effect.provide(Layer.merge(TestApplication, WebhookSettings.layer))))

  it.effect("retries an event whose processing never ran, and a retry of a processed event does nothing", () =>
    Effect.gen(function*() {
      // Stored, but the process stopped before starting its processing.
      const payload = messageEvent("message.received", { eventId: "EV11", messageId: "AC11" })
      yield* WebhookEventStore.use((store) =>
        Effect.flatMap(DateTime.now, (receivedAt) => store.insertIfNew({ id: "EV11", type: "message.received", payload, receivedAt })))
      yield* TestClock.adjust("2 minutes")
      const { run } = yield* retryWebhookEvents
      assert.strictEqual(yield* WebhookWorkflow.execute({ eventId: "EV11", run }), "Processed")
      assert.strictEqual(yield* WebhookWorkflow.execute({ eventId: "EV11", run: "another" }), "AlreadyProcessed")
      assert.strictEqual(yield* WebhookWorkflow.execute({ eventId: "EV-none", run: "x" }), "Missing")
      assert.strictEqual((yield* ownersOf(CUSTOMER)).length, 1)
    }).pipe(Effect.provide(Layer.merge(TestApplication, WebhookSettings.layer))))

  it.effect("undoes a failed handler's writes, lead included, and records the failed attempt", () =>
    Effect.gen(function*() {
      const { outcome } = yield* deliver(messageEvent("message.received", { eventId: "EV12", messageId: "AC12" }))
      assert.strictEqual(outcome, "Failed")
      assert.deepInclude(yield* storedEvent("EV12"), { attempts: 1, processedAt: null, lastError: "disk full" })
      assert.deepStrictEqual(yield* ownersOf(CUSTOMER), [])
    }).pipe(Effect.provide(applicationWhere(failingInserts))))

  it.effect("records a call, then its recording, as one call on the caller's contact", () =>
    Effect.gen(function*() {
      const pat = yield* (yield* Contacts).create(newContact({ firstName: "Pat", phone: CUSTOMER }))
      yield* deliver(callEvent("call.completed", { eventId: "EV7", callId: "ACcall1", duration: 136 }))
      yield* deliver(callEvent("call.recording.completed", { eventId: "EV8", callId: "ACcall1", recordingUrl: "https://files.example/r.mp3" }))
      const calls = yield* CallRepository.use((repo) => repo.listByContact(pat.id, 10))
      assert.strictEqual(calls.length, 1)
      assert.deepInclude(calls[0], {
        providerId: "ACcall1",
        direction: "inbound",
        contactNumber: CUSTOMER,
        businessNumber: OUR_NUMBER,
        status: "completed",
        durationSeconds: 136,
        recordingUrl: "https://files.example/r.mp3"
      })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("stores and acknowledges an event of another type, doing nothing with it", () =>
    Effect.gen(function*() {
      const { outcome, receipt } = yield* deliver({ id: "EV9", type: "call.summary.completed", data: { object: { summary: ["x"] } } })
      assert.deepStrictEqual([receipt.status, outcome], ["accepted", "Processed"])
      assert.deepInclude(yield* storedEvent("EV9"), { type: "call.summary.completed", attempts: 1 })
      assert.deepStrictEqual(yield* ownersOf(CUSTOMER), [])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses a body that is not an event, or a known event without its object, storing nothing", () =>
    Effect.gen(function*() {
      const ingestion = yield* WebhookIngestion
      for (const payload of [[], { type: "message.received" }, { id: "EV10", type: "message.received", data: { object: { id: "AC" } } }]) {
        const error = yield* Effect.flip(ingestion.receive(payload))
        assert.strictEqual(error._tag, "MalformedWebhook")
      }
      assert.isTrue(Option.isNone(yield* WebhookEventStore.use((store) => store.find("EV10"))))
    }).pipe(Effect.provide(TestApplication)))
})
