import { createHash } from "node:crypto"
import { DateTime, Duration, Effect, flow, Option, Redacted, Ref, Semaphore } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { RateLimiter } from "effect/persistence"
import {
  type BusinessNumber,
  type ProviderMessage,
  SmsGateway,
  SmsGatewayError
} from "../../application/ports/sms-gateway.ts"
import { type OpenPhoneConfig, requestSpacing } from "./openphone-config.ts"
import { attempt, decodeBody, type Limits, retryable, retrySchedule, toGatewayError } from "./openphone-request.ts"
import {
  ListConversationsResponse,
  ListMessagesResponse,
  ListPhoneNumbersResponse,
  type OpenPhoneMessage,
  type SendMessageRequest,
  SendMessageResponse
} from "./openphone-schemas.ts"

/** The rate-limit key for an API key: a hash, so the key itself is never stored. */
export const rateLimitKey = (apiKey: Redacted.Redacted<string>): string =>
  `openphone:${createHash("sha256").update(Redacted.value(apiKey)).digest("hex").slice(0, 32)}`

const toProviderMessage = (message: OpenPhoneMessage): ProviderMessage => ({
  providerId: message.id,
  direction: message.direction,
  from: message.from,
  to: message.to,
  text: message.text,
  status: message.status,
  createdAt: message.createdAt
})

const decodeSent = decodeBody(SendMessageResponse, "POST /v1/messages")
const decodeMessages = decodeBody(ListMessagesResponse, "GET /v1/messages")
const decodeNumbers = decodeBody(ListPhoneNumbersResponse, "GET /v1/phone-numbers")
const decodeConversations = decodeBody(ListConversationsResponse, "GET /v1/conversations")

const E164 = /^\+[1-9]\d{1,14}$/u

/** sendMessage_v1's limits (shared/reference/openphone-facts.md): one E.164 recipient, 1-1600 characters, not all blank. */
const invalidSend = (message: { readonly to: string; readonly content: string }): string | undefined => {
  if (!E164.test(message.to)) return `to: ${message.to} is not an E.164 number`
  // JSON Schema's maxLength counts code points, not UTF-16 units: an emoji is one character.
  const length = [...message.content].length
  if (length < 1 || length > 1600) return `content: ${length} characters; 1 to 1600 allowed`
  if (!/\S/u.test(message.content)) return "content: only blanks"
  return undefined
}

const iso = (value: DateTime.Utc | undefined) => (value === undefined ? undefined : DateTime.formatIso(value))

/**
 * The live gateway: OpenPhone's v1 API over Effect's `HttpClient`, under the
 * limit shared by every process through `RateLimiter` (its store decides how
 * widely: PostgreSQL in the application).
 */
export const makeOpenPhoneGateway = (config: OpenPhoneConfig, apiKey: Redacted.Redacted<string>) =>
  Effect.gen(function*() {
    const limits: Limits = {
      limiter: yield* RateLimiter.RateLimiter,
      key: rateLimitKey(apiKey),
      spacing: requestSpacing(config),
      requestsPerSecond: config.requestsPerSecond,
      lateness: Duration.toMillis(config.spacingMargin)
    }
    // The raw key, no `Bearer` (the spec's only security scheme). Effect's
    // HttpClient redacts `authorization` in traces and errors.
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest(flow(
        HttpClientRequest.prependUrl(config.apiUrl),
        HttpClientRequest.acceptJson,
        HttpClientRequest.setHeader("authorization", Redacted.value(apiKey))
      ))
    )

    const call = (request: HttpClientRequest.HttpClientRequest, expected: number) =>
      attempt(client, limits, config, request, expected).pipe(
        Effect.retry({ schedule: retrySchedule(config), times: config.maxRetries, while: retryable(request.method, config) }),
        Effect.mapError(toGatewayError)
      )

    const listPhoneNumbers = call(HttpClientRequest.get("/v1/phone-numbers"), 200).pipe(
      Effect.flatMap(decodeNumbers),
      Effect.map((body) =>
        body.data.map((n): BusinessNumber => ({
          id: n.id,
          number: n.number,
          name: n.name,
          canTextUs: n.restrictions.messaging.US === "unrestricted"
        }))
      ),
      Effect.withSpan("OpenPhoneGateway.listPhoneNumbers")
    )

    // Looked up once it succeeds; a failure is tried again on the next call.
    // One lookup at a time: a burst of first sends waits for it rather than
    // each asking the provider (30 sends at start-up made 30 lookups).
    const known = yield* Ref.make(Option.none<BusinessNumber>())
    const lookup = Semaphore.makeUnsafe(1)
    const lookUpBusinessNumber = Effect.gen(function*() {
      const cached = yield* Ref.get(known)
      if (Option.isSome(cached)) return cached.value
      const numbers = yield* listPhoneNumbers
      const found = Option.match(config.from, {
        onNone: () => numbers[0],
        onSome: (from) => numbers.find((n) => n.id === from || n.number === from)
      })
      if (found === undefined) {
        return yield* new SmsGatewayError({
          reason: "not-found",
          status: null,
          message: Option.match(config.from, {
            onNone: () => "The OpenPhone account has no phone number",
            onSome: (from) => `OPENPHONE_FROM ${from} is not one of the OpenPhone account's numbers`
          })
        })
      }
      yield* Ref.set(known, Option.some(found))
      return found
    })
    const businessNumber = Effect.gen(function*() {
      const cached = yield* Ref.get(known)
      if (Option.isSome(cached)) return cached.value
      return yield* lookup.withPermits(1)(lookUpBusinessNumber)
    })

    // A `PN...` id is what GET /v1/messages needs; an E.164 sender is looked up.
    const phoneNumberId = Option.match(Option.filter(config.from, (from) => from.startsWith("PN")), {
      onNone: () => Effect.map(businessNumber, (n) => n.id),
      onSome: Effect.succeed
    })
    const sender = Option.match(config.from, { onNone: () => phoneNumberId, onSome: Effect.succeed })

    return SmsGateway.of({
      kind: "openphone",
      businessNumber,
      listPhoneNumbers,
      send: Effect.fn("OpenPhoneGateway.send")(function*(message) {
        // What the spec would refuse is refused here, without spending a request of the shared budget.
        const refusal = invalidSend(message)
        if (refusal !== undefined) return yield* new SmsGatewayError({ reason: "invalid-request", status: null, message: refusal })
        const body: SendMessageRequest = { content: message.content, from: yield* sender, to: [message.to] }
        const request = HttpClientRequest.post("/v1/messages").pipe(HttpClientRequest.bodyJsonUnsafe(body))
        const sent = yield* call(request, 202).pipe(Effect.flatMap(decodeSent))
        return toProviderMessage(sent.data)
      }),
      listMessages: Effect.fn("OpenPhoneGateway.listMessages")(function*(query) {
        const request = HttpClientRequest.get("/v1/messages").pipe(
          HttpClientRequest.setUrlParams({
            phoneNumberId: yield* phoneNumberId,
            participants: [query.participant],
            maxResults: query.maxResults,
            createdAfter: iso(query.createdAfter),
            createdBefore: iso(query.createdBefore),
            pageToken: query.pageToken
          })
        )
        const page = yield* call(request, 200).pipe(Effect.flatMap(decodeMessages))
        return {
          messages: page.data.map(toProviderMessage),
          nextPageToken: Option.fromNullishOr(page.nextPageToken)
        }
      }),
      listConversations: Effect.fn("OpenPhoneGateway.listConversations")(function*(query) {
        const request = HttpClientRequest.get("/v1/conversations").pipe(
          HttpClientRequest.setUrlParams({
            phoneNumbers: [yield* phoneNumberId],
            maxResults: query.maxResults,
            updatedAfter: iso(query.updatedAfter),
            pageToken: query.pageToken
          })
        )
        const page = yield* call(request, 200).pipe(Effect.flatMap(decodeConversations))
        return {
          conversations: page.data.map((c) => ({
            participants: c.participants,
            lastActivityAt: Option.fromNullishOr(c.lastActivityAt)
          })),
          nextPageToken: Option.fromNullishOr(page.nextPageToken)
        }
      })
    })
  })
