import { DateTime, Effect, Layer, Option, Ref } from "effect"
import {
  type CampaignRecipient,
  type RecipientStatus,
  shownStatus,
  type SkipReason,
  type VariantKey
} from "../../domain/campaigns/campaign.ts"
import type { Contact } from "../../domain/contact.ts"
import { audienceMember } from "../../domain/campaigns/audience-plan.ts"
import type { Message, SmsEncoding } from "../../domain/messaging/message.ts"
import { isOptedOutBy } from "../../domain/messaging/opt-out-event.ts"
import type { Property } from "../../domain/property/property.ts"
import { type AudienceContact, CampaignRepository, type RecipientView, type VariantTally } from "../ports/campaign-repository.ts"
import { keysetPage, type MemoryState, MemoryStore, withMap } from "./memory-store.ts"

const DAY_MS = 86_400_000

/** One line, as the SQL layer writes it: line 1, line 2, city, state zip. */
export const propertyAddressLine = (property: Property): string => {
  const { line1, line2, city, state, zip } = property.address
  const region = [state, zip].filter((part) => part !== null && part !== "").join(" ")
  return [line1, line2, city, region].filter((part): part is string => part !== null && part !== "").join(", ")
}

const primaryAddress = (s: MemoryState, contact: Contact): string | null => {
  const links = [...s.propertyLinks.values()]
    .filter((link) => link.contactId === contact.id)
    .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || (a.id < b.id ? -1 : 1))
  const property = links[0] === undefined ? undefined : s.properties.get(links[0].propertyId)
  return property === undefined ? null : propertyAddressLine(property)
}

const messageOf = (s: MemoryState, recipient: CampaignRecipient): Message | undefined =>
  recipient.messageId === null ? undefined : s.messages.get(recipient.messageId)?.message

const view = (s: MemoryState, recipient: CampaignRecipient): RecipientView => {
  const message = messageOf(s, recipient)
  const status = shownStatus(recipient.status, message?.status ?? null)
  return {
    recipient,
    status,
    reason: recipient.reason ?? (status === "failed" || status === "undelivered" ? message?.error ?? null : null),
    sentAt: message?.sentAt ?? null,
    deliveredAt: message?.deliveredAt ?? null
  }
}

const emptyByStatus = (): Record<RecipientStatus, number> => ({
  pending: 0,
  queued: 0,
  sending: 0,
  sent: 0,
  delivered: 0,
  undelivered: 0,
  failed: 0,
  skipped: 0
})

const inWindow = (at: DateTime.Utc, from: DateTime.Utc, windowDays: number): boolean => {
  const t = DateTime.toEpochMillis(at)
  const start = DateTime.toEpochMillis(from)
  return t > start && t <= start + windowDays * DAY_MS
}

const tallyVariant = (
  s: MemoryState,
  variant: VariantKey,
  recipients: ReadonlyArray<CampaignRecipient>,
  windowDays: number
): VariantTally => {
  const byStatus = emptyByStatus()
  const skippedByReason: Partial<Record<SkipReason, number>> = {}
  const segmentsByEncoding: Record<SmsEncoding, number> = { "GSM-7": 0, "UCS-2": 0 }
  let estimatedCents = 0
  let sentSegments = 0
  let replies = 0
  let optOuts = 0
  const inbound = [...s.messages.values()].map((entry) => entry.message).filter((m) => m.direction === "inbound")
  for (const recipient of recipients) {
    const message = messageOf(s, recipient)
    const status = shownStatus(recipient.status, message?.status ?? null)
    byStatus[status] += 1
    if (recipient.reason !== null) {
      skippedByReason[recipient.reason] = (skippedByReason[recipient.reason] ?? 0) + 1
      continue
    }
    if (recipient.encoding !== null) segmentsByEncoding[recipient.encoding] += recipient.segments
    estimatedCents += recipient.costCents
    if (message === undefined) continue
    if (status === "sent" || status === "delivered" || status === "undelivered") sentSegments += message.segments
    const sentAt = message.sentAt
    if (sentAt === null) continue
    const phone = recipient.phone
    if (inbound.some((m) => m.contactNumber === phone && inWindow(m.createdAt, sentAt, windowDays))) replies += 1
    if (s.optOutEvents.some((e) => e.phone === phone && e.action === "opt-out" && inWindow(e.occurredAt, sentAt, windowDays))) {
      optOuts += 1
    }
  }
  return {
    variant,
    total: recipients.length,
    byStatus,
    skippedByReason,
    segmentsByEncoding,
    estimatedCents,
    sentSegments,
    replies,
    optOuts
  }
}

const dayKey = (businessNumber: string, businessDay: string) => `${businessNumber}|${businessDay}`

export const MemoryCampaignRepository = Layer.effect(
  CampaignRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const recipientsOf = (s: MemoryState, campaignId: string) =>
      [...s.campaignRecipients.values()].filter((r) => r.campaignId === campaignId)
    const updatePending = (id: string, change: (r: CampaignRecipient) => CampaignRecipient) =>
      Ref.modify(state, (s) => {
        const recipient = s.campaignRecipients.get(id)
        if (recipient === undefined || recipient.status !== "pending") return [false, s]
        return [true, { ...s, campaignRecipients: withMap(s.campaignRecipients, id, change(recipient)) }]
      })
    const findById = (id: string) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.campaigns.get(id)))

    return CampaignRepository.of({
      insert: (campaign) => Ref.update(state, (s) => ({ ...s, campaigns: withMap(s.campaigns, campaign.id, campaign) })),
      update: (campaign) =>
        Ref.modify(state, (s) =>
          s.campaigns.has(campaign.id)
            ? [true, { ...s, campaigns: withMap(s.campaigns, campaign.id, campaign) }]
            : [false, s]),
      findById,
      // The memory Transactor runs units of work one at a time: that is the lock.
      lockForUpdate: findById,
      list: (page) => Effect.map(Ref.get(state), (s) => keysetPage(s.campaigns.values(), page)),
      audienceContacts: (audience) =>
        Effect.map(Ref.get(state), (s): ReadonlyArray<AudienceContact> => {
          const lists = new Set<string>(audience.listIds)
          const tags = new Set(audience.tags)
          const ids = new Set<string>(audience.contactIds)
          const members = new Set([...s.listMembers.values()].filter((m) => lists.has(m.listId)).map((m) => m.contactId))
          const optedOut = (phone: string | null) =>
            phone !== null && isOptedOutBy(s.optOutEvents.filter((event) => event.phone === phone))
          return [...s.contacts.values()]
            .filter((contact) =>
              contact.status === "active" &&
              (ids.has(contact.id) || members.has(contact.id) || contact.tags.some((tag) => tags.has(tag))))
            .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .map((contact) => ({
              contact: audienceMember(contact),
              propertyAddress: primaryAddress(s, contact),
              optedOut: optedOut(contact.phone)
            }))
        }),
      optedOutAmong: (phones) =>
        Effect.map(Ref.get(state), (s) => {
          const wanted = new Set(phones)
          const events = new Map<string, Array<(typeof s.optOutEvents)[number]>>()
          for (const event of s.optOutEvents) {
            if (!wanted.has(event.phone)) continue
            const list = events.get(event.phone) ?? []
            list.push(event)
            events.set(event.phone, list)
          }
          return new Set([...events].filter(([, list]) => isOptedOutBy(list)).map(([phone]) => phone))
        }),
      insertRecipients: (recipients) =>
        Ref.modify(state, (s) => {
          const taken = new Set([...s.campaignRecipients.values()].map((r) => `${r.campaignId}|${r.contactId}`))
          const next = new Map(s.campaignRecipients)
          let added = 0
          for (const recipient of recipients) {
            const key = `${recipient.campaignId}|${recipient.contactId}`
            if (next.has(recipient.id) || (recipient.contactId !== null && taken.has(key))) continue
            taken.add(key)
            next.set(recipient.id, recipient)
            added += 1
          }
          return [added, { ...s, campaignRecipients: next }]
        }),
      nextPendingRecipient: (campaignId) =>
        Effect.map(Ref.get(state), (s) =>
          Option.fromNullishOr(
            keysetPage(s.campaignRecipients.values(), { limit: 1 }, (r) => r.campaignId === campaignId && r.status === "pending")[0]
          )),
      markRecipientQueued: (recipientId, messageId, at) =>
        updatePending(recipientId, (r) => ({ ...r, status: "queued", messageId, queuedAt: at })),
      skipRecipient: (recipientId, reason) =>
        updatePending(recipientId, (r) => ({ ...r, status: "skipped", reason, costCents: 0 })),
      skipPending: (campaignId, reason) =>
        Ref.modify(state, (s) => {
          const next = new Map(s.campaignRecipients)
          let skipped = 0
          for (const r of recipientsOf(s, campaignId)) {
            if (r.status !== "pending") continue
            next.set(r.id, { ...r, status: "skipped", reason, costCents: 0 })
            skipped += 1
          }
          return [skipped, { ...s, campaignRecipients: next }]
        }),
      countPending: (campaignId) =>
        Effect.map(Ref.get(state), (s) => recipientsOf(s, campaignId).filter((r) => r.status === "pending").length),
      takeDailyUnit: (businessNumber, businessDay, limit) =>
        Ref.modify(state, (s) => {
          const key = dayKey(businessNumber, businessDay)
          const used = s.dailySendCounts.get(key) ?? 0
          return used >= limit ? [false, s] : [true, { ...s, dailySendCounts: withMap(s.dailySendCounts, key, used + 1) }]
        }),
      countUsedToday: (businessNumber, businessDay) =>
        Effect.map(Ref.get(state), (s) => s.dailySendCounts.get(dayKey(businessNumber, businessDay)) ?? 0),
      recipients: (campaignId, query) =>
        Effect.map(Ref.get(state), (s) =>
          keysetPage(
            [...s.campaignRecipients.values()].filter((r) => r.campaignId === campaignId).map((r) => ({ id: r.id, v: view(s, r) })),
            { after: query.after, limit: query.limit },
            (row) => query.status === undefined || row.v.status === query.status
          ).map((row) => row.v)),
      tally: (campaignId, windowDays) =>
        Effect.map(Ref.get(state), (s) => {
          const all = recipientsOf(s, campaignId)
          const variants = [...new Set(all.map((r) => r.variant))].sort()
          return variants.map((variant) => tallyVariant(s, variant, all.filter((r) => r.variant === variant), windowDays))
        })
    })
  })
)
