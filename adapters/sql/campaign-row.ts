import { DateTime, Schema } from "effect"
import {
  Audience,
  type Campaign,
  CampaignId,
  CampaignRecipientId,
  type CampaignRecipient,
  CampaignStatus,
  CampaignVariant,
  SkipReason,
  StoredRecipientStatus,
  VariantKey
} from "../../domain/campaigns/campaign.ts"
import { ContactId } from "../../domain/contact.ts"
import { MessageId, MessageStatus, SmsEncoding } from "../../domain/messaging/message.ts"

const utc = (date: Date | null) => (date === null ? null : DateTime.fromDateUnsafe(date))

/** A campaign row with its variants gathered by json_agg. */
export const CampaignRow = Schema.Struct({
  id: CampaignId,
  name: Schema.String,
  status: CampaignStatus,
  audience: Audience,
  from_number: Schema.NullOr(Schema.String),
  start_at: Schema.NullOr(Schema.Date),
  daily_limit: Schema.Int,
  quiet_start: Schema.String,
  quiet_end: Schema.String,
  send_runs: Schema.Int,
  created_at: Schema.Date,
  updated_at: Schema.Date,
  started_at: Schema.NullOr(Schema.Date),
  finished_at: Schema.NullOr(Schema.Date),
  variants: Schema.Array(CampaignVariant)
})
export const decodeCampaignRows = Schema.decodeUnknownEffect(Schema.Array(CampaignRow))

/** Numbers and clock times are the table's CHECK constraints, not re-checked per row. */
export const campaignFromRow = (row: typeof CampaignRow.Type): Campaign => ({
  id: row.id,
  name: row.name,
  status: row.status,
  variants: row.variants,
  audience: row.audience,
  fromNumber: row.from_number,
  startAt: utc(row.start_at),
  dailyLimit: row.daily_limit,
  quietHours: { start: row.quiet_start, end: row.quiet_end },
  sendRuns: row.send_runs,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at),
  startedAt: utc(row.started_at),
  finishedAt: utc(row.finished_at)
})

export const RecipientRow = Schema.Struct({
  id: CampaignRecipientId,
  campaign_id: CampaignId,
  contact_id: Schema.NullOr(ContactId),
  phone: Schema.NullOr(Schema.String),
  variant: VariantKey,
  status: StoredRecipientStatus,
  reason: Schema.NullOr(SkipReason),
  message_id: Schema.NullOr(MessageId),
  body: Schema.NullOr(Schema.String),
  segments: Schema.Int,
  encoding: Schema.NullOr(SmsEncoding),
  cost_cents: Schema.Int,
  created_at: Schema.Date,
  queued_at: Schema.NullOr(Schema.Date)
})
export const RECIPIENT_COLUMNS = [
  "id", "campaign_id", "contact_id", "phone", "variant", "status", "reason", "message_id", "body", "segments", "encoding",
  "cost_cents", "created_at", "queued_at"
] as const
export const decodeRecipientRows = Schema.decodeUnknownEffect(Schema.Array(RecipientRow))

export const recipientFromRow = (row: typeof RecipientRow.Type): CampaignRecipient => ({
  id: row.id,
  campaignId: row.campaign_id,
  contactId: row.contact_id,
  phone: row.phone,
  variant: row.variant,
  status: row.status,
  reason: row.reason,
  messageId: row.message_id,
  body: row.body,
  segments: row.segments,
  encoding: row.encoding,
  costCents: row.cost_cents,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  queuedAt: utc(row.queued_at)
})

/** A recipient as a JSON object with the table's column names, for jsonb_populate_recordset. */
export const recipientToJson = (r: CampaignRecipient) => ({
  id: r.id,
  campaign_id: r.campaignId,
  contact_id: r.contactId,
  phone: r.phone,
  variant: r.variant,
  status: r.status,
  reason: r.reason,
  message_id: r.messageId,
  body: r.body,
  segments: r.segments,
  encoding: r.encoding,
  cost_cents: r.costCents,
  created_at: DateTime.formatIso(r.createdAt),
  queued_at: r.queuedAt === null ? null : DateTime.formatIso(r.queuedAt)
})

/** A recipient with what its message says, for pages. */
export const RecipientViewRow = Schema.Struct({
  ...RecipientRow.fields,
  message_status: Schema.NullOr(MessageStatus),
  message_error: Schema.NullOr(Schema.String),
  sent_at: Schema.NullOr(Schema.Date),
  delivered_at: Schema.NullOr(Schema.Date)
})
export const decodeRecipientViewRows = Schema.decodeUnknownEffect(Schema.Array(RecipientViewRow))
export { utc }
