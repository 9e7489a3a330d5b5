import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, Result, Schedule, Schema } from "effect"
import { makeHttpApp } from "../../adapters/http/app.ts"
import { httpRuntime } from "../../adapters/http/http-runtime.ts"
import type { HttpServices } from "../../adapters/http/http-services.ts"
import { fastJobTimings, jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { webhookKey } from "../../adapters/openphone/webhook-signature.ts"
import { OpenPhoneWebhookVerifier, webhookVerifier } from "../../adapters/openphone/webhook-verifier.ts"
import { LiveIds } from "../../adapters/platform/live-ids.ts"
import { AccountingSyncOff } from "../../application/accounting/accounting-sync-live.ts"
import { QuickBooksOff } from "../../application/accounting/quickbooks-off.ts"
import { SqlPorts } from "../../adapters/sql/sql-ports.ts"
import { Contacts } from "../../application/contacts/contacts.ts"
import { Inbox } from "../../application/messaging/inbox.ts"
import { LEAD_TAG, Leads, OPENPHONE_SOURCE } from "../../application/messaging/leads.ts"
import { OptOuts } from "../../application/messaging/opt-outs.ts"
import { SendText } from "../../application/messaging/send-text.ts"
import { SendTextWorkflowLayer } from "../../application/messaging/send-text-workflow.ts"
import { DEFAULT_HELP_TEXT } from "../../application/messaging/webhook-settings.ts"
import { WebhookWorkflowLayer } from "../../application/messaging/webhook-workflow.ts"
import { CallRepository } from "../../application/ports/call-repository.ts"
import { ContactRepository } from "../../application/ports/contact-repository.ts"
import { WebhookEventStore } from "../../application/ports/webhook-event-store.ts"
import { MemorySmsGateway, MemorySmsGatewayControl } from "../../application/testing/index.ts"
import { UseCases } from "../../application/use-cases.ts"
import { NewContact } from "../../domain/contact-input.ts"
import { contractClient } from "../support/contract.ts"
import { testDatabase } from "../support/test-database.ts"
import { callEvent, messageEvent } from "../support/webhook-events.ts"
import { legacySignature, WEBHOOK_KEY_BASE64 } from "../support/webhook-signing.ts"

// The application on PostgreSQL with the real job engine (a SingleRunner on
// the same database), the in-memory provider and the webhook route verifying
// with a test key.
const key = Result.getOrThrow(webhookKey(Redacted.make(WEBHOOK_KEY_BASE64)))
// QuickBooks off: these tests are not about it.
const ports = Layer.mergeAll(SqlPorts, LiveIds, MemorySmsGateway, QuickBooksOff, AccountingSyncOff, jobEngineLayer({ mode: "single", sharding: fastJobTimings }))
const application = Layer.mergeAll(SendTextWorkflowLayer, WebhookWorkflowLayer, Leads.layer).pipe(
  Layer.provideMerge(UseCases),
  Layer.provideMerge(ports),
  Layer.provideMerge(testDatabase()),
  Layer.merge(Layer.succeed(OpenPhoneWebhookVerifier, webhookVerifier(key)))
)

const newContact = Schema.decodeUnknownSync(NewContact)

/** Posts a signed event to the route, as OpenPhone would. */
const postSigned = (payload: unknown) =>
  Effect.gen(function*() {
    const app = makeHttpApp(httpRuntime(yield* Effect.context<HttpServices>()))
    const client = yield* Effect.promise(() => contractClient(app, {}))
    const body = JSON.stringify(payload)
    return yield* Effect.promise(() =>
      client.request("POST", "/webhooks/openphone", {
        body,
        token: null,
        headers: { "openphone-signature": legacySignature(body, Date.now()) }
      }))
  })

/** Polls until the event is processed (the engine runs it in the background). */
const processed = (eventId: string) =>
  WebhookEventStore.use((store) => store.find(eventId)).pipe(
    Effect.map(Option.getOrThrow),
    Effect.flatMap((event) => (event.processedAt === null ? Effect.fail("pending" as const) : Effect.succeed(event))),
    Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 400 })
  )

const ownersOf = (phone: string) => ContactRepository.use((repo) => repo.list({ phone, limit: 10 }))

layer(application, { timeout: 60_000, excludeTestServices: true })("webhooks on PostgreSQL", (it) => {
  it.effect("a signed text from an unknown number ends as a conversation message on a new lead", () =>
    Effect.gen(function*() {
      const from = "+17205550131"
      const response = yield* postSigned(messageEvent("message.received", { eventId: "EVpg1", messageId: "ACpg1", from, text: "Quote for a wall crack?" }))
      assert.deepStrictEqual([response.status, response.body], [200, { eventId: "EVpg1", status: "accepted" }])
      yield* processed("EVpg1")
      const [lead, ...others] = yield* ownersOf(from)
      assert.deepStrictEqual(others, [])
      assert.deepInclude(lead, { firstName: "(720) 555-0131", tags: [LEAD_TAG], source: OPENPHONE_SOURCE })
      const inbox = yield* Inbox
      const page = yield* inbox.messages(lead!.id, { after: undefined, limit: 10 })
      assert.deepStrictEqual(page.items.map((m) => [m.direction, m.status, m.body, m.providerId]), [
        ["inbound", "received", "Quote for a wall crack?", "ACpg1"]
      ])
      const conversations = yield* inbox.conversations({ after: undefined, limit: 100 })
      const mine = conversations.items.find((c) => c.contactId === lead!.id)
      assert.deepInclude(mine, { unread: 1 })
      // A redelivery is acknowledged and adds nothing.
      const again = yield* postSigned(messageEvent("message.received", { eventId: "EVpg1", messageId: "ACpg1", from }))
      assert.deepStrictEqual(again.body, { eventId: "EVpg1", status: "duplicate" })
    }))

  it.effect("a text from a known number goes to that contact; STOP opts it out and a following send is refused", () =>
    Effect.gen(function*() {
      const from = "+17205550132"
      const sam = yield* (yield* Contacts).create(newContact({ firstName: "Sam", phone: from }))
      yield* postSigned(messageEvent("message.received", { eventId: "EVpg2", messageId: "ACpg2", from, text: "STOP" }))
      yield* processed("EVpg2")
      assert.deepStrictEqual((yield* ownersOf(from)).map((c) => c.id), [sam.id])
      assert.isTrue((yield* (yield* OptOuts).status(sam.id)).optedOut)
      const refused = yield* Effect.flip((yield* SendText).send(sam.id, "Are you still interested?"))
      assert.strictEqual(refused._tag, "OptedOut")
    }))

  it.effect("HELP is answered with the help text, sent once through the job engine", () =>
    Effect.gen(function*() {
      const from = "+17205550134"
      yield* postSigned(messageEvent("message.received", { eventId: "EVpg5", messageId: "ACpg5", from, text: "Help!" }))
      yield* processed("EVpg5")
      const [lead] = yield* ownersOf(from)
      const reply = yield* Inbox.use((inbox) => inbox.messages(lead!.id, { after: undefined, limit: 10 })).pipe(
        Effect.map((page) => page.items.filter((m) => m.direction === "outbound")),
        Effect.flatMap((replies) => (replies[0]?.status === "sent" ? Effect.succeed(replies) : Effect.fail("pending" as const))),
        Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 400 })
      )
      assert.deepStrictEqual(reply.map((m) => m.body), [DEFAULT_HELP_TEXT])
      const sent = (yield* (yield* MemorySmsGatewayControl).sent).filter((m) => m.to.includes(from))
      assert.deepStrictEqual(sent.map((m) => m.text), [DEFAULT_HELP_TEXT])
    }))

  it.effect("a call and its recording end as one call row on the caller's contact", () =>
    Effect.gen(function*() {
      yield* postSigned(callEvent("call.completed", { eventId: "EVpg3", callId: "ACcallpg", duration: 61 }))
      yield* postSigned(callEvent("call.recording.completed", { eventId: "EVpg4", callId: "ACcallpg", recordingUrl: "https://files.example/pg.mp3" }))
      yield* processed("EVpg3")
      yield* processed("EVpg4")
      const call = Option.getOrThrow(yield* CallRepository.use((repo) => repo.findByProviderId("ACcallpg")))
      assert.deepInclude(call, { durationSeconds: 61, recordingUrl: "https://files.example/pg.mp3", status: "completed" })
      assert.isNotNull(call.contactId)
    }))

  it.effect("a delivery report for an unknown text is recorded as a failed attempt, for the retry job", () =>
    Effect.gen(function*() {
      const response = yield* postSigned(messageEvent("message.delivered", { eventId: "EVpg6", messageId: "ACnobody" }))
      assert.strictEqual(response.status, 200)
      const failed = yield* WebhookEventStore.use((store) => store.find("EVpg6")).pipe(
        Effect.map(Option.getOrThrow),
        Effect.flatMap((event) => (event.attempts === 0 ? Effect.fail("pending" as const) : Effect.succeed(event))),
        Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 400 })
      )
      assert.deepInclude(failed, { attempts: 1, processedAt: null, lastError: "No message has provider id ACnobody yet" })
    }))

  it.effect("texts from one new number handled at once make one lead", () =>
    Effect.gen(function*() {
      const leads = yield* Leads
      const results = yield* Effect.all(Array.from({ length: 6 }, () => leads.contactForNumber("+17205550133")), {
        concurrency: "unbounded"
      })
      assert.strictEqual(results.filter((r) => r.created).length, 1)
      assert.strictEqual((yield* ownersOf("+17205550133")).length, 1)
    }))
})
