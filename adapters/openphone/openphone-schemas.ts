import { Schema } from "effect"

// OpenPhone's v1 payloads (shared/reference/openphone-openapi.json, Dec 2025; /v1/conversations
// from the June 2025 copy). Private to the adapter: the gateway turns them into the port's types.
// Only what the CRM reads is required; a field the spec marks required but the CRM ignores is
// not, so a harmless change on the provider's side does not turn into `malformed-response`.

/** `POST /v1/messages` body (sendMessage_v1). */
export const SendMessageRequest = Schema.Struct({
  content: Schema.String,
  from: Schema.String,
  to: Schema.Tuple([Schema.String])
})
export type SendMessageRequest = typeof SendMessageRequest.Type

export const OpenPhoneMessage = Schema.Struct({
  id: Schema.String.check(Schema.isPattern(/^AC/)),
  to: Schema.Array(Schema.String),
  from: Schema.String,
  text: Schema.String,
  direction: Schema.Literals(["incoming", "outgoing"]),
  status: Schema.Literals(["queued", "sent", "delivered", "undelivered"]),
  createdAt: Schema.DateTimeUtcFromString
})
export type OpenPhoneMessage = typeof OpenPhoneMessage.Type

/** 202 answer to a send. */
export const SendMessageResponse = Schema.Struct({ data: OpenPhoneMessage })

/** 200 answer of `GET /v1/messages` (listMessages_v1). */
export const ListMessagesResponse = Schema.Struct({
  data: Schema.Array(OpenPhoneMessage),
  nextPageToken: Schema.optionalKey(Schema.NullOr(Schema.String))
})

const Restriction = Schema.Literals(["restricted", "unrestricted"])

export const OpenPhoneNumber = Schema.Struct({
  id: Schema.String.check(Schema.isPattern(/^PN/)),
  number: Schema.String,
  name: Schema.String,
  restrictions: Schema.Struct({ messaging: Schema.Struct({ US: Restriction }) })
})

/** 200 answer of `GET /v1/phone-numbers` (ListPhoneNumbersResponse). */
export const ListPhoneNumbersResponse = Schema.Struct({ data: Schema.Array(OpenPhoneNumber) })

export const OpenPhoneConversation = Schema.Struct({
  participants: Schema.Array(Schema.String),
  lastActivityAt: Schema.optionalKey(Schema.NullOr(Schema.DateTimeUtcFromString))
})

/** 200 answer of `GET /v1/conversations` (listConversations_v1, June 2025 spec). */
export const ListConversationsResponse = Schema.Struct({
  data: Schema.Array(OpenPhoneConversation),
  nextPageToken: Schema.optionalKey(Schema.NullOr(Schema.String))
})

/** The error envelope every endpoint answers with; `code` tells 400 A2P from other 400s. */
export const OpenPhoneErrorBody = Schema.Struct({
  message: Schema.optionalKey(Schema.String),
  code: Schema.optionalKey(Schema.String),
  title: Schema.optionalKey(Schema.String)
})
export type OpenPhoneErrorBody = typeof OpenPhoneErrorBody.Type

/** 400 "A2P Registration Not Approved". */
export const A2P_NOT_APPROVED = "0206400"
