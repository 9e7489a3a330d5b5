import { Config, DateTime, Duration, Effect, Option, Schema } from "effect"
import { ClusterSchema } from "effect/cluster"
import { Activity } from "effect/workflow"
import { type Campaign, CampaignId, SkipReason } from "../../domain/campaigns/campaign.ts"
import { businessDayOf, nextSendSlot } from "../../domain/campaigns/send-window.ts"
import type { ContactId } from "../../domain/contact.ts"
import { MessageId, queuedText } from "../../domain/messaging/message.ts"
import type { E164 } from "../../domain/phone.ts"
import { smsSegments } from "../../domain/messaging/sms-segments.ts"
import { OptOuts } from "../messaging/opt-outs.ts"
import { CampaignRepository } from "../ports/campaign-repository.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { MessageRepository } from "../ports/message-repository.ts"
import { RecipientTimeZone } from "../ports/recipient-time-zone.ts"
import { SmsGateway } from "../ports/sms-gateway.ts"

/** What one step of a send run did; recorded in the run's history, so a replay repeats none of it. */
export const SendStep = Schema.Union([
  /** A recipient's message was queued (its delivery is started after this commits). */
  Schema.TaggedStruct("Enqueued", { messageId: MessageId, at: Schema.DateTimeUtc }),
  /** A recipient was skipped (opted out since the audience was frozen, or nothing to send). */
  Schema.TaggedStruct("Skipped", { reason: SkipReason }),
  /** Nothing may be sent before this (start time, quiet hours, daily limit, spreading). */
  Schema.TaggedStruct("Wait", { until: Schema.DateTimeUtc }),
  /** The texts queued before still wait for their turn: look again. */
  Schema.TaggedStruct("Busy", {}),
  /** The campaign is not sending (paused, cancelled, completed) or a newer run took over. */
  Schema.TaggedStruct("Stopped", { status: Schema.String }),
  /** No recipient left pending: the campaign is now completed. */
  Schema.TaggedStruct("Completed", {})
])
export type SendStep = typeof SendStep.Type

export interface SendSettings {
  /**
   * CAMPAIGN_MAX_IN_FLIGHT (default 8): queued texts of a run not yet claimed
   * by their delivery. Kept small so a pause or cancel leaves only a few
   * texts to go out, while the provider's rate limit, not this loop, sets the pace.
   */
  readonly maxInFlight: number
  /** How long one step waits for a free slot before answering Busy. */
  readonly busyWait: Duration.Duration
  /** Waits up to this long are kept in memory; longer ones are durable timers. */
  readonly inMemoryWait: Duration.Duration
}

export const sendSettings = Config.all({
  maxInFlight: Config.Int("CAMPAIGN_MAX_IN_FLIGHT").pipe(Config.withDefault(8)),
  busyWait: Config.Duration("CAMPAIGN_BUSY_WAIT").pipe(Config.withDefault(Duration.seconds(2))),
  inMemoryWait: Config.Duration("CAMPAIGN_IN_MEMORY_WAIT").pipe(Config.withDefault(Duration.seconds(60)))
})

/** What the run carries from step to step (from its recorded results, so a replay computes the same). */
export interface RunState {
  readonly lastSentAt: DateTime.Utc | null
  readonly inFlight: ReadonlyArray<MessageId>
}

interface StepTarget {
  readonly campaignId: CampaignId
  readonly run: number
  readonly part: number
}

const CAPACITY_POLL = Duration.millis(100)
const SHORT_GAP = Duration.millis(500)

/**
 * Waits (outside any lock) until fewer than `maxInFlight` of the run's
 * recent texts are still queued, at most `busyWait`; false when still busy.
 * It stops waiting as soon as the campaign stops sending.
 */
const capacity = (target: StepTarget, state: RunState, settings: SendSettings) =>
  Effect.gen(function*() {
    const messages = yield* MessageRepository
    const campaigns = yield* CampaignRepository
    const deadline = DateTime.addDuration(yield* DateTime.now, settings.busyWait)
    for (;;) {
      // Oldest first: deliveries claim in about the order queued, so the
      // first one already claimed usually settles it in one query.
      let queued = 0
      for (const [i, id] of state.inFlight.entries()) {
        if (queued + state.inFlight.length - i < settings.maxInFlight) break
        const found = yield* messages.findById(id)
        if (Option.isSome(found) && found.value.status === "queued") queued++
      }
      if (queued < settings.maxInFlight) return true
      const campaign = yield* campaigns.findById(target.campaignId)
      if (Option.isNone(campaign) || campaign.value.status !== "sending") return true // the locked check says why
      if (DateTime.isGreaterThanOrEqualTo(yield* DateTime.now, deadline)) return false
      yield* Effect.sleep(CAPACITY_POLL)
    }
  })

const stopped = (status: string): SendStep => ({ _tag: "Stopped", status })

/** The instant the recipient's text may go, and the business day it counts on. */
const slotOf = (
  campaign: Campaign,
  recipient: { readonly phone: E164; readonly contactId: ContactId },
  from: E164,
  lastSentAt: DateTime.Utc | null
) =>
  Effect.gen(function*() {
    const campaigns = yield* CampaignRepository
    const zones = yield* RecipientTimeZone
    const contacts = yield* ContactRepository
    const now = yield* DateTime.now
    // Quiet hours in the recipient's zone: the number's, else the contact's address state, else the business's.
    const contact = yield* contacts.findById(recipient.contactId)
    const addressState = Option.getOrNull(Option.flatMapNullishOr(contact, (c) => c.address?.state))
    const recipientZone = yield* zones.zoneFor({ phone: recipient.phone, state: addressState })
    const businessZone = zones.businessZone
    const slotFor = (sentToday: number) =>
      nextSendSlot({
        now,
        recipientZone: recipientZone.zones,
        quietHours: campaign.quietHours,
        businessZone,
        dailyLimit: campaign.dailyLimit,
        sentToday,
        lastSentAt
      })
    const slot = slotFor(yield* campaigns.countUsedToday(from, businessDayOf(now, businessZone)))
    return { now, slot, dayFull: () => slotFor(campaign.dailyLimit) }
  })

/** One step, in one transaction with its recorded result (the activity is WithTransaction). */
const step = (target: StepTarget, state: RunState, settings: SendSettings) =>
  Effect.gen(function*() {
    const campaigns = yield* CampaignRepository
    const messages = yield* MessageRepository
    const optOuts = yield* OptOuts
    const gateway = yield* SmsGateway
    const ids = yield* Ids

    if (!(yield* capacity(target, state, settings))) return { _tag: "Busy" } as const
    // Looked up before the lock: the first lookup may ask the provider.
    const defaultFrom = Option.getOrNull(yield* gateway.businessNumber.pipe(Effect.map((n) => n.number), Effect.option))

    const found = yield* campaigns.lockForUpdate(target.campaignId)
    if (Option.isNone(found)) return stopped("gone")
    let campaign: Campaign = found.value
    if (campaign.sendRuns !== target.run) return stopped(`superseded by run ${campaign.sendRuns}`)
    if (campaign.status !== "sending" && campaign.status !== "scheduled") return stopped(campaign.status)
    let now = yield* DateTime.now
    if (campaign.startAt !== null && DateTime.isLessThan(now, campaign.startAt)) {
      return { _tag: "Wait", until: campaign.startAt } as const
    }
    if (campaign.status === "scheduled") {
      campaign = { ...campaign, status: "sending", startedAt: campaign.startedAt ?? now, updatedAt: now }
      yield* campaigns.update(campaign)
    }

    const next = yield* campaigns.nextPendingRecipient(campaign.id)
    if (Option.isNone(next)) {
      yield* campaigns.update({ ...campaign, status: "completed", finishedAt: now, updatedAt: now })
      return { _tag: "Completed" } as const
    }
    const recipient = next.value
    const skip = (reason: SkipReason) =>
      Effect.as(campaigns.skipRecipient(recipient.id, reason), { _tag: "Skipped", reason } as const)
    if (recipient.contactId === null) return yield* skip("contact_removed")
    if (recipient.phone === null) return yield* skip("no_phone")
    if (recipient.body === null) return yield* skip("missing_field")

    const from = campaign.fromNumber ?? defaultFrom
    // The provider could not say which number we send from: look again shortly.
    if (from === null) return { _tag: "Wait", until: DateTime.add(now, { seconds: 30 }) } as const
    const { dayFull, slot } = yield* slotOf(
      campaign,
      { phone: recipient.phone, contactId: recipient.contactId },
      from,
      state.lastSentAt
    )
    if (DateTime.isGreaterThan(slot.at, now)) {
      // A short spreading gap (a high daily limit) is waited out here, the
      // campaign row locked for at most SHORT_GAP, rather than recorded as a
      // Wait step: two more writes to the run's history per text.
      const gap = DateTime.distance(now, slot.at)
      if (Duration.isGreaterThan(gap, SHORT_GAP)) return { _tag: "Wait", until: slot.at } as const
      yield* Effect.sleep(gap)
      now = yield* DateTime.now
    }

    // Checked again under the number's lock: an opt-out since the freeze skips the recipient.
    const optedOut = yield* optOuts.ensureTextable({ phone: recipient.phone, contactId: recipient.contactId }).pipe(
      Effect.as(false),
      Effect.catchTag("OptedOut", () => Effect.succeed(true))
    )
    if (optedOut) return yield* skip("opted_out")
    if (!(yield* campaigns.takeDailyUnit(from, slot.businessDay, campaign.dailyLimit))) {
      // Another campaign on the number took the day's last send meanwhile.
      return { _tag: "Wait", until: dayFull().at } as const
    }
    const { encoding, segments } = smsSegments(recipient.body)
    const message = queuedText({
      id: MessageId.make(yield* ids.next),
      contactId: recipient.contactId,
      businessNumber: from,
      contactNumber: recipient.phone,
      body: recipient.body,
      segments,
      encoding,
      at: now
    })
    yield* messages.insert(message)
    yield* campaigns.markRecipientQueued(recipient.id, message.id, now)
    return { _tag: "Enqueued", messageId: message.id, at: now } as const
  })

/**
 * Step `index` of a part of a send run. Activity names are durable history
 * (never rename): each step has its own, so a replay finds each step's result.
 */
export const enqueueNext = (target: StepTarget, index: number, state: RunState, settings: SendSettings) =>
  Activity.make({
    name: `campaigns.enqueue-next/${index}`,
    success: SendStep,
    execute: step(target, state, settings)
  }).annotate(ClusterSchema.WithTransaction, true)
