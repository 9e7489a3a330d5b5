import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, DateTime, Effect, Layer, Schema } from "effect"
import { TestClock } from "effect/testing"
import { CampaignSendWorkflowLayer } from "../../../../application/campaigns/campaign-send-workflow.ts"
import { CampaignSender } from "../../../../application/campaigns/campaign-sender.ts"
import { Contacts } from "../../../../application/contacts/contacts.ts"
import { SendTextWorkflowLayer } from "../../../../application/messaging/send-text-workflow.ts"
import { CampaignRepository } from "../../../../application/ports/campaign-repository.ts"
import { FixedRecipientTimeZone, MemorySmsGatewayControl, TestPorts, UseCases } from "../../../../application/testing/index.ts"
import { NewContact } from "../../../../domain/contact-input.ts"
import { seedCampaign } from "../../../support/campaign-fixtures.ts"

// The send run on the in-memory engine with TestClock: the recipients are in
// New York (212), the window is 09:00-20:00 there.
const TestSending = Layer.mergeAll(CampaignSendWorkflowLayer, SendTextWorkflowLayer).pipe(
  Layer.provideMerge(Layer.mergeAll(UseCases, CampaignSender.layer)),
  Layer.provideMerge(TestPorts),
  Layer.provideMerge(FixedRecipientTimeZone({ businessZone: "America/New_York" })),
  Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({})))
)

const newContact = Schema.decodeUnknownSync(NewContact)
const newYork = DateTime.zoneMakeNamedUnsafe("America/New_York")
/** 07:00 in New York on 2026-03-09, the Monday after the spring-forward change. */
const SEVEN_AM = DateTime.makeZonedUnsafe({ year: 2026, month: 3, day: 9, hour: 7 }, { timeZone: newYork, adjustForTimeZone: true })

const statuses = (campaignId: Parameters<CampaignRepository["Service"]["recipients"]>[0]) =>
  CampaignRepository.use((repo) =>
    Effect.map(repo.recipients(campaignId, { status: undefined, after: undefined, limit: 10 }), (views) => views.map((v) => v.status))
  )

/** Lets the engine's forked runs go as far as they can at this instant. */
const settle = Effect.gen(function*() {
  for (let i = 0; i < 500; i++) yield* Effect.yieldNow
  yield* TestClock.adjust("1 millis")
  for (let i = 0; i < 500; i++) yield* Effect.yieldNow
})

/**
 * The recipients' statuses once the runs due at this instant have finished.
 * A busy machine may need a few real event-loop turns (the in-memory
 * stores answer through promises), so it looks again, briefly, until the
 * statuses are the expected ones; TestClock never moves meanwhile.
 */
const statusesAfterSettling = (
  campaignId: Parameters<typeof statuses>[0],
  expected: ReadonlyArray<string>
) =>
  Effect.gen(function*() {
    yield* settle
    let seen = yield* statuses(campaignId)
    for (let round = 0; round < 200 && JSON.stringify(seen) !== JSON.stringify(expected); round++) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
      for (let i = 0; i < 100; i++) yield* Effect.yieldNow
      seen = yield* statuses(campaignId)
    }
    return seen
  })

describe("campaign send workflow (in-memory engine)", () => {
  it.effect("waits for the recipients' 09:00, then sends each once, spread over the window", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(SEVEN_AM))
      const contacts = yield* Effect.forEach([0, 1], (i) =>
        Contacts.use((c) => c.create(newContact({ firstName: `Ny${i}`, phone: `+1 212 555 010${i}` }))))
      const { campaign } = yield* seedCampaign({ contacts, quietHours: { start: "09:00", end: "20:00" }, dailyLimit: 4 })
      yield* (yield* CampaignSender).start({ campaignId: campaign.id, run: 1 })
      assert.deepStrictEqual(yield* statusesAfterSettling(campaign.id, ["pending", "pending"]), ["pending", "pending"])

      yield* TestClock.adjust("2 hours")
      // 09:00: the first goes at once; the second waits a share of the window (11 h / 4).
      assert.deepStrictEqual(yield* statusesAfterSettling(campaign.id, ["sent", "pending"]), ["sent", "pending"])
      yield* TestClock.adjust("3 hours")
      assert.deepStrictEqual(yield* statusesAfterSettling(campaign.id, ["sent", "sent"]), ["sent", "sent"])
      assert.strictEqual((yield* (yield* MemorySmsGatewayControl).sent).length, 2)
    }).pipe(Effect.provide(TestSending)))

  it.effect("keeps the number's daily limit: the day's last unit used, the rest waits for the next business day", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(SEVEN_AM) + 3 * 3_600_000)
      const contacts = yield* Effect.forEach([0, 1], (i) =>
        Contacts.use((c) => c.create(newContact({ firstName: `Limit${i}`, phone: `+1 212 555 020${i}` }))))
      const { campaign } = yield* seedCampaign({ contacts, quietHours: { start: "09:00", end: "20:00" }, dailyLimit: 1 })
      yield* (yield* CampaignSender).start({ campaignId: campaign.id, run: 1 })
      assert.deepStrictEqual(yield* statusesAfterSettling(campaign.id, ["sent", "pending"]), ["sent", "pending"])
      yield* TestClock.adjust("12 hours")
      assert.deepStrictEqual(yield* statusesAfterSettling(campaign.id, ["sent", "pending"]), ["sent", "pending"], "the same business day, 22:00")
      // Midnight starts a new count, but 09:00 opens the window.
      yield* TestClock.adjust("11 hours")
      assert.deepStrictEqual(yield* statusesAfterSettling(campaign.id, ["sent", "sent"]), ["sent", "sent"])
    }).pipe(Effect.provide(TestSending)))
})
