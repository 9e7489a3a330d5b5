import { Result, Schema } from "effect"
import { ContactId } from "../contact.ts"
import { ContactListId } from "../list/contact-list.ts"
import { MessageId, type MessageStatus, SmsEncoding } from "../messaging/message.ts"
import { E164 } from "../phone.ts"
import { Uuid } from "../uuid.ts"
import { QuietHours } from "./send-window.ts"

export const CampaignId = Uuid.pipe(Schema.brand("CampaignId"))
export type CampaignId = typeof CampaignId.Type

export const CampaignRecipientId = Uuid.pipe(Schema.brand("CampaignRecipientId"))
export type CampaignRecipientId = typeof CampaignRecipientId.Type

/**
 * `draft -> scheduled -> sending <-> paused -> completed | cancelled`: started
 * campaigns wait `scheduled` until their start time, then the send workflow
 * moves them to `sending` and, once no recipient is pending, `completed`.
 */
export const CampaignStatus = Schema.Literals(["draft", "scheduled", "sending", "paused", "completed", "cancelled"])
export type CampaignStatus = typeof CampaignStatus.Type

/** What moves a campaign: a person (start, pause, resume, cancel) or the send workflow (begin, complete). */
export const CampaignEvent = Schema.Literals(["start", "begin", "pause", "resume", "complete", "cancel"])
export type CampaignEvent = typeof CampaignEvent.Type

/** A/B: at most two variants, named by their position. */
export const VariantKey = Schema.Literals(["A", "B"])
export type VariantKey = typeof VariantKey.Type

export const CampaignVariant = Schema.Struct({
  key: VariantKey,
  template: Schema.String,
  /** Relative share of recipients; positive integer. */
  weight: Schema.Int
}).annotate({ identifier: "CampaignVariant" })
export type CampaignVariant = typeof CampaignVariant.Type

export const Audience = Schema.Struct({
  listIds: Schema.Array(ContactListId),
  tags: Schema.Array(Schema.String),
  contactIds: Schema.Array(ContactId)
}).annotate({ identifier: "CampaignAudience" })
export type Audience = typeof Audience.Type

export { DEFAULT_DAILY_LIMIT, DEFAULT_QUIET_HOURS, QuietHours } from "./send-window.ts"

export const Campaign = Schema.Struct({
  id: CampaignId,
  name: Schema.String,
  status: CampaignStatus,
  variants: Schema.Array(CampaignVariant),
  audience: Audience,
  /** The business number to send from; null means the configured default (OPENPHONE_FROM). */
  fromNumber: Schema.NullOr(E164),
  /** Not before this instant; null means as soon as started. */
  startAt: Schema.NullOr(Schema.DateTimeUtc),
  dailyLimit: Schema.Int,
  quietHours: QuietHours,
  /**
   * How many times sending was started (start, then each resume): the send
   * workflow's execution key is campaign id + this, so a resumed campaign runs
   * a new execution instead of finding the ended one.
   */
  sendRuns: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
  startedAt: Schema.NullOr(Schema.DateTimeUtc),
  finishedAt: Schema.NullOr(Schema.DateTimeUtc)
}).annotate({ identifier: "Campaign" })
export type Campaign = typeof Campaign.Type

export class InvalidCampaignTransition extends Schema.TaggedError<InvalidCampaignTransition>()(
  "InvalidCampaignTransition",
  { campaignId: Schema.String, from: CampaignStatus, event: CampaignEvent }
) {}

/** The reasons a recipient is left out when the audience is frozen (the estimate counts each). */
export const EXCLUSION_REASONS = ["opted_out", "no_phone", "not_textable", "duplicate_phone", "missing_field", "too_long"] as const

const TRANSITIONS: Record<CampaignStatus, Partial<Record<CampaignEvent, CampaignStatus>>> = {
  draft: { start: "scheduled", cancel: "cancelled" },
  scheduled: { begin: "sending", pause: "paused", cancel: "cancelled" },
  sending: { pause: "paused", complete: "completed", cancel: "cancelled" },
  // Resume goes back to sending: the workflow itself waits for the start time and windows.
  paused: { resume: "sending", cancel: "cancelled" },
  completed: {},
  cancelled: {}
}

/** The status after `event`, or the refused transition. */
export const transition = (
  campaignId: string,
  from: CampaignStatus,
  event: CampaignEvent
): Result.Result<CampaignStatus, InvalidCampaignTransition> => {
  const to = TRANSITIONS[from][event]
  return to === undefined
    ? Result.fail(new InvalidCampaignTransition({ campaignId, from, event }))
    : Result.succeed(to)
}

/** Final campaigns never change again. */
export const isFinished = (status: CampaignStatus): boolean => status === "completed" || status === "cancelled"

/**
 * A recipient's own statuses are `pending` (not sent yet), `queued` (its
 * message is inserted) and `skipped` (with a reason); after `queued` the
 * status shown is its message's (`sending`, `sent`, `delivered`,
 * `undelivered`, `failed`).
 */
export const RecipientStatus = Schema.Literals([
  "pending",
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "skipped"
])
export type RecipientStatus = typeof RecipientStatus.Type

/** What the recipient row itself stores. */
export const StoredRecipientStatus = Schema.Literals(["pending", "queued", "skipped"])
export type StoredRecipientStatus = typeof StoredRecipientStatus.Type

/** Why a contact gets no text: found when the audience is frozen, or again at send time (opted_out), or on cancel. */
export const SkipReason = Schema.Literals([
  "opted_out",
  "no_phone",
  "not_textable",
  "duplicate_phone",
  "missing_field",
  /** Rendered, the text needs more than 10 segments. */
  "too_long",
  "cancelled",
  "contact_removed"
])
export type SkipReason = typeof SkipReason.Type

export const CampaignRecipient = Schema.Struct({
  id: CampaignRecipientId,
  campaignId: CampaignId,
  /** Null once the contact was deleted. */
  contactId: Schema.NullOr(ContactId),
  /** Null when the contact had no phone. */
  phone: Schema.NullOr(E164),
  variant: VariantKey,
  status: StoredRecipientStatus,
  reason: Schema.NullOr(SkipReason),
  messageId: Schema.NullOr(MessageId),
  /** Rendered at freeze time; null when it could not be (missing field). */
  body: Schema.NullOr(Schema.String),
  segments: Schema.Int,
  encoding: Schema.NullOr(SmsEncoding),
  /** Estimated cost of this text, integer cents; 0 when skipped. */
  costCents: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  queuedAt: Schema.NullOr(Schema.DateTimeUtc)
}).annotate({ identifier: "CampaignRecipient" })
export type CampaignRecipient = typeof CampaignRecipient.Type

/** The status a recipient is shown with: its own until queued, then its message's. */
export const shownStatus = (
  stored: StoredRecipientStatus,
  messageStatus: MessageStatus | null
): RecipientStatus =>
  stored !== "queued" || messageStatus === null || messageStatus === "received" ? stored : messageStatus

/** Replies and opt-outs count within this many days after a recipient's text was sent (issue 10). */
export const RESULT_WINDOW_DAYS = 7
