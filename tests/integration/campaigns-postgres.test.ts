import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Ref } from "effect"
import { LiveIds } from "../../adapters/platform/live-ids.ts"
import { SqlPorts } from "../../adapters/sql/sql-ports.ts"
import { Campaigns } from "../../application/campaigns/campaigns.ts"
import { MemorySmsGateway } from "../../application/testing/memory-sms-gateway.ts"
import { ContactListRepository } from "../../application/ports/contact-list-repository.ts"
import { ContactRepository } from "../../application/ports/contact-repository.ts"
import { OptOutLog } from "../../application/ports/opt-out-log.ts"
import type { Contact } from "../../domain/contact.ts"
import { makeList } from "../support/port-suites/contact-list-repository.ts"
import { makeContact } from "../support/port-suites/fixtures.ts"
import { freshPhone, optOutEvent } from "../support/port-suites/opt-out-log.ts"
import { CampaignsWithRecordingSender, SenderCalls } from "../support/recording-campaign-sender.ts"
import { testDatabase } from "../support/test-database.ts"

// The campaign use cases on PostgreSQL: the audience is frozen in one
// transaction from lists, tags and ids; starting the send run is only recorded
// (the send workflow has its own tests).
const application = CampaignsWithRecordingSender.pipe(
  Layer.provideMerge(Layer.mergeAll(SqlPorts, LiveIds, MemorySmsGateway)),
  Layer.provideMerge(testDatabase())
)

const insert = (contacts: ReadonlyArray<Contact>) =>
  Effect.flatMap(Effect.service(ContactRepository), (repo) => Effect.forEach(contacts, repo.insert, { discard: true }))

layer(application, { timeout: 120_000, excludeTestServices: true })("Campaigns on PostgreSQL", (it) => {
  it.effect("freezes lists, tags and ids once per contact with exclusions, and estimates before and after alike", () =>
    Effect.gen(function*() {
      const campaigns = yield* Campaigns
      const tag = `spring-${freshPhone().slice(2)}`
      const [p1, p2, p3, p4, p5] = [freshPhone(), freshPhone(), freshPhone(), freshPhone(), freshPhone()]
      const listed = makeContact({ firstName: "Ann", lastName: "Ames", phone: p1 })
      const tagged = makeContact({ firstName: "Bob", lastName: "Bell", phone: p2, tags: [tag] })
      const byId = makeContact({ firstName: "Cy", lastName: "Cole", phone: p3 })
      const twin = makeContact({ firstName: "Dee", lastName: "Dunn", phone: p1, tags: [tag] })
      const noPhone = makeContact({ firstName: "Eve", tags: [tag] })
      const optedOut = makeContact({ firstName: "Fay", lastName: "Fox", phone: p4, tags: [tag] })
      const extension = makeContact({ firstName: "Gus", lastName: "Gray", phone: p5, phoneExtension: "9", tags: [tag] })
      // No last name, which both templates need without a fallback.
      const blank = makeContact({ firstName: "Ida", phone: freshPhone(), tags: [tag] })
      const merged = makeContact({ firstName: "Hal", phone: freshPhone(), tags: [tag], status: "merged", mergedIntoId: listed.id })
      yield* insert([listed, tagged, byId, twin, noPhone, optedOut, extension, blank, merged])
      const list = makeList()
      const lists = yield* ContactListRepository
      yield* lists.insert(list)
      yield* lists.addMembers(list.id, [listed.id, tagged.id], { addedAt: DateTime.nowUnsafe() })
      yield* (yield* OptOutLog).record(optOutEvent(p4))

      const campaign = yield* campaigns.create({
        name: "Spring",
        variants: [{ template: "Hi {first_name} {last_name}, {business_name} here", weight: 1 }, { template: "Hello {last_name}", weight: 1 }],
        audience: { listIds: [list.id], tags: [tag], contactIds: [byId.id, listed.id] },
        dailyLimit: 2
      })
      const before = yield* campaigns.estimate(campaign.id)
      assert.deepStrictEqual([before.recipients, before.daysNeeded, before.frozen], [3, 2, false])
      assert.deepStrictEqual(before.excluded, {
        opted_out: 1, no_phone: 1, not_textable: 1, duplicate_phone: 1, missing_field: 1, too_long: 0
      })

      const started = yield* campaigns.start(campaign.id)
      assert.strictEqual(started.status, "scheduled")
      assert.deepStrictEqual(yield* SenderCalls.use(Ref.get), [`start:${campaign.id}:1`])
      const page = yield* campaigns.recipients(campaign.id, { status: undefined, after: undefined, limit: 50 })
      assert.strictEqual(page.items.length, 8)
      const sent = page.items.filter((v) => v.status === "pending")
      assert.sameMembers(sent.map((v) => v.recipient.contactId), [listed.id, tagged.id, byId.id])
      for (const v of sent) assert.match(v.recipient.body ?? "", v.recipient.variant === "A" ? /^Hi \w+ \w+, Attack-a-Crack here$/ : /^Hello \w+$/)
      const after = yield* campaigns.estimate(campaign.id)
      assert.deepStrictEqual(after, { ...before, frozen: true })
      const results = yield* campaigns.results(campaign.id)
      assert.deepStrictEqual([results.recipients, results.byStatus.pending, results.byStatus.skipped], [8, 3, 5])
    }))
})
