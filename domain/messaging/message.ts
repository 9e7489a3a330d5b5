import { type DateTime, Schema } from "effect"
import { ContactId } from "../contact.ts"
import { E164 } from "../phone.ts"
import { Uuid } from "../uuid.ts"

export const MessageId = Uuid.pipe(Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type

export const MessageDirection = Schema.Literals(["inbound", "outbound"])
export type MessageDirection = typeof MessageDirection.Type

/**
 * Outbound: `queued -> sending -> sent -> delivered | undelivered`, or
 * `failed` when the provider refused it. Inbound messages are `received`.
 */
export const MessageStatus = Schema.Literals(["queued", "sending", "sent", "delivered", "undelivered", "failed", "received"])
export type MessageStatus = typeof MessageStatus.Type

/** GSM 03.38 7-bit, or UCS-2 once any character falls outside it (shared/reference/external-apis-facts.md). */
export const SmsEncoding = Schema.Literals(["GSM-7", "UCS-2"])
export type SmsEncoding = typeof SmsEncoding.Type

export const Message = Schema.Struct({
  id: MessageId,
  direction: MessageDirection,
  /** Null only for an inbound text from a number no contact has yet; such texts create a lead. */
  contactId: Schema.NullOr(ContactId),
  /** Our OpenPhone number, E.164. */
  businessNumber: E164,
  /** The contact's number, E.164. */
  contactNumber: E164,
  body: Schema.String,
  segments: Schema.Int,
  encoding: SmsEncoding,
  /** OpenPhone's message id (`AC...`) once known. */
  providerId: Schema.NullOr(Schema.String),
  status: MessageStatus,
  error: Schema.NullOr(Schema.String),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
  /** When the provider accepted an outbound text. */
  sentAt: Schema.NullOr(Schema.DateTimeUtc),
  deliveredAt: Schema.NullOr(Schema.DateTimeUtc),
  /** When a person read an inbound text in the inbox. */
  readAt: Schema.NullOr(Schema.DateTimeUtc)
}).annotate({ identifier: "Message" })
export type Message = typeof Message.Type

export const CallId = Uuid.pipe(Schema.brand("CallId"))
export type CallId = typeof CallId.Type

export const Call = Schema.Struct({
  id: CallId,
  providerId: Schema.String,
  direction: MessageDirection,
  contactId: Schema.NullOr(ContactId),
  businessNumber: E164,
  contactNumber: E164,
  /** OpenPhone's call status, e.g. `completed`, `no-answer`, `missed`. */
  status: Schema.String,
  durationSeconds: Schema.NullOr(Schema.Int),
  recordingUrl: Schema.NullOr(Schema.String),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}).annotate({ identifier: "Call" })
export type Call = typeof Call.Type

/** A new outbound text, `queued` for the delivery workflow; segments and encoding are the caller's count. */
export const queuedText = (fields: {
  readonly id: MessageId
  readonly contactId: ContactId | null
  readonly businessNumber: E164
  readonly contactNumber: E164
  readonly body: string
  readonly segments: number
  readonly encoding: SmsEncoding
  readonly at: DateTime.Utc
}): Message => ({
  id: fields.id,
  direction: "outbound",
  contactId: fields.contactId,
  businessNumber: fields.businessNumber,
  contactNumber: fields.contactNumber,
  body: fields.body,
  segments: fields.segments,
  encoding: fields.encoding,
  providerId: null,
  status: "queued",
  error: null,
  createdAt: fields.at,
  updatedAt: fields.at,
  sentAt: null,
  deliveredAt: null,
  readAt: null
})
