import { assert, layer } from "@effect/vitest"
import { ConfigProvider, DateTime, Effect, Layer, Option, Schedule, Schema } from "effect"
import { fastJobTimings, jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { LiveIds } from "../../adapters/platform/live-ids.ts"
import { AccountingSyncOff } from "../../application/accounting/accounting-sync-live.ts"
import { QuickBooksOff } from "../../application/accounting/quickbooks-off.ts"
import { SqlPorts } from "../../adapters/sql/sql-ports.ts"
import { ContactMerges } from "../../application/contacts/contact-merges.ts"
import { Contacts } from "../../application/contacts/contacts.ts"
import { OptOuts } from "../../application/messaging/opt-outs.ts"
import { ReconcileMessages } from "../../application/messaging/reconcile.ts"
import { SendText } from "../../application/messaging/send-text.ts"
import { SendTextWorkflow, SendTextWorkflowLayer } from "../../application/messaging/send-text-workflow.ts"
import { JobExecutions } from "../../application/ports/job-executions.ts"
import { MessageRepository } from "../../application/ports/message-repository.ts"
import { SmsGateway } from "../../application/ports/sms-gateway.ts"
import { MemorySmsGateway, MemorySmsGatewayControl } from "../../application/testing/index.ts"
import { UseCases } from "../../application/use-cases.ts"
import { NewContact } from "../../domain/contact-input.ts"
import { Actor } from "../../domain/contact-merge-record.ts"
import type { MessageId, MessageStatus } from "../../domain/messaging/message.ts"
import { makeInbound, makeMessage } from "../support/port-suites/message-repository.ts"
import { testDatabase } from "../support/test-database.ts"

// The application on PostgreSQL with the real job engine (a SingleRunner on
// the same database) and the in-memory provider. Reconcile looks at texts in
// doubt at once here; production waits 2 minutes.
const config = ConfigProvider.layer(ConfigProvider.fromUnknown({ MESSAGES_RECONCILE_GRACE: "0 millis" }))
// QuickBooks off: these tests are not about it.
const ports = Layer.mergeAll(SqlPorts, LiveIds, MemorySmsGateway, QuickBooksOff, AccountingSyncOff, jobEngineLayer({ mode: "single", sharding: fastJobTimings }))
const application = SendTextWorkflowLayer.pipe(
  Layer.provideMerge(UseCases),
  Layer.provideMerge(ports),
  Layer.provideMerge(testDatabase()),
  Layer.provide(config)
)

const newContact = Schema.decodeUnknownSync(NewContact)
const actor = new Actor({ tokenId: null, name: "integration test" })

const contactWith = (firstName: string, phone: string) => Contacts.use((contacts) => contacts.create(newContact({ firstName, phone })))

const contactIdsOf = (messageIds: ReadonlyArray<MessageId>) =>
  MessageRepository.use((repo) =>
    Effect.forEach(messageIds, (id) => Effect.map(repo.findById(id), (found) => Option.getOrThrow(found).contactId))
  )

/** Polls the message until its status is one of `statuses` (the engine runs the workflow in the background). */
const statusBecomes = (id: MessageId, statuses: ReadonlyArray<MessageStatus>) =>
  MessageRepository.use((repo) => repo.findById(id)).pipe(
    Effect.map(Option.getOrThrow),
    Effect.flatMap((message) => statuses.includes(message.status) ? Effect.succeed(message) : Effect.fail("pending" as const)),
    Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 400 })
  )

layer(application, { timeout: 60_000, excludeTestServices: true })("messages on PostgreSQL", (it) => {
  it.effect("sends a text through the job engine: queued, then sent once, recorded as a job", () =>
    Effect.gen(function*() {
      const contact = yield* contactWith("Sam", "+1 720 555 0101")
      const gateway = yield* MemorySmsGatewayControl
      const before = (yield* gateway.sent).length
      const message = yield* (yield* SendText).send(contact.id, "Crew arrives at 9")
      assert.strictEqual(message.status, "queued")
      const sent = yield* statusBecomes(message.id, ["sent"])
      assert.isNotNull(sent.providerId)
      const mine = (yield* gateway.sent).slice(before).filter((m) => m.text === "Crew arrives at 9")
      assert.deepStrictEqual(mine.map((m) => m.providerId), [sent.providerId])
      const job = yield* (yield* JobExecutions).findById(yield* SendTextWorkflow.executionId({ messageId: message.id }))
      assert.deepInclude(Option.getOrThrow(job), { kind: "messages.send-text" })
    }))

  it.effect("contacts merged later: messages follow the primary, and undo moves them back", () =>
    Effect.gen(function*() {
      const repo = yield* MessageRepository
      const primary = yield* contactWith("Pat", "+1 720 555 0111")
      const secondary = yield* contactWith("Patricia", "+1 720 555 0122")
      const now = yield* DateTime.now
      const ofPrimary = makeMessage(primary, { status: "sent", providerId: `AC-p-${primary.id}`, createdAt: now })
      const ofSecondary = [
        makeInbound(secondary, { createdAt: now }),
        makeMessage(secondary, { status: "delivered", providerId: `AC-s-${secondary.id}`, createdAt: now })
      ]
      for (const message of [ofPrimary, ...ofSecondary]) yield* repo.insert(message)

      const merges = yield* ContactMerges
      const merged = yield* merges.merge(primary.id, secondary.id, actor)
      assert.deepStrictEqual(yield* contactIdsOf([ofPrimary.id, ...ofSecondary.map((m) => m.id)]), [primary.id, primary.id, primary.id])
      const listed = yield* repo.listByContact(primary.id, { after: undefined, limit: 10 })
      assert.strictEqual(listed.length, 3)
      assert.deepStrictEqual(yield* repo.listByContact(secondary.id, { after: undefined, limit: 10 }), [])
      assert.isTrue(merged.merge.movedReferences.some((move) => move.table === "messages"))

      yield* merges.undo(merged.merge.id, actor)
      assert.deepStrictEqual(
        yield* contactIdsOf([ofPrimary.id, ...ofSecondary.map((m) => m.id)]),
        [primary.id, secondary.id, secondary.id]
      )
    }))

  it.effect("enforces opt-out at send, also for a number of a contact merged in: 409-style refusal, nothing sent", () =>
    Effect.gen(function*() {
      const gateway = yield* MemorySmsGatewayControl
      const attempts = yield* gateway.attempts
      const sendText = yield* SendText
      const primary = yield* contactWith("Lee", "+1 720 555 0133")
      const secondary = yield* contactWith("Leigh", "+1 720 555 0144")
      yield* (yield* OptOuts).optOut(secondary.id)
      assert.strictEqual((yield* Effect.flip(sendText.send(secondary.id, "Hi")))._tag, "OptedOut")

      const merges = yield* ContactMerges
      const merged = yield* merges.merge(primary.id, secondary.id, actor)
      assert.strictEqual((yield* Effect.flip(sendText.send(primary.id, "Hi")))._tag, "OptedOut")
      const repo = yield* MessageRepository
      assert.deepStrictEqual(yield* repo.listByContact(primary.id, { after: undefined, limit: 10 }), [])
      assert.strictEqual(yield* gateway.attempts, attempts)

      // Undone, the primary's own number is textable again; the secondary's stays opted out.
      yield* merges.undo(merged.merge.id, actor)
      const message = yield* sendText.send(primary.id, "Hi again")
      yield* statusBecomes(message.id, ["sent"])
      assert.strictEqual((yield* Effect.flip(sendText.send(secondary.id, "Hi")))._tag, "OptedOut")
    }))

  it.effect("reconciles a text left in doubt by a crash from the provider's list instead of sending it again", () =>
    Effect.gen(function*() {
      const repo = yield* MessageRepository
      const gateway = yield* MemorySmsGatewayControl
      const contact = yield* contactWith("Kim", "+1 720 555 0155")
      const now = yield* DateTime.now
      const message = makeMessage(contact, { contactNumber: contact.phone!, body: "Invoice attached", createdAt: now })
      yield* repo.insert(message)
      // The crash: the claim committed, the provider took the text, and its answer was never recorded.
      assert.isTrue(yield* repo.claim(message.id, now))
      const accepted = yield* (yield* SmsGateway).send({ to: contact.phone!, content: message.body })
      const attempts = yield* gateway.attempts

      // A replay of the delivery finds the row claimed and leaves the provider alone.
      assert.strictEqual(yield* SendTextWorkflow.execute({ messageId: message.id }), "sending")
      const report = yield* (yield* ReconcileMessages).run
      assert.isAtLeast(report.sent, 1)
      const settled = yield* statusBecomes(message.id, ["sent"])
      assert.strictEqual(settled.providerId, accepted.providerId)
      assert.strictEqual(yield* gateway.attempts, attempts)
      assert.isTrue(Option.isNone(Option.filter(yield* repo.findById(message.id), (m) => m.status === "sending")))
      // Each provider message is claimed by one text only.
      assert.strictEqual((yield* repo.findByProviderId(accepted.providerId)).pipe(Option.map((m) => m.id), Option.getOrNull), message.id)
    }))
})

