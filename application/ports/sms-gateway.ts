import { Context, type DateTime, type Effect, type Option, Schema } from "effect"

/**
 * Why the provider did not take a request. The first group is final: retrying
 * cannot help (shared/reference/openphone-facts.md, error table). The second
 * group is what was left after the gateway's own retries gave up.
 */
export const SmsFailureReason = Schema.Literals([
  "a2p-not-approved", // 400 0206400
  "invalid-request", // any other 400
  "unauthorized", // 401
  "insufficient-credits", // 402
  "forbidden", // 403, e.g. not a user of the phone number
  "not-found", // 404
  "rate-limited", // 429 after retries
  "provider-error", // 5xx after retries
  "timeout",
  "network",
  "malformed-response"
])
export type SmsFailureReason = typeof SmsFailureReason.Type

export class SmsGatewayError extends Schema.TaggedError<SmsGatewayError>()("SmsGatewayError", {
  reason: SmsFailureReason,
  /** The provider's HTTP status, when there was a response. */
  status: Schema.NullOr(Schema.Int),
  message: Schema.String
}) {}

/** Whether the same request may succeed later; final refusals never do. */
export const isRetryable = (error: SmsGatewayError): boolean =>
  error.reason === "rate-limited" || error.reason === "provider-error" || error.reason === "timeout" ||
  error.reason === "network"

export type ProviderMessageStatus = "queued" | "sent" | "delivered" | "undelivered"

/** A message as the provider reports it. */
export interface ProviderMessage {
  /** `AC...` */
  readonly providerId: string
  readonly direction: "incoming" | "outgoing"
  /** E.164 */
  readonly from: string
  /** E.164 numbers */
  readonly to: ReadonlyArray<string>
  readonly text: string
  readonly status: ProviderMessageStatus
  readonly createdAt: DateTime.Utc
}

/** One of the business's phone numbers. */
export interface BusinessNumber {
  /** `PN...` */
  readonly id: string
  /** E.164 */
  readonly number: string
  readonly name: string
  /** `restrictions.messaging.US === "unrestricted"` */
  readonly canTextUs: boolean
}

export interface MessagePage {
  readonly messages: ReadonlyArray<ProviderMessage>
  readonly nextPageToken: Option.Option<string>
}

/** A conversation as the provider lists it: the other party's numbers and when it last changed. */
export interface ProviderConversation {
  readonly participants: ReadonlyArray<string>
  readonly lastActivityAt: Option.Option<DateTime.Utc>
}

export interface ConversationPage {
  readonly conversations: ReadonlyArray<ProviderConversation>
  readonly nextPageToken: Option.Option<string>
}

/**
 * Texting through the provider (OpenPhone). Sends from the one configured
 * business number. Implementations retry transient failures themselves and
 * keep to the provider's rate limit; an error here is final for this call.
 */
export class SmsGateway extends Context.Service<SmsGateway, {
  /** Which gateway this is, for /health and start-up logs: `openphone` or `sandbox`. */
  readonly kind: "openphone" | "sandbox"
  /** The number texts are sent from, E.164 (resolved from a `PN...` id when configured so). */
  readonly businessNumber: Effect.Effect<BusinessNumber, SmsGatewayError>
  /** Sends one text to one E.164 number. The provider answers 202: accepted, not yet delivered. */
  readonly send: (message: { readonly to: string; readonly content: string }) => Effect.Effect<ProviderMessage, SmsGatewayError>
  /** Messages between the business number and one participant, newest first, a page at a time. */
  readonly listMessages: (query: {
    readonly participant: string
    readonly createdAfter?: DateTime.Utc | undefined
    readonly createdBefore?: DateTime.Utc | undefined
    readonly pageToken?: string | undefined
    readonly maxResults: number
  }) => Effect.Effect<MessagePage, SmsGatewayError>
  /** The business's phone numbers. */
  readonly listPhoneNumbers: Effect.Effect<ReadonlyArray<BusinessNumber>, SmsGatewayError>
  /**
   * Conversations of the business number, a page at a time (`GET /v1/conversations`, listed in the
   * June 2025 spec). `not-found` when the provider no longer serves it; callers fall back to known contacts.
   */
  readonly listConversations: (query: {
    readonly updatedAfter?: DateTime.Utc | undefined
    readonly pageToken?: string | undefined
    readonly maxResults: number
  }) => Effect.Effect<ConversationPage, SmsGatewayError>
}>()("crm/application/ports/SmsGateway") {}
