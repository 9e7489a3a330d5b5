import { Schema } from "effect"
import type { CampaignEstimate, CampaignResults, ResultFigures } from "../../application/campaigns/campaign-figures.ts"
import type { CampaignPreview } from "../../application/campaigns/campaigns.ts"
import type { RecipientView } from "../../application/ports/campaign-repository.ts"
import {
  type Campaign,
  CampaignStatus,
  EXCLUSION_REASONS,
  QuietHours,
  RecipientStatus,
  SkipReason,
  VariantKey
} from "../../domain/campaigns/campaign.ts"
import { SmsEncoding } from "../../domain/messaging/message.ts"
import { Uuid } from "../../domain/uuid.ts"
import { iso, Timestamp } from "./json-views.ts"

const Count = Schema.Int
const Cents = Schema.Int.annotate({ description: "Integer cents (USD)" })
const orNull = (instant: Campaign["startAt"]) => (instant === null ? null : iso(instant))

export const CampaignJson = Schema.Struct({
  id: Uuid,
  name: Schema.String,
  status: CampaignStatus.annotate({
    description: "draft -> scheduled -> sending <-> paused -> completed | cancelled"
  }),
  variants: Schema.Array(Schema.Struct({ key: VariantKey, template: Schema.String, weight: Schema.Int })),
  audience: Schema.Struct({
    listIds: Schema.Array(Uuid),
    tags: Schema.Array(Schema.String),
    contactIds: Schema.Array(Uuid)
  }),
  from: Schema.NullOr(Schema.String).annotate({ description: "Sending number, E.164; null: OPENPHONE_FROM" }),
  startAt: Schema.NullOr(Timestamp),
  dailyLimit: Schema.Int,
  quietHours: QuietHours,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  startedAt: Schema.NullOr(Timestamp),
  finishedAt: Schema.NullOr(Timestamp)
}).annotate({ identifier: "Campaign" })

export const campaignJson = (campaign: Campaign): typeof CampaignJson.Type => ({
  id: campaign.id,
  name: campaign.name,
  status: campaign.status,
  variants: campaign.variants,
  audience: campaign.audience,
  from: campaign.fromNumber,
  startAt: orNull(campaign.startAt),
  dailyLimit: campaign.dailyLimit,
  quietHours: campaign.quietHours,
  createdAt: iso(campaign.createdAt),
  updatedAt: iso(campaign.updatedAt),
  startedAt: orNull(campaign.startedAt),
  finishedAt: orNull(campaign.finishedAt)
})

const ByEncoding = Schema.Struct({ "GSM-7": Count, "UCS-2": Count })

export const EstimateJson = Schema.Struct({
  frozen: Schema.Boolean.annotate({ description: "True once started: the figures are the frozen recipients'" }),
  recipients: Count.annotate({ description: "Texts to send" }),
  excluded: Schema.Struct(Object.fromEntries(EXCLUSION_REASONS.map((reason) => [reason, Count])))
    .annotate({ description: "Contacts left out, by reason" }),
  segments: ByEncoding.annotate({ description: "Segments to send, by encoding" }),
  centsPerSegment: Cents,
  totalCents: Cents,
  dailyLimit: Count,
  daysNeeded: Count.annotate({ description: "Business days the sending number needs at the daily limit" })
}).annotate({ identifier: "CampaignEstimate" })

export const estimateJson = (estimate: CampaignEstimate): typeof EstimateJson.Type => estimate

export const PreviewJson = Schema.Struct({
  contactId: Uuid,
  variant: VariantKey,
  body: Schema.NullOr(Schema.String).annotate({ description: "The text as it would be sent; null when skipped" }),
  skippedReason: Schema.NullOr(SkipReason),
  encoding: Schema.NullOr(SmsEncoding),
  segments: Count,
  units: Count,
  unitsPerSegment: Count,
  nonGsmCharacters: Schema.Array(Schema.String).annotate({ description: "Characters that forced UCS-2" }),
  costCents: Cents
}).annotate({ identifier: "CampaignPreview" })

export const previewJson = (preview: CampaignPreview): typeof PreviewJson.Type => ({
  contactId: preview.contactId,
  variant: preview.variant,
  body: preview.body,
  skippedReason: preview.skippedReason,
  encoding: preview.details?.encoding ?? null,
  segments: preview.details?.segments ?? 0,
  units: preview.details?.units ?? 0,
  unitsPerSegment: preview.details?.unitsPerSegment ?? 0,
  nonGsmCharacters: preview.details?.nonGsmCharacters ?? [],
  costCents: preview.costCents
})

const figureFields = {
  recipients: Count,
  byStatus: Schema.Struct(Object.fromEntries(RecipientStatus.literals.map((status) => [status, Count]))),
  skippedByReason: Schema.Record(Schema.String, Count).annotate({ description: "Skipped recipients by reason (only reasons that occur)" }),
  sent: Count.annotate({ description: "Accepted by the provider: sent, delivered or undelivered" }),
  delivered: Count,
  failed: Count.annotate({ description: "Failed or undelivered" }),
  replies: Count.annotate({ description: "Recipients who texted back within 7 days of their text" }),
  optOuts: Count.annotate({ description: "Recipients who opted out within 7 days of their text" }),
  estimatedCents: Cents,
  actualCents: Cents.annotate({ description: "Segments the provider accepted, at the current rate" })
}

export const ResultsJson = Schema.Struct({
  ...figureFields,
  variants: Schema.Array(Schema.Struct({ variant: VariantKey, ...figureFields }))
}).annotate({ identifier: "CampaignResults" })

const figures = (f: ResultFigures) => ({
  recipients: f.recipients,
  byStatus: f.byStatus,
  skippedByReason: f.skippedByReason,
  sent: f.sent,
  delivered: f.delivered,
  failed: f.failed,
  replies: f.replies,
  optOuts: f.optOuts,
  estimatedCents: f.estimatedCents,
  actualCents: f.actualCents
})

export const resultsJson = (results: CampaignResults): typeof ResultsJson.Type => ({
  ...figures(results),
  variants: results.variants.map((v) => ({ variant: v.variant, ...figures(v) }))
})

export const RecipientJson = Schema.Struct({
  id: Uuid,
  contactId: Schema.NullOr(Uuid),
  phone: Schema.NullOr(Schema.String),
  variant: VariantKey,
  status: RecipientStatus.annotate({ description: "pending or skipped; after queued, its message's status" }),
  reason: Schema.NullOr(Schema.String).annotate({ description: "Why skipped, or why its text failed" }),
  messageId: Schema.NullOr(Uuid),
  body: Schema.NullOr(Schema.String),
  segments: Count,
  encoding: Schema.NullOr(SmsEncoding),
  costCents: Cents,
  queuedAt: Schema.NullOr(Timestamp),
  sentAt: Schema.NullOr(Timestamp),
  deliveredAt: Schema.NullOr(Timestamp)
}).annotate({ identifier: "CampaignRecipient" })

export const recipientJson = (view: RecipientView): typeof RecipientJson.Type => ({
  id: view.recipient.id,
  contactId: view.recipient.contactId,
  phone: view.recipient.phone,
  variant: view.recipient.variant,
  status: view.status,
  reason: view.reason,
  messageId: view.recipient.messageId,
  body: view.recipient.body,
  segments: view.recipient.segments,
  encoding: view.recipient.encoding,
  costCents: view.recipient.costCents,
  queuedAt: orNull(view.recipient.queuedAt),
  sentAt: orNull(view.sentAt),
  deliveredAt: orNull(view.deliveredAt)
})
