import { Effect, Schema } from "effect"

/**
 * OpenPhone's webhook events as this application reads them: the envelope
 * `{ id: "EV...", type, createdAt, data: { object } }` and the message and
 * call objects of the event types handled (shared/reference/openphone-facts.md,
 * "Webhooks: delivered payload"). Only the fields used are declared; others
 * are ignored, so additions on OpenPhone's side break nothing.
 */
export const WebhookEnvelope = Schema.Struct({
  id: Schema.NonEmptyString,
  type: Schema.NonEmptyString
})
export type WebhookEnvelope = typeof WebhookEnvelope.Type

// One number or a list: `to` is a list on message samples and a single
// number on the call samples.
const Numbers = Schema.Union([Schema.String, Schema.Array(Schema.String)])
const OpenPhoneDirection = Schema.Literals(["incoming", "outgoing"])

export const WebhookMessage = Schema.Struct({
  /** OpenPhone's message id, `AC...`. */
  id: Schema.NonEmptyString,
  from: Schema.String,
  to: Numbers,
  direction: OpenPhoneDirection,
  /** The body; the samples name it `text`. Absent or null for a picture-only message. */
  text: Schema.optionalKey(Schema.NullOr(Schema.String)),
  status: Schema.optionalKey(Schema.NullOr(Schema.String)),
  createdAt: Schema.DateTimeUtcFromString
})
export type WebhookMessage = typeof WebhookMessage.Type

const Media = Schema.Struct({ url: Schema.optionalKey(Schema.NullOr(Schema.String)) })

export const WebhookCall = Schema.Struct({
  id: Schema.NonEmptyString,
  from: Schema.optionalKey(Schema.NullOr(Schema.String)),
  to: Schema.optionalKey(Schema.NullOr(Numbers)),
  /** The other side's numbers (the calls API names them so instead of from/to). */
  participants: Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.String))),
  direction: OpenPhoneDirection,
  status: Schema.String,
  /** Seconds. */
  duration: Schema.optionalKey(Schema.NullOr(Schema.Finite)),
  /** Recordings arrive as media on `call.recording.completed`. */
  media: Schema.optionalKey(Schema.NullOr(Schema.Array(Media))),
  createdAt: Schema.DateTimeUtcFromString
})
export type WebhookCall = typeof WebhookCall.Type

const withObject = <S extends Schema.Top>(object: S) => Schema.Struct({ data: Schema.Struct({ object }) })
const MessageEvent = withObject(WebhookMessage)
const CallEvent = withObject(WebhookCall)

/** The events the CRM acts on, and every other type (stored, acknowledged, no action). */
export type InboundWebhookEvent =
  | { readonly _tag: "MessageReceived"; readonly id: string; readonly message: WebhookMessage }
  | { readonly _tag: "MessageDelivered"; readonly id: string; readonly message: WebhookMessage }
  | { readonly _tag: "CallCompleted"; readonly id: string; readonly call: WebhookCall }
  | { readonly _tag: "CallRecordingCompleted"; readonly id: string; readonly call: WebhookCall }
  | { readonly _tag: "Other"; readonly id: string; readonly type: string }

/** A signed body that is not an event this application can read. */
export class MalformedWebhook extends Schema.TaggedError<MalformedWebhook>()("MalformedWebhook", {
  message: Schema.String
}) {}

const decodeEnvelope = Schema.decodeUnknownEffect(WebhookEnvelope)
const decodeMessageEvent = Schema.decodeUnknownEffect(MessageEvent)
const decodeCallEvent = Schema.decodeUnknownEffect(CallEvent)

const malformed = (what: string) => (error: Schema.SchemaError) =>
  new MalformedWebhook({ message: `${what}: ${error.message}` })

/**
 * Reads a parsed JSON body as an event. An event of a known type must carry
 * a well-formed object; an unknown type only needs its id and type.
 */
export const decodeWebhookEvent = (payload: unknown): Effect.Effect<InboundWebhookEvent, MalformedWebhook> =>
  Effect.gen(function*() {
    const envelope = yield* decodeEnvelope(payload).pipe(Effect.mapError(malformed("Not a webhook event")))
    const { id, type } = envelope
    switch (type) {
      case "message.received":
      case "message.delivered": {
        const { data } = yield* decodeMessageEvent(payload).pipe(Effect.mapError(malformed(`Malformed ${type} event`)))
        return type === "message.received"
          ? { _tag: "MessageReceived", id, message: data.object } as const
          : { _tag: "MessageDelivered", id, message: data.object } as const
      }
      case "call.completed":
      case "call.recording.completed": {
        const { data } = yield* decodeCallEvent(payload).pipe(Effect.mapError(malformed(`Malformed ${type} event`)))
        return type === "call.completed"
          ? { _tag: "CallCompleted", id, call: data.object } as const
          : { _tag: "CallRecordingCompleted", id, call: data.object } as const
      }
      default:
        return { _tag: "Other", id, type } as const
    }
  })

/** The numbers of a `to` field as a list. */
export const numbersOf = (value: string | ReadonlyArray<string> | null | undefined): ReadonlyArray<string> =>
  value === null || value === undefined ? [] : typeof value === "string" ? [value] : value
