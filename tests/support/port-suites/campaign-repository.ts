import { assert } from "@effect/vitest"
import { DateTime, Effect, Option } from "effect"
import { v7 } from "uuid"
import { CampaignRepository } from "../../../application/ports/campaign-repository.ts"
import { ContactListRepository } from "../../../application/ports/contact-list-repository.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { MessageRepository } from "../../../application/ports/message-repository.ts"
import { OptOutLog } from "../../../application/ports/opt-out-log.ts"
import { PropertyRepository } from "../../../application/ports/property-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import {
  type Campaign,
  CampaignId,
  type CampaignRecipient,
  CampaignRecipientId,
  DEFAULT_QUIET_HOURS
} from "../../../domain/campaigns/campaign.ts"
import type { Contact } from "../../../domain/contact.ts"
import { type Property, PropertyId, PropertyLinkId } from "../../../domain/property/property.ts"
import { at, created, idsOf, makeContact, sortedIds, updated } from "./fixtures.ts"
import { makeList } from "./contact-list-repository.ts"
import { makeInbound, makeMessage } from "./message-repository.ts"
import { freshPhone, optOutEvent } from "./opt-out-log.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const makeCampaign = (fields: Partial<Campaign> = {}): Campaign => ({
  id: CampaignId.make(v7()),
  name: "Spring sealing",
  status: "draft",
  variants: [{ key: "A", template: "Hi {first_name|there}", weight: 1 }],
  audience: { listIds: [], tags: [], contactIds: [] },
  fromNumber: null,
  startAt: null,
  dailyLimit: 125,
  quietHours: DEFAULT_QUIET_HOURS,
  sendRuns: 0,
  createdAt: created,
  updatedAt: created,
  startedAt: null,
  finishedAt: null,
  ...fields
})

export const makeRecipient = (campaign: Campaign, contact: Contact | null, fields: Partial<CampaignRecipient> = {}): CampaignRecipient => ({
  id: CampaignRecipientId.make(v7()),
  campaignId: campaign.id,
  contactId: contact?.id ?? null,
  phone: contact?.phone ?? null,
  variant: "A",
  status: "pending",
  reason: null,
  messageId: null,
  body: "Hi Ann",
  segments: 1,
  encoding: "GSM-7",
  costCents: 5,
  createdAt: created,
  queuedAt: null,
  ...fields
})

// Every field set: PropertyRepository.insert on PostgreSQL sends one typed array per
// column, and a column of only nulls has no type to send (noted for its owner).
const makeProperty = (line1: string): Property => ({
  id: PropertyId.make(v7()),
  address: { line1, line2: "", city: "Austin", state: "TX", zip: "78701" },
  propertyType: "single_family",
  apn: `APN-${v7()}`,
  latitude: 30.27,
  longitude: -97.74,
  yearBuilt: 1990,
  squareFeet: 1800,
  beds: 3,
  baths: 2,
  estimatedValueCents: 40_000_000,
  estimatedEquityCents: 10_000_000,
  estimatedEquityPercent: 25,
  purchaseDate: "2010-05-01",
  ownerOccupied: true,
  listedForSale: false,
  listingStatus: "off_market",
  foreclosure: false,
  mailingAddress: { line1, line2: "", city: "Austin", state: "TX", zip: "78701" },
  notes: "-",
  addressKey: `${line1.toUpperCase()} ${v7()}`,
  createdAt: created,
  updatedAt: created
})

const contactsWithPhones = (count: number, fields: Partial<Contact> = {}) =>
  Effect.gen(function*() {
    const repo = yield* ContactRepository
    const contacts = Array.from({ length: count }, () => makeContact({ phone: freshPhone(), ...fields }))
    yield* Effect.forEach(contacts, repo.insert, { discard: true })
    return contacts
  })

const started = (fields: Partial<Campaign> = {}) =>
  Effect.gen(function*() {
    const campaign = makeCampaign({ status: "scheduled", sendRuns: 1, ...fields })
    yield* (yield* CampaignRepository).insert(campaign)
    return campaign
  })

export const campaignRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores every field with its variants, updates, locks and lists in id order", () =>
      Effect.gen(function*() {
        const repo = yield* CampaignRepository
        const full = makeCampaign({
          variants: [{ key: "A", template: "Hi {first_name}", weight: 3 }, { key: "B", template: "Hello {{x}}", weight: 1 }],
          audience: { listIds: [makeList().id], tags: ["spring"], contactIds: [makeContact().id] },
          fromNumber: "+15125550100",
          startAt: at("2026-04-01T14:00:00.000Z"),
          dailyLimit: 50,
          quietHours: { start: "10:00", end: "18:30" }
        })
        const bare = makeCampaign()
        yield* repo.insert(full)
        yield* repo.insert(bare)
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(full))
        assert.deepStrictEqual(yield* repo.findById(bare.id), Option.some(bare))
        assert.isTrue(Option.isNone(yield* repo.findById(CampaignId.make(v7()))))

        const changed: Campaign = {
          ...full,
          status: "sending",
          variants: [{ key: "A", template: "Only one", weight: 1 }],
          sendRuns: 2,
          updatedAt: updated,
          startedAt: updated,
          finishedAt: updated
        }
        assert.isTrue(yield* repo.update(changed))
        assert.isFalse(yield* repo.update(makeCampaign()))
        const locked = yield* (yield* Transactor).withTransaction(repo.lockForUpdate(full.id))
        assert.deepStrictEqual(locked, Option.some(changed))

        const page = yield* repo.list({ after: full.id, limit: 10 })
        assert.deepStrictEqual(idsOf(page).slice(0, 1), [bare.id])
      }))

    it.effect("selects active contacts of the lists, tags and ids once each, with the primary property's address", () =>
      Effect.gen(function*() {
        const repo = yield* CampaignRepository
        const contacts = yield* ContactRepository
        const lists = yield* ContactListRepository
        const properties = yield* PropertyRepository
        const tag = `t-${v7()}`
        const [inList, tagged, byId, inAll, outside] = yield* contactsWithPhones(5)
        const merged = makeContact({ tags: [tag], status: "merged", mergedIntoId: inList!.id })
        yield* contacts.insert(merged)
        yield* contacts.update({ ...tagged!, tags: [tag] })
        yield* contacts.update({ ...inAll!, tags: [tag] })
        const list = makeList()
        yield* lists.insert(list)
        yield* lists.addMembers(list.id, [inList!.id, inAll!.id], { addedAt: created })

        const home = makeProperty("12 Oak St")
        const rental = makeProperty("9 Elm Ave")
        yield* properties.insert(home)
        yield* properties.insert(rental)
        yield* properties.saveLink({
          id: PropertyLinkId.make(v7()), propertyId: rental.id, contactId: inList!.id, role: "owner", isPrimary: false,
          createdAt: created
        })
        yield* properties.saveLink({
          id: PropertyLinkId.make(v7()), propertyId: home.id, contactId: inList!.id, role: "owner", isPrimary: true,
          createdAt: created
        })

        yield* (yield* OptOutLog).record(optOutEvent(byId!.phone!))
        const audience = yield* repo.audienceContacts({
          listIds: [list.id],
          tags: [tag],
          contactIds: [byId!.id, inAll!.id, merged.id]
        })
        assert.deepStrictEqual(
          audience.map((a) => a.contact.id),
          sortedIds([inList!.id, tagged!.id, byId!.id, inAll!.id])
        )
        assert.isFalse(audience.some((a) => a.contact.id === outside!.id))
        const first = audience.find((a) => a.contact.id === inList!.id)
        assert.strictEqual(first?.propertyAddress, "12 Oak St, Austin, TX 78701")
        assert.strictEqual(audience.find((a) => a.contact.id === tagged!.id)?.propertyAddress, null)
        assert.deepStrictEqual(audience.filter((a) => a.optedOut).map((a) => a.contact.id), [byId!.id])
        assert.deepStrictEqual(first?.contact, {
          id: inList!.id, firstName: "Ann", lastName: null, phone: inList!.phone, phoneExtension: null, company: null, city: null
        })
        assert.deepStrictEqual(yield* repo.audienceContacts({ listIds: [], tags: [], contactIds: [] }), [])
      }))

    it.effect("answers which numbers are opted out now", () =>
      Effect.gen(function*() {
        const repo = yield* CampaignRepository
        const log = yield* OptOutLog
        const [out, backIn, never] = [freshPhone(), freshPhone(), freshPhone()]
        yield* log.record(optOutEvent(out))
        yield* log.record(optOutEvent(backIn))
        yield* log.record(optOutEvent(backIn, { action: "opt-in", source: "api", keyword: null, occurredAt: updated.pipe(DateTime.add({ days: 90 })) }))
        assert.deepStrictEqual([...(yield* repo.optedOutAmong([out, backIn, never, out]))], [out])
        assert.strictEqual((yield* repo.optedOutAmong([])).size, 0)
      }))

    it.effect("freezes one recipient per contact and moves pending ones to queued or skipped once", () =>
      Effect.gen(function*() {
        const repo = yield* CampaignRepository
        const messages = yield* MessageRepository
        const campaign = yield* started()
        const [ann, bob, cy] = yield* contactsWithPhones(3)
        const annRow = makeRecipient(campaign, ann!)
        const bobRow = makeRecipient(campaign, bob!, { variant: "B", body: "Hé", encoding: "UCS-2", costCents: 5 })
        const skipped = makeRecipient(campaign, cy!, {
          status: "skipped", reason: "missing_field", body: null, segments: 0, encoding: null, costCents: 0
        })
        const noContact = makeRecipient(campaign, null, { status: "skipped", reason: "no_phone", body: null, segments: 0, encoding: null, costCents: 0 })
        assert.strictEqual(yield* repo.insertRecipients([annRow, bobRow, skipped, noContact]), 4)
        // The same contact again (a second freeze, a merge's twin) is not a second recipient.
        assert.strictEqual(yield* repo.insertRecipients([makeRecipient(campaign, ann!)]), 0)
        assert.strictEqual(yield* repo.countPending(campaign.id), 2)

        const first = sortedIds([annRow.id, bobRow.id])[0]!
        const next = yield* repo.nextPendingRecipient(campaign.id)
        assert.deepStrictEqual(Option.map(next, (r) => r.id), Option.some(first))
        assert.deepStrictEqual(next.pipe(Option.filter((r) => r.id === annRow.id)), annRow.id === first ? Option.some(annRow) : Option.none())

        const message = makeMessage(ann!)
        yield* messages.insert(message)
        assert.isTrue(yield* repo.markRecipientQueued(annRow.id, message.id, updated))
        assert.isFalse(yield* repo.markRecipientQueued(annRow.id, message.id, updated))
        assert.isFalse(yield* repo.skipRecipient(annRow.id, "opted_out"))
        assert.isTrue(yield* repo.skipRecipient(bobRow.id, "opted_out"))
        assert.isTrue(Option.isNone(yield* repo.nextPendingRecipient(campaign.id)))
        assert.strictEqual(yield* repo.countPending(campaign.id), 0)

        const page = yield* repo.recipients(campaign.id, { status: undefined, after: undefined, limit: 10 })
        const ann2 = page.find((v) => v.recipient.id === annRow.id)
        assert.deepStrictEqual(ann2?.recipient, { ...annRow, status: "queued", messageId: message.id, queuedAt: updated })
        assert.strictEqual(ann2?.status, "queued")
        const bob2 = page.find((v) => v.recipient.id === bobRow.id)
        assert.deepStrictEqual([bob2?.status, bob2?.reason, bob2?.recipient.costCents], ["skipped", "opted_out", 0])
      }))

    it.effect("skips every pending recipient of a cancelled campaign and no other", () =>
      Effect.gen(function*() {
        const repo = yield* CampaignRepository
        const campaign = yield* started()
        const other = yield* started()
        const contacts = yield* contactsWithPhones(3)
        yield* repo.insertRecipients(contacts.map((c) => makeRecipient(campaign, c)))
        yield* repo.insertRecipients([makeRecipient(other, contacts[0]!)])
        assert.strictEqual(yield* repo.skipPending(campaign.id, "cancelled"), 3)
        assert.strictEqual(yield* repo.skipPending(campaign.id, "cancelled"), 0)
        assert.strictEqual(yield* repo.countPending(other.id), 1)
      }))

    it.effect("takes daily units per number and business day up to the limit", () =>
      Effect.gen(function*() {
        const repo = yield* CampaignRepository
        const number = freshPhone()
        const taken = yield* Effect.forEach([1, 2, 3, 4], () => repo.takeDailyUnit(number, "2026-05-04", 3))
        assert.deepStrictEqual(taken, [true, true, true, false])
        assert.strictEqual(yield* repo.countUsedToday(number, "2026-05-04"), 3)
        assert.isTrue(yield* repo.takeDailyUnit(number, "2026-05-05", 3))
        assert.isTrue(yield* repo.takeDailyUnit(freshPhone(), "2026-05-04", 3))
        assert.strictEqual(yield* repo.countUsedToday(number, "2026-05-05"), 1)
        assert.strictEqual(yield* repo.countUsedToday(freshPhone(), "2026-05-04"), 0)
        // A raised limit lets the day continue.
        assert.isTrue(yield* repo.takeDailyUnit(number, "2026-05-04", 4))
      }))

    it.effect("shows a queued recipient with its message's status, filters by it, and pages", () =>
      Effect.gen(function*() {
        const repo = yield* CampaignRepository
        const messages = yield* MessageRepository
        const campaign = yield* started()
        const contacts = yield* contactsWithPhones(4)
        const rows = contacts.map((c) => makeRecipient(campaign, c))
        yield* repo.insertRecipients(rows)
        const sentAt = at("2026-05-01T15:00:00.000Z")
        const failedMessage = makeMessage(contacts[0]!, { status: "failed", error: "carrier rejected" })
        const sentMessage = makeMessage(contacts[1]!, { status: "sent", providerId: `AC${v7()}`, sentAt })
        yield* messages.insert(failedMessage)
        yield* messages.insert(sentMessage)
        yield* repo.markRecipientQueued(rows[0]!.id, failedMessage.id, updated)
        yield* repo.markRecipientQueued(rows[1]!.id, sentMessage.id, updated)

        const failed = yield* repo.recipients(campaign.id, { status: "failed", after: undefined, limit: 10 })
        assert.deepStrictEqual(failed.map((v) => [v.recipient.id, v.status, v.reason]), [[rows[0]!.id, "failed", "carrier rejected"]])
        const sent = yield* repo.recipients(campaign.id, { status: "sent", after: undefined, limit: 10 })
        assert.deepStrictEqual(sent.map((v) => [v.recipient.id, v.sentAt]), [[rows[1]!.id, sentAt]])
        const pending = yield* repo.recipients(campaign.id, { status: "pending", after: undefined, limit: 1 })
        const rest = yield* repo.recipients(campaign.id, { status: "pending", after: pending[0]!.recipient.id, limit: 5 })
        assert.deepStrictEqual([...idsOf(pending.map((v) => v.recipient)), ...idsOf(rest.map((v) => v.recipient))], sortedIds([rows[2]!.id, rows[3]!.id]))
      }))

    it.effect("tallies each variant: statuses, skip reasons, segments, cost, replies and opt-outs within the window", () =>
      Effect.gen(function*() {
        const repo = yield* CampaignRepository
        const messages = yield* MessageRepository
        const log = yield* OptOutLog
        const campaign = yield* started({ variants: [{ key: "A", template: "a", weight: 1 }, { key: "B", template: "b", weight: 1 }] })
        const [a1, a2, a3, b1, b2] = yield* contactsWithPhones(5)
        const sentAt = at("2026-05-01T15:00:00.000Z")
        const rows = [
          makeRecipient(campaign, a1!, { segments: 2, costCents: 10 }),
          makeRecipient(campaign, a2!),
          makeRecipient(campaign, a3!, { status: "skipped", reason: "opted_out", body: null, segments: 0, encoding: null, costCents: 0 }),
          makeRecipient(campaign, b1!, { variant: "B", encoding: "UCS-2", segments: 3, costCents: 15 }),
          makeRecipient(campaign, b2!, { variant: "B" })
        ]
        yield* repo.insertRecipients(rows)
        const m1 = makeMessage(a1!, { status: "delivered", providerId: `AC${v7()}`, segments: 2, sentAt })
        const m2 = makeMessage(a2!, { status: "sent", providerId: `AC${v7()}`, sentAt })
        const m4 = makeMessage(b1!, { status: "failed", error: "500", segments: 3 })
        for (const [row, m] of [[rows[0]!, m1], [rows[1]!, m2], [rows[3]!, m4]] as const) {
          yield* messages.insert(m)
          yield* repo.markRecipientQueued(row.id, m.id, sentAt)
        }
        // a1 replies within a day and opts out; a2 replies only after the window.
        yield* messages.insert(makeInbound(a1!, { createdAt: DateTime.add(sentAt, { days: 1 }), updatedAt: sentAt }))
        yield* messages.insert(makeInbound(a2!, { createdAt: DateTime.add(sentAt, { days: 8 }), updatedAt: sentAt }))
        yield* log.record(optOutEvent(a1!.phone!, { occurredAt: DateTime.add(sentAt, { hours: 2 }) }))
        yield* log.record(optOutEvent(a2!.phone!, { occurredAt: DateTime.add(sentAt, { hours: -2 }) }))

        const [a, b] = yield* repo.tally(campaign.id, 7)
        assert.deepStrictEqual(a, {
          variant: "A",
          total: 3,
          byStatus: { pending: 0, queued: 0, sending: 0, sent: 1, delivered: 1, undelivered: 0, failed: 0, skipped: 1 },
          skippedByReason: { opted_out: 1 },
          segmentsByEncoding: { "GSM-7": 3, "UCS-2": 0 },
          estimatedCents: 15,
          sentSegments: 3,
          replies: 1,
          optOuts: 1
        })
        assert.deepStrictEqual(b, {
          variant: "B",
          total: 2,
          byStatus: { pending: 1, queued: 0, sending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 1, skipped: 0 },
          skippedByReason: {},
          segmentsByEncoding: { "GSM-7": 1, "UCS-2": 3 },
          estimatedCents: 20,
          sentSegments: 0,
          replies: 0,
          optOuts: 0
        })
        assert.deepStrictEqual(yield* repo.tally(CampaignId.make(v7()), 7), [])
      }))
  })
