import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer, Ref } from "effect"
import { v7 } from "uuid"
import { CampaignNotEditable, InvalidCampaign } from "../../../application/campaigns/campaign-errors.ts"
import { Campaigns } from "../../../application/campaigns/campaigns.ts"
import { CampaignRepository } from "../../../application/ports/campaign-repository.ts"
import { ContactListRepository } from "../../../application/ports/contact-list-repository.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { MessageRepository } from "../../../application/ports/message-repository.ts"
import { OptOutLog } from "../../../application/ports/opt-out-log.ts"
import { TestPorts } from "../../../application/testing/index.ts"
import { TEST_BUSINESS_NUMBER } from "../../../application/testing/memory-sms-gateway.ts"
import { CampaignId, InvalidCampaignTransition } from "../../../domain/campaigns/campaign.ts"
import type { NewCampaign } from "../../../domain/campaigns/campaign-input.ts"
import type { Contact } from "../../../domain/contact.ts"
import { makeContact } from "../../support/port-suites/fixtures.ts"
import { makeList } from "../../support/port-suites/contact-list-repository.ts"
import { makeInbound, makeMessage } from "../../support/port-suites/message-repository.ts"
import { optOutEvent } from "../../support/port-suites/opt-out-log.ts"
import { CampaignsWithRecordingSender, SenderCalls } from "../../support/recording-campaign-sender.ts"

const TestLayer = CampaignsWithRecordingSender.pipe(Layer.provideMerge(TestPorts))

const draft = (fields: Partial<NewCampaign> = {}): NewCampaign => ({
  name: "Spring sealing",
  variants: [{ template: "Hi {first_name}, your driveway at {property_address|your home} needs sealing?" }],
  audience: {},
  ...fields
})

const insert = (contacts: ReadonlyArray<Contact>) =>
  Effect.flatMap(Effect.service(ContactRepository), (repo) => Effect.forEach(contacts, repo.insert, { discard: true }))

/** Contacts that exercise every exclusion, plus three who get a text. */
const audienceFixture = Effect.gen(function*() {
  const ann = makeContact({ firstName: "Ann", phone: "+15125550101", tags: ["spring"] })
  const bob = makeContact({ firstName: "Bob", phone: "+15125550102" })
  const cy = makeContact({ firstName: "Cy", phone: "+15125550103", company: "Acme" })
  const noPhone = makeContact({ firstName: "Dee", phone: null, tags: ["spring"] })
  const extension = makeContact({ firstName: "Eve", phone: "+15125550105", phoneExtension: "12", tags: ["spring"] })
  const twin = makeContact({ firstName: "Fay", phone: "+15125550101", tags: ["spring"] })
  const optedOut = makeContact({ firstName: "Gus", phone: "+15125550107", tags: ["spring"] })
  const blankName = makeContact({ firstName: " ", phone: "+15125550108", tags: ["spring"] })
  const merged = makeContact({ firstName: "Hal", phone: "+15125550109", tags: ["spring"], status: "merged", mergedIntoId: ann.id })
  const outsider = makeContact({ firstName: "Ivy", phone: "+15125550110" })
  yield* insert([ann, bob, cy, noPhone, extension, twin, optedOut, blankName, merged, outsider])
  const list = makeList()
  const lists = yield* ContactListRepository
  yield* lists.insert(list)
  yield* lists.addMembers(list.id, [bob.id, ann.id], { addedAt: DateTime.makeUnsafe(0) })
  yield* (yield* OptOutLog).record(optOutEvent("+15125550107"))
  return { ann, bob, cy, list, audience: { listIds: [list.id], tags: ["Spring"], contactIds: [cy.id, ann.id] } }
})

describe("Campaigns", () => {
  it.effect("refuses unknown placeholders naming them and the allowed ones, and texts over 10 segments", () =>
    Effect.gen(function*() {
      const campaigns = yield* Campaigns
      const unknown = yield* Effect.flip(campaigns.create(draft({
        variants: [{ template: "Hi {first_name}" }, { template: "Hi {firstname} at {zip}" }]
      })))
      assert.instanceOf(unknown, InvalidCampaign)
      assert.strictEqual(unknown.path, "variants.1.template")
      assert.include(unknown.message, "{firstname}, {zip}")
      assert.include(unknown.message, "{first_name}, {last_name}, {full_name}, {company}, {city}, {property_address}, {business_name}")
      const long = yield* Effect.flip(campaigns.create(draft({ variants: [{ template: "a".repeat(1_531) }] })))
      assert.instanceOf(long, InvalidCampaign)
      assert.strictEqual(long.path, "variants.0.template")
      // The gateway sends from its one configured number: another is refused, not silently replaced.
      const otherNumber = yield* Effect.flip(campaigns.create(draft({ from: "+13035550100" })))
      assert.instanceOf(otherNumber, InvalidCampaign)
      assert.strictEqual(otherNumber.path, "from")
      assert.include(otherNumber.message, TEST_BUSINESS_NUMBER.number)
      const configured = yield* campaigns.create(draft({ from: TEST_BUSINESS_NUMBER.number }))
      assert.strictEqual(configured.fromNumber, TEST_BUSINESS_NUMBER.number)
      assert.include(long.message, "11")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("creates a draft with the defaults and edits it only while it is a draft", () =>
    Effect.gen(function*() {
      const campaigns = yield* Campaigns
      const created = yield* campaigns.create(draft({
        variants: [{ template: "A {first_name|there}", weight: 3 }, { template: "B" }],
        audience: { tags: ["spring", "spring"] }
      }))
      assert.deepStrictEqual(
        [created.status, created.dailyLimit, created.quietHours, created.fromNumber, created.sendRuns],
        ["draft", 125, { start: "09:00", end: "20:00" }, null, 0]
      )
      assert.deepStrictEqual(created.variants, [{ key: "A", template: "A {first_name|there}", weight: 3 }, { key: "B", template: "B", weight: 1 }])
      assert.deepStrictEqual(created.audience, { listIds: [], tags: ["spring"], contactIds: [] })

      const patched = yield* campaigns.patch(created.id, { name: "Renamed", dailyLimit: 40, from: "+15125550100" })
      assert.deepStrictEqual([patched.name, patched.dailyLimit, patched.fromNumber], ["Renamed", 40, "+15125550100"])
      assert.deepStrictEqual(yield* campaigns.get(created.id), patched)
      const bad = yield* Effect.flip(campaigns.patch(created.id, { variants: [{ template: "{nope}" }] }))
      assert.strictEqual(bad._tag, "InvalidCampaign")

      yield* campaigns.start(created.id)
      const frozen = yield* Effect.flip(campaigns.patch(created.id, { name: "Too late" }))
      assert.instanceOf(frozen, CampaignNotEditable)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("moves draft -> scheduled -> paused -> sending -> cancelled, starting and waking runs, and refuses the rest", () =>
    Effect.gen(function*() {
      const campaigns = yield* Campaigns
      const calls = yield* SenderCalls
      const { id } = yield* campaigns.create(draft())
      const early = yield* Effect.flip(campaigns.pause(id))
      assert.instanceOf(early, InvalidCampaignTransition)
      assert.deepStrictEqual([early.from, early.event], ["draft", "pause"])

      assert.deepStrictEqual(
        [(yield* campaigns.start(id)).status, (yield* campaigns.pause(id)).status, (yield* campaigns.resume(id)).status],
        ["scheduled", "paused", "sending"]
      )
      assert.strictEqual((yield* Effect.flip(campaigns.start(id)))._tag, "InvalidCampaignTransition")
      const cancelled = yield* campaigns.cancel(id)
      assert.strictEqual(cancelled.status, "cancelled")
      assert.isNotNull(cancelled.finishedAt)
      assert.strictEqual((yield* Effect.flip(campaigns.resume(id)))._tag, "InvalidCampaignTransition")
      assert.deepStrictEqual(yield* Ref.get(calls), [
        `start:${id}:1`,
        `wake:${id}:1`,
        `start:${id}:2`,
        `withdraw:${id}`,
        `wake:${id}:2`
      ])
      assert.strictEqual((yield* Effect.flip(campaigns.get(CampaignId.make(v7()))))._tag, "CampaignNotFound")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("freezes lists, tags and ids into one recipient per contact, excluding with reasons", () =>
    Effect.gen(function*() {
      const campaigns = yield* Campaigns
      const { ann, bob, cy, audience } = yield* audienceFixture
      const { id } = yield* campaigns.create(draft({ variants: [{ template: "Hi {first_name}" }], audience }))
      yield* campaigns.start(id)
      const page = yield* campaigns.recipients(id, { status: undefined, after: undefined, limit: 50 })
      const byName = new Map(page.items.map((v) => [v.recipient.contactId, v]))
      assert.strictEqual(page.items.length, 8)
      assert.deepStrictEqual(
        [ann, bob, cy].map((c) => [byName.get(c.id)?.status, byName.get(c.id)?.recipient.body]),
        [["pending", "Hi Ann"], ["pending", "Hi Bob"], ["pending", "Hi Cy"]]
      )
      const reasons = page.items.filter((v) => v.status === "skipped").map((v) => v.reason).sort()
      assert.deepStrictEqual(reasons, ["duplicate_phone", "missing_field", "no_phone", "not_textable", "opted_out"])
      // Starting again is refused, so the audience is frozen once.
      yield* Effect.flip(campaigns.start(id))
      const skipped = yield* campaigns.recipients(id, { status: "skipped", after: undefined, limit: 2 })
      assert.strictEqual(skipped.items.length, 2)
      assert.isDefined(skipped.next)
      const rest = yield* campaigns.recipients(id, { status: "skipped", after: skipped.next, limit: 10 })
      assert.strictEqual(rest.items.length, 3)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("estimates a draft's audience and the frozen recipients alike", () =>
    Effect.gen(function*() {
      const campaigns = yield* Campaigns
      const { audience } = yield* audienceFixture
      const { id } = yield* campaigns.create(draft({
        variants: [{ template: "Hi {first_name}! It’s sealing season" }],
        audience,
        dailyLimit: 2
      }))
      const before = yield* campaigns.estimate(id)
      assert.deepStrictEqual(before, {
        frozen: false,
        recipients: 3,
        excluded: { opted_out: 1, no_phone: 1, not_textable: 1, duplicate_phone: 1, missing_field: 1, too_long: 0 },
        segments: { "GSM-7": 0, "UCS-2": 3 },
        centsPerSegment: 5,
        totalCents: 15,
        dailyLimit: 2,
        daysNeeded: 2
      })
      yield* campaigns.start(id)
      assert.deepStrictEqual(yield* campaigns.estimate(id), { ...before, frozen: true })
    }).pipe(Effect.provide(TestLayer)))

  it.effect("previews one contact's message with its segments, or why it would be skipped", () =>
    Effect.gen(function*() {
      const campaigns = yield* Campaigns
      const { ann } = yield* audienceFixture
      const blank = makeContact({ firstName: " ", phone: "+15125550120" })
      yield* insert([blank])
      const { id } = yield* campaigns.create(draft({ variants: [{ template: "Hi {first_name}, from {business_name}" }] }))
      const preview = yield* campaigns.preview(id, ann.id)
      assert.deepStrictEqual(preview, {
        contactId: ann.id,
        variant: "A",
        body: "Hi Ann, from Attack-a-Crack",
        skippedReason: null,
        details: { encoding: "GSM-7", units: 27, segments: 1, unitsPerSegment: 160, nonGsmCharacters: [] },
        costCents: 5
      })
      const skipped = yield* campaigns.preview(id, blank.id)
      assert.deepStrictEqual([skipped.body, skipped.skippedReason, skipped.details], [null, "missing_field", null])
      assert.strictEqual((yield* Effect.flip(campaigns.preview(id, makeContact().id)))._tag, "ContactNotFound")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("reports results per variant: statuses from the messages, replies and opt-outs within 7 days, cost", () =>
    Effect.gen(function*() {
      const campaigns = yield* Campaigns
      const repo = yield* CampaignRepository
      const messages = yield* MessageRepository
      const { ann, bob, audience } = yield* audienceFixture
      const { id } = yield* campaigns.create(draft({ variants: [{ template: "Hi {first_name}" }], audience }))
      yield* campaigns.start(id)
      const sentAt = DateTime.makeUnsafe("2026-05-01T15:00:00Z")
      for (const [contact, status] of [[ann, "delivered"], [bob, "failed"]] as const) {
        const message = makeMessage(contact, { status, sentAt: status === "failed" ? null : sentAt, error: status === "failed" ? "500" : null })
        yield* messages.insert(message)
        const page = yield* repo.recipients(id, { status: "pending", after: undefined, limit: 50 })
        const recipient = page.find((v) => v.recipient.contactId === contact.id)!
        yield* repo.markRecipientQueued(recipient.recipient.id, message.id, sentAt)
      }
      yield* messages.insert(makeInbound(ann, { createdAt: DateTime.add(sentAt, { days: 2 }) }))
      const results = yield* campaigns.results(id)
      assert.deepStrictEqual(
        [results.recipients, results.sent, results.delivered, results.failed, results.replies, results.optOuts],
        [8, 1, 1, 1, 1, 0]
      )
      assert.deepStrictEqual([results.estimatedCents, results.actualCents], [15, 5])
      assert.strictEqual(results.byStatus.pending, 1)
      assert.deepStrictEqual(results.variants.map((v) => [v.variant, v.recipients]), [["A", 8]])
    }).pipe(Effect.provide(TestLayer)))
})
