import { DateTime, Schema } from "effect"
import { ContactId } from "../../domain/contact.ts"
import { type Message, MessageDirection, MessageId, MessageStatus, SmsEncoding } from "../../domain/messaging/message.ts"

/** The columns of `messages` that make a Message, plus send_started_at, as the driver returns them. */
export const MessageRow = Schema.Struct({
  id: MessageId,
  direction: MessageDirection,
  contact_id: Schema.NullOr(ContactId),
  business_number: Schema.String,
  contact_number: Schema.String,
  body: Schema.String,
  segments: Schema.Number,
  encoding: SmsEncoding,
  provider_id: Schema.NullOr(Schema.String),
  status: MessageStatus,
  error: Schema.NullOr(Schema.String),
  created_at: Schema.Date,
  updated_at: Schema.Date,
  send_started_at: Schema.NullOr(Schema.Date),
  sent_at: Schema.NullOr(Schema.Date),
  delivered_at: Schema.NullOr(Schema.Date),
  read_at: Schema.NullOr(Schema.Date)
})
export type MessageRow = typeof MessageRow.Type

export const MESSAGE_COLUMNS = [
  "id", "direction", "contact_id", "business_number", "contact_number", "body", "segments", "encoding", "provider_id",
  "status", "error", "created_at", "updated_at", "send_started_at", "sent_at", "delivered_at", "read_at"
] as const

const utc = (date: Date | null) => (date === null ? null : DateTime.fromDateUnsafe(date))
const date = (dateTime: DateTime.Utc | null) => (dateTime === null ? null : DateTime.toDate(dateTime))

/** E.164 numbers are the table's CHECK constraints, so they are not re-checked for every row of a page. */
export const messageFromRow = (row: MessageRow): Message => ({
  id: row.id,
  direction: row.direction,
  contactId: row.contact_id,
  businessNumber: row.business_number,
  contactNumber: row.contact_number,
  body: row.body,
  segments: row.segments,
  encoding: row.encoding,
  providerId: row.provider_id,
  status: row.status,
  error: row.error,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at),
  sentAt: utc(row.sent_at),
  deliveredAt: utc(row.delivered_at),
  readAt: utc(row.read_at)
})

export const messageToRow = (message: Message, sendStartedAt: DateTime.Utc | null): MessageRow => ({
  id: message.id,
  direction: message.direction,
  contact_id: message.contactId,
  business_number: message.businessNumber,
  contact_number: message.contactNumber,
  body: message.body,
  segments: message.segments,
  encoding: message.encoding,
  provider_id: message.providerId,
  status: message.status,
  error: message.error,
  created_at: DateTime.toDate(message.createdAt),
  updated_at: DateTime.toDate(message.updatedAt),
  send_started_at: date(sendStartedAt),
  sent_at: date(message.sentAt),
  delivered_at: date(message.deliveredAt),
  read_at: date(message.readAt)
})

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(MessageRow))

export const decodeMessageRows = (rows: ReadonlyArray<unknown>) => decodeRows(rows)
