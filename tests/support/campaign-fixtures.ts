import { DateTime, Effect } from "effect"
import { CampaignRepository } from "../../application/ports/campaign-repository.ts"
import { Ids } from "../../application/ports/ids.ts"
import {
  type Campaign,
  CampaignId,
  type CampaignRecipient,
  CampaignRecipientId,
  type QuietHours
} from "../../domain/campaigns/campaign.ts"
import type { Contact } from "../../domain/contact.ts"
import { smsSegments } from "../../domain/messaging/sms-segments.ts"

// Campaigns written straight through the repository, already frozen and
// `sending` (or `scheduled`) with run 1: the send workflow's tests do not
// depend on how the campaign use cases freeze an audience.

/** A window that is open now in `zone` (the whole day). */
export const OPEN_ALL_DAY: QuietHours = { start: "00:00", end: "23:59" }

/** A one-hour window at least five hours away from `now` in `zone`: closed now. */
export const closedWindow = (now: DateTime.DateTime, zone: DateTime.TimeZone): QuietHours => {
  const hour = DateTime.getPart(DateTime.setZone(now, zone), "hour")
  const start = hour < 12 ? 20 : 2
  const pad = (n: number) => String(n).padStart(2, "0")
  return { start: `${pad(start)}:00`, end: `${pad(start + 1)}:00` }
}

export interface CampaignSeed {
  readonly contacts: ReadonlyArray<Contact>
  /** The text each recipient gets; default a unique one per recipient. */
  readonly body?: (contact: Contact, index: number) => string
  readonly quietHours?: QuietHours
  readonly dailyLimit?: number
  readonly startAt?: DateTime.Utc | null
  readonly status?: "sending" | "scheduled"
}

/** Inserts a started campaign (run 1) and its pending recipients. */
export const seedCampaign = (seed: CampaignSeed) =>
  Effect.gen(function*() {
    const repo = yield* CampaignRepository
    const ids = yield* Ids
    const now = yield* DateTime.now
    const campaign: Campaign = {
      id: CampaignId.make(yield* ids.next),
      name: "Spring inspection",
      status: seed.status ?? "sending",
      variants: [{ key: "A", template: "Hi {first_name}", weight: 1 }],
      audience: { listIds: [], tags: [], contactIds: seed.contacts.map((c) => c.id) },
      fromNumber: null,
      startAt: seed.startAt ?? null,
      // So large that spreading leaves no gap worth waiting for (the window divided by the limit).
      dailyLimit: seed.dailyLimit ?? 100_000_000,
      quietHours: seed.quietHours ?? OPEN_ALL_DAY,
      sendRuns: 1,
      createdAt: now,
      updatedAt: now,
      startedAt: now,
      finishedAt: null
    }
    yield* repo.insert(campaign)
    const bodyOf = seed.body ?? ((contact: Contact, i: number) => `Hi ${contact.firstName}, inspection slot ${i} (${campaign.id.slice(-6)})`)
    const recipients: Array<CampaignRecipient> = []
    for (const [i, contact] of seed.contacts.entries()) {
      const body = bodyOf(contact, i)
      const { encoding, segments } = smsSegments(body)
      recipients.push({
        id: CampaignRecipientId.make(yield* ids.next),
        campaignId: campaign.id,
        contactId: contact.id,
        phone: contact.phone,
        variant: "A",
        status: "pending",
        reason: null,
        messageId: null,
        body,
        segments,
        encoding,
        costCents: segments * 5,
        createdAt: now,
        queuedAt: null
      })
    }
    yield* repo.insertRecipients(recipients)
    return { campaign, recipients }
  })
