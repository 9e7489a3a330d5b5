import { assert, layer } from "@effect/vitest"
import { ConfigProvider, DateTime, Duration, Effect, Layer, Option, Schedule, Schema } from "effect"
import { RecipientTimeZoneLive } from "../../adapters/campaigns/phone-time-zone.ts"
import { fastJobTimings, jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { LiveIds } from "../../adapters/platform/live-ids.ts"
import { AccountingSyncOff } from "../../application/accounting/accounting-sync-live.ts"
import { QuickBooksOff } from "../../application/accounting/quickbooks-off.ts"
import { SqlPorts } from "../../adapters/sql/sql-ports.ts"
import { CampaignSendWorkflow, CampaignSendWorkflowLayer, firstPart } from "../../application/campaigns/campaign-send-workflow.ts"
import { CampaignSender, WITHDRAWN } from "../../application/campaigns/campaign-sender.ts"
import { Contacts } from "../../application/contacts/contacts.ts"
import { OptOuts } from "../../application/messaging/opt-outs.ts"
import { SendTextWorkflowLayer } from "../../application/messaging/send-text-workflow.ts"
import { CampaignRepository } from "../../application/ports/campaign-repository.ts"
import { JobExecutions } from "../../application/ports/job-executions.ts"
import { MemorySmsGateway, MemorySmsGatewayControl } from "../../application/testing/index.ts"
import { UseCases } from "../../application/use-cases.ts"
import type { Campaign } from "../../domain/campaigns/campaign.ts"
import { NewContact } from "../../domain/contact-input.ts"
import { closedWindow, seedCampaign } from "../support/campaign-fixtures.ts"
import { testDatabase } from "../support/test-database.ts"

// The campaign send workflow on PostgreSQL with the real job engine (a
// SingleRunner on the same database) and the in-memory provider. Waits
// longer than 200 ms are durable timers here, as a night's wait is in production.
// The contacts' numbers (720) are in Denver, as is the business.
const BUSINESS_TIMEZONE = "America/Denver"
const config = ConfigProvider.layer(ConfigProvider.fromUnknown({
  MESSAGES_RECONCILE_GRACE: "0 millis",
  BUSINESS_TIMEZONE,
  CAMPAIGN_IN_MEMORY_WAIT: "200 millis"
}))
// QuickBooks off: these tests are not about it.
const ports = Layer.mergeAll(SqlPorts, LiveIds, MemorySmsGateway, QuickBooksOff, AccountingSyncOff, RecipientTimeZoneLive, jobEngineLayer({ mode: "single", sharding: fastJobTimings }))
const application = Layer.mergeAll(SendTextWorkflowLayer, CampaignSendWorkflowLayer).pipe(
  Layer.provideMerge(Layer.mergeAll(UseCases, CampaignSender.layer)),
  Layer.provideMerge(ports),
  Layer.provideMerge(testDatabase()),
  Layer.provide(config)
)

const newContact = Schema.decodeUnknownSync(NewContact)
let nextPhone = 1000
const contacts = (count: number) =>
  Effect.forEach(Array.from({ length: count }, (_, i) => i), (i) =>
    Contacts.use((c) => c.create(newContact({ firstName: `Pat${i}`, phone: `+1 720 555 ${nextPhone++}` }))))

const campaignNow = (id: Campaign["id"]) => CampaignRepository.use((repo) => Effect.map(repo.findById(id), Option.getOrThrow))

/** Polls until `check` answers a value (the engine runs the workflows in the background). */
const eventually = <A, R>(check: Effect.Effect<Option.Option<A>, never, R>, what: string, tries = 400) =>
  check.pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(what), onSome: Effect.succeed })),
    Effect.retry({ schedule: Schedule.spaced("50 millis"), times: tries })
  )

/** The run's first part has ended (its result is stored). */
const runEnded = (campaign: Campaign, run: number) =>
  eventually(
    Effect.gen(function*() {
      const id = yield* CampaignSendWorkflow.executionId(firstPart({ campaignId: campaign.id, run }))
      const result = yield* CampaignSendWorkflow.poll(id)
      return Option.filter(result, (r) => r._tag === "Complete")
    }),
    `run ${run} ended`
  )

const recipientStatuses = (campaign: Campaign) =>
  CampaignRepository.use((repo) =>
    Effect.map(repo.recipients(campaign.id, { status: undefined, after: undefined, limit: 1000 }), (views) => views.map((v) => v.status))
  )

const allSent = (campaign: Campaign, count: number) =>
  eventually(
    Effect.map(recipientStatuses(campaign), (statuses) =>
      statuses.length === count && statuses.every((s) => s === "sent") ? Option.some(statuses) : Option.none()),
    "every recipient sent"
  ).pipe(
    Effect.catch((what) =>
      Effect.flatMap(recipientStatuses(campaign), (statuses) => Effect.fail(`${what}: ${JSON.stringify(statuses)}`)))
  )

/** How many texts the provider took for each body. */
const sentBodies = Effect.map(MemorySmsGatewayControl.use((g) => g.sent), (sent) => {
  const counts = new Map<string, number>()
  for (const m of sent) counts.set(m.text, (counts.get(m.text) ?? 0) + 1)
  return counts
})

const setStatus = (campaign: Campaign, status: Campaign["status"], changes: Partial<Campaign> = {}) =>
  CampaignRepository.use((repo) =>
    Effect.flatMap(campaignNow(campaign.id), (current) => repo.update({ ...current, ...changes, status })))

layer(application, { timeout: 120_000, excludeTestServices: true })("campaign sending on PostgreSQL", (it) => {
  it.effect("sends each recipient once, then completes the campaign; starting the run again sends nothing more", () =>
    Effect.gen(function*() {
      const { campaign, recipients } = yield* seedCampaign({ contacts: yield* contacts(6) })
      const sender = yield* CampaignSender
      yield* sender.start({ campaignId: campaign.id, run: 1 })
      yield* allSent(campaign, 6)
      yield* runEnded(campaign, 1)
      const done = yield* campaignNow(campaign.id)
      assert.strictEqual(done.status, "completed")
      assert.isNotNull(done.finishedAt)

      yield* sender.start({ campaignId: campaign.id, run: 1 })
      const counts = yield* sentBodies
      assert.deepStrictEqual(recipients.map((r) => counts.get(r.body ?? "")), recipients.map(() => 1))
      const job = yield* (yield* JobExecutions).findById(
        yield* CampaignSendWorkflow.executionId(firstPart({ campaignId: campaign.id, run: 1 }))
      )
      assert.deepInclude(Option.getOrThrow(job), { kind: "campaigns.send", status: "succeeded" })
    }))

  it.effect("skips a recipient who opted out after the audience was frozen", () =>
    Effect.gen(function*() {
      const people = yield* contacts(3)
      const { campaign, recipients } = yield* seedCampaign({ contacts: people })
      yield* (yield* OptOuts).optOut(people[1]!.id)
      yield* (yield* CampaignSender).start({ campaignId: campaign.id, run: 1 })
      yield* runEnded(campaign, 1)
      const views = yield* CampaignRepository.use((repo) =>
        repo.recipients(campaign.id, { status: undefined, after: undefined, limit: 10 })
      )
      const byContact = new Map(views.map((v) => [v.recipient.contactId, v]))
      assert.deepInclude(byContact.get(people[1]!.id), { status: "skipped", reason: "opted_out" })
      const counts = yield* sentBodies
      assert.isUndefined(counts.get(recipients[1]!.body ?? ""))
      yield* allSentExcept(campaign, 1)
    }))

  it.effect("waits for the start time on a durable timer, then sends", () =>
    Effect.gen(function*() {
      const startAt = DateTime.add(yield* DateTime.now, { seconds: 2 })
      const { campaign } = yield* seedCampaign({ contacts: yield* contacts(2), startAt, status: "scheduled" })
      yield* (yield* CampaignSender).start({ campaignId: campaign.id, run: 1 })
      yield* allSent(campaign, 2)
      const messages = yield* CampaignRepository.use((repo) =>
        repo.recipients(campaign.id, { status: undefined, after: undefined, limit: 10 })
      )
      for (const view of messages) {
        assert.isTrue(DateTime.isGreaterThanOrEqualTo(view.recipient.queuedAt!, startAt), "queued after the start time")
      }
      assert.strictEqual((yield* campaignNow(campaign.id)).status, "completed")
    }))

  it.effect("waits while the recipients' quiet hours last; a pause wakes the waiting run, which ends at once", () =>
    Effect.gen(function*() {
      const now = yield* DateTime.now
      const zone = DateTime.zoneMakeNamedUnsafe(BUSINESS_TIMEZONE)
      const { campaign } = yield* seedCampaign({ contacts: yield* contacts(2), quietHours: closedWindow(now, zone) })
      const sender = yield* CampaignSender
      yield* sender.start({ campaignId: campaign.id, run: 1 })
      yield* Effect.sleep(Duration.seconds(1.5))
      assert.deepStrictEqual(yield* recipientStatuses(campaign), ["pending", "pending"])

      yield* setStatus(campaign, "paused")
      const paused = yield* DateTime.now
      yield* sender.wake({ campaignId: campaign.id, run: 1 })
      yield* runEnded(campaign, 1)
      const took = DateTime.distance(paused, yield* DateTime.now)
      assert.isTrue(Duration.isLessThan(took, Duration.seconds(3)), `the run ended ${Duration.format(took)} after the pause`)
      assert.deepStrictEqual(yield* recipientStatuses(campaign), ["pending", "pending"])
    }))

  it.effect("pause stops the run within seconds; resume (a new run) sends the rest, each recipient once", () =>
    Effect.gen(function*() {
      const count = 30
      const { campaign, recipients } = yield* seedCampaign({ contacts: yield* contacts(count) })
      const sender = yield* CampaignSender
      yield* sender.start({ campaignId: campaign.id, run: 1 })
      yield* eventually(
        Effect.map(recipientStatuses(campaign), (s) => (s.filter((x) => x !== "pending").length >= 3 ? Option.some(s) : Option.none())),
        "three recipients under way"
      )
      yield* setStatus(campaign, "paused")
      yield* sender.wake({ campaignId: campaign.id, run: 1 })
      yield* runEnded(campaign, 1)
      const atPause = (yield* recipientStatuses(campaign)).filter((s) => s === "pending").length
      yield* Effect.sleep(Duration.millis(500))
      assert.strictEqual((yield* recipientStatuses(campaign)).filter((s) => s === "pending").length, atPause, "nothing queued while paused")
      assert.isAbove(atPause, 0, "the pause came before the end")

      yield* setStatus(campaign, "sending", { sendRuns: 2 })
      yield* sender.start({ campaignId: campaign.id, run: 2 })
      yield* allSent(campaign, count)
      const counts = yield* sentBodies
      assert.deepStrictEqual(recipients.map((r) => counts.get(r.body ?? "")), recipients.map(() => 1))
      assert.strictEqual((yield* campaignNow(campaign.id)).status, "completed")
    }))

  it.effect("cancel: queued texts are withdrawn, the rest skipped, and the run stops", () =>
    Effect.gen(function*() {
      const count = 30
      const { campaign } = yield* seedCampaign({ contacts: yield* contacts(count) })
      const sender = yield* CampaignSender
      const repo = yield* CampaignRepository
      yield* sender.start({ campaignId: campaign.id, run: 1 })
      yield* eventually(
        Effect.map(recipientStatuses(campaign), (s) => (s.filter((x) => x !== "pending").length >= 3 ? Option.some(s) : Option.none())),
        "three recipients under way"
      )
      // As the cancel use case does, in one transaction.
      yield* setStatus(campaign, "cancelled")
      yield* sender.withdraw(campaign.id)
      yield* repo.skipPending(campaign.id, "cancelled")
      yield* sender.wake({ campaignId: campaign.id, run: 1 })
      yield* runEnded(campaign, 1)
      yield* Effect.sleep(Duration.millis(500))
      const views = yield* repo.recipients(campaign.id, { status: undefined, after: undefined, limit: 100 })
      const sent = (yield* sentBodies)
      for (const view of views) {
        if (view.status === "sent") assert.strictEqual(sent.get(view.recipient.body ?? ""), 1)
        else assert.isUndefined(sent.get(view.recipient.body ?? ""), `${view.status} ${view.reason} was not sent`)
        assert.include(["sent", "failed", "skipped"], view.status)
        if (view.status === "failed") assert.strictEqual(view.reason, WITHDRAWN)
      }
      assert.strictEqual((yield* campaignNow(campaign.id)).status, "cancelled")
    }))
})

const allSentExcept = (campaign: Campaign, skipped: number) =>
  eventually(
    Effect.map(recipientStatuses(campaign), (statuses) =>
      statuses.filter((s) => s === "sent").length === statuses.length - skipped ? Option.some(statuses) : Option.none()),
    "every other recipient sent"
  )
