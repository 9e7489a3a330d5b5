import { Schema } from "effect"
import type { InboxConversation } from "../../application/messaging/inbox.ts"
import { type Message, MessageDirection, MessageStatus, SmsEncoding } from "../../domain/messaging/message.ts"
import { Uuid } from "../../domain/uuid.ts"
import { ContactJson, contactJson, iso, Timestamp } from "./json-views.ts"

export const MessageJson = Schema.Struct({
  id: Uuid,
  direction: MessageDirection,
  contactId: Schema.NullOr(Uuid),
  businessNumber: Schema.String.annotate({ description: "Our number, E.164" }),
  contactNumber: Schema.String.annotate({ description: "The contact's number, E.164" }),
  body: Schema.String,
  segments: Schema.Int.annotate({ description: "SMS segments the text is billed as" }),
  encoding: SmsEncoding,
  providerId: Schema.NullOr(Schema.String).annotate({ description: "OpenPhone's message id once the provider took it" }),
  status: MessageStatus.annotate({
    description: "Outbound: queued -> sending -> sent -> delivered | undelivered, or failed. Inbound: received. " +
      "A text stays `sending` while it is uncertain whether the provider took it; reconciliation settles it."
  }),
  error: Schema.NullOr(Schema.String).annotate({ description: "Why a text failed" }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sentAt: Schema.NullOr(Timestamp),
  deliveredAt: Schema.NullOr(Timestamp),
  readAt: Schema.NullOr(Timestamp).annotate({ description: "When an inbound text was marked read" })
}).annotate({ identifier: "Message" })
export type MessageJson = typeof MessageJson.Type

const isoOrNull = (instant: Message["sentAt"]) => (instant === null ? null : iso(instant))

export const messageJson = (message: Message): MessageJson => ({
  id: message.id,
  direction: message.direction,
  contactId: message.contactId,
  businessNumber: message.businessNumber,
  contactNumber: message.contactNumber,
  body: message.body,
  segments: message.segments,
  encoding: message.encoding,
  providerId: message.providerId,
  status: message.status,
  error: message.error,
  createdAt: iso(message.createdAt),
  updatedAt: iso(message.updatedAt),
  sentAt: isoOrNull(message.sentAt),
  deliveredAt: isoOrNull(message.deliveredAt),
  readAt: isoOrNull(message.readAt)
})

export const ConversationJson = Schema.Struct({
  contact: ContactJson,
  businessNumber: Schema.String.annotate({ description: "Our number of this conversation, E.164" }),
  latestMessage: MessageJson,
  unreadCount: Schema.Int.annotate({ description: "Inbound texts not yet marked read" })
}).annotate({ identifier: "Conversation" })

export const conversationJson = (conversation: InboxConversation): typeof ConversationJson.Type => ({
  contact: contactJson(conversation.contact),
  businessNumber: conversation.businessNumber,
  latestMessage: messageJson(conversation.latest),
  unreadCount: conversation.unread
})
