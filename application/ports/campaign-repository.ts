import { Context, type DateTime, type Effect, type Option } from "effect"
import type {
  Audience,
  Campaign,
  CampaignId,
  CampaignRecipient,
  CampaignRecipientId,
  RecipientStatus,
  SkipReason,
  VariantKey
} from "../../domain/campaigns/campaign.ts"
import type { PlanContact } from "../../domain/campaigns/audience-plan.ts"
import type { MessageId, SmsEncoding } from "../../domain/messaging/message.ts"
import type { E164 } from "../../domain/phone.ts"

/**
 * A contact the audience selects: its number and template fields, the address
 * of its primary (else first linked) property, one line, for
 * `{property_address}`, and whether its number is opted out now.
 */
export type AudienceContact = PlanContact

/** A recipient as shown: after `queued` its status (and failure reason) come from its message. */
export interface RecipientView {
  readonly recipient: CampaignRecipient
  readonly status: RecipientStatus
  /** The skip reason, or the message's error when it failed. */
  readonly reason: string | null
  readonly sentAt: DateTime.Utc | null
  readonly deliveredAt: DateTime.Utc | null
}

/** Counts for one variant of a campaign's frozen recipients. */
export interface VariantTally {
  readonly variant: VariantKey
  /** Every recipient row, skipped ones included. */
  readonly total: number
  readonly byStatus: Readonly<Record<RecipientStatus, number>>
  readonly skippedByReason: Readonly<Partial<Record<SkipReason, number>>>
  /** Segments of the texts to send (every recipient not skipped), by encoding. */
  readonly segmentsByEncoding: Readonly<Record<SmsEncoding, number>>
  /** Sum of the recipients' estimated cost (not skipped), integer cents. */
  readonly estimatedCents: number
  /** Segments of messages the provider accepted (sent, delivered, undelivered): what is billed. */
  readonly sentSegments: number
  /** Recipients with an inbound text from their phone within the window after their message was sent. */
  readonly replies: number
  /** Recipients whose phone opted out within the window after their message was sent. */
  readonly optOuts: number
}

/**
 * Campaigns, their frozen recipients (one row per contact) and the daily
 * send counts per business number (tables `campaigns`, `campaign_variants`,
 * `campaign_recipients`, `daily_send_counts`).
 */
export class CampaignRepository extends Context.Service<CampaignRepository, {
  readonly insert: (campaign: Campaign) => Effect.Effect<void>
  /** Saves every field of the campaign, variants included; false when absent. */
  readonly update: (campaign: Campaign) => Effect.Effect<boolean>
  readonly findById: (id: CampaignId) => Effect.Effect<Option.Option<Campaign>>
  /**
   * The campaign, its row locked until the transaction ends (SELECT ... FOR
   * UPDATE): transitions and the send loop serialise on it. Call inside
   * Transactor.withTransaction.
   */
  readonly lockForUpdate: (id: CampaignId) => Effect.Effect<Option.Option<Campaign>>
  /** Up to `limit` campaigns after `after`, in id (creation) order. */
  readonly list: (page: { readonly after: CampaignId | undefined; readonly limit: number }) => Effect.Effect<
    ReadonlyArray<Campaign>
  >
  /**
   * The active contacts the audience selects (members of any list, holders of
   * any tag, or listed by id), each once, in contact id order; one read, so
   * freezing 100,000 contacts is one statement.
   */
  readonly audienceContacts: (audience: Audience) => Effect.Effect<ReadonlyArray<AudienceContact>>
  /**
   * Which of these numbers are opted out now (their latest opt-out log entry
   * is an opt-out), for freezing a whole audience in one query.
   */
  readonly optedOutAmong: (phones: ReadonlyArray<E164>) => Effect.Effect<ReadonlySet<E164>>
  /** Stores frozen recipients; a contact already frozen into the campaign is kept as it was. Answers how many were added. */
  readonly insertRecipients: (recipients: ReadonlyArray<CampaignRecipient>) => Effect.Effect<number>
  /** The first pending recipient in id order. */
  readonly nextPendingRecipient: (campaignId: CampaignId) => Effect.Effect<Option.Option<CampaignRecipient>>
  /** `pending -> queued` with its message; false when it was no longer pending. */
  readonly markRecipientQueued: (
    recipientId: CampaignRecipientId,
    messageId: MessageId,
    at: DateTime.Utc
  ) => Effect.Effect<boolean>
  /** `pending -> skipped` with the reason; false when it was no longer pending. */
  readonly skipRecipient: (recipientId: CampaignRecipientId, reason: SkipReason) => Effect.Effect<boolean>
  /** Every pending recipient of the campaign -> skipped (a cancel); answers how many. */
  readonly skipPending: (campaignId: CampaignId, reason: SkipReason) => Effect.Effect<number>
  readonly countPending: (campaignId: CampaignId) => Effect.Effect<number>
  /**
   * Takes one send from the number's count for the business day when fewer
   * than `limit` were taken (one atomic upsert); false when the day is full.
   * Shared by every campaign sending from that number.
   */
  readonly takeDailyUnit: (businessNumber: E164, businessDay: string, limit: number) => Effect.Effect<boolean>
  /** Sends taken from the number's count on that business day (`YYYY-MM-DD`). */
  readonly countUsedToday: (businessNumber: E164, businessDay: string) => Effect.Effect<number>
  /** A page of recipients in id order, after `after`, optionally only those shown with `status`. */
  readonly recipients: (
    campaignId: CampaignId,
    query: {
      readonly status: RecipientStatus | undefined
      readonly after: CampaignRecipientId | undefined
      readonly limit: number
    }
  ) => Effect.Effect<ReadonlyArray<RecipientView>>
  /** Per-variant counts; replies and opt-outs count within `windowDays` after each send. */
  readonly tally: (campaignId: CampaignId, windowDays: number) => Effect.Effect<ReadonlyArray<VariantTally>>
}>()("crm/application/ports/CampaignRepository") {}
