import { Cause, Context, DateTime, Effect, Exit, Layer, Option, Schema } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import { CallId, type Message, MessageId } from "../../domain/messaging/message.ts"
import { smsSegments } from "../../domain/messaging/sms-segments.ts"
import { E164, normalizePhone } from "../../domain/phone.ts"
import { CallRepository } from "../ports/call-repository.ts"
import { Ids } from "../ports/ids.ts"
import { MessageRepository } from "../ports/message-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import { type WebhookEvent, WebhookEventStore } from "../ports/webhook-event-store.ts"
import { Leads } from "./leads.ts"
import { OptOuts } from "./opt-outs.ts"
import { decodeWebhookEvent, numbersOf, type WebhookCall, type WebhookMessage } from "./webhook-events.ts"

/** What processing one stored event came to; a Schema, since a workflow activity records it. */
export const ProcessOutcome = Schema.Union([
  /** Handled now. `helpFor`: the sender texted HELP or INFO and is owed the help text. */
  Schema.TaggedStruct("Processed", { helpFor: Schema.NullOr(Schema.Struct({ contactId: Schema.String, phone: Schema.String })) }),
  /** An earlier run handled it (a redelivered start, a retry that raced the first run). */
  Schema.TaggedStruct("AlreadyProcessed", {}),
  /** The handler failed; its changes were undone and the retry job will run it again. */
  Schema.TaggedStruct("Failed", { error: Schema.String }),
  Schema.TaggedStruct("Missing", {})
])
export type ProcessOutcome = typeof ProcessOutcome.Type

/** A failure a later attempt may get past, e.g. a delivery report that overtook our record of the send. */
class NotYet extends Schema.TaggedError<NotYet>()("NotYet", { message: Schema.String }) {}

/** A number as E.164: the provider sends E.164, a national form is normalised; a short code is none. */
const asE164 = (number: string): Option.Option<E164> => {
  if (Schema.is(E164)(number)) return Option.some(number)
  const normalized = normalizePhone(number)
  return normalized._tag === "Success" ? Option.some(normalized.success.e164) : Option.none()
}

const firstE164 = (numbers: ReadonlyArray<string>): Option.Option<E164> =>
  Option.firstSomeOf(numbers.map(asE164))

/** For calls: whose number is the other side's and whose is ours, by direction. */
const callNumbers = (call: WebhookCall) => {
  const to = numbersOf(call.to)
  const from = call.from === null || call.from === undefined ? [] : [call.from]
  const others = call.direction === "incoming" ? [...from, ...(call.participants ?? [])] : [...to, ...(call.participants ?? [])]
  const ours = call.direction === "incoming" ? to : from
  return { contact: firstE164(others), business: firstE164(ours) }
}

const describe = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  const text = error instanceof Error ? error.message : String(error)
  return text.length > 500 ? `${text.slice(0, 497)}...` : text
}

/**
 * Processes stored webhook events: each in one transaction that locks the
 * event row, runs the handler, and marks the event processed, or records the
 * failed attempt (the handler's writes undone) for the retry job.
 */
export class WebhookProcessing extends Context.Service<WebhookProcessing, {
  readonly process: (eventId: string) => Effect.Effect<ProcessOutcome>
}>()("crm/application/messaging/WebhookProcessing") {
  /** Needs WebhookEventStore, MessageRepository, CallRepository, Leads, OptOuts, Transactor and Ids. */
  static readonly layer = Layer.effect(
    WebhookProcessing,
    Effect.gen(function*() {
      const events = yield* WebhookEventStore
      const messages = yield* MessageRepository
      const calls = yield* CallRepository
      const leads = yield* Leads
      const optOuts = yield* OptOuts
      const tx = yield* Transactor
      const ids = yield* Ids

      const processed = (helpFor: { readonly contactId: ContactId; readonly phone: E164 } | null = null): ProcessOutcome => ({
        _tag: "Processed",
        helpFor
      })

      const ignore = (event: WebhookEvent, reason: string) =>
        Effect.as(Effect.logWarning("webhook event ignored").pipe(Effect.annotateLogs({ eventId: event.id, type: event.type, reason })), processed())

      const messageReceived = Effect.fnUntraced(function*(event: WebhookEvent, provided: WebhookMessage) {
        const sender = asE164(provided.from)
        const ours = firstE164(numbersOf(provided.to))
        if (Option.isNone(sender) || Option.isNone(ours)) return yield* ignore(event, "sender or recipient is not a phone number")
        const { contact } = yield* leads.contactForNumber(sender.value)
        const body = provided.text ?? ""
        const { encoding, segments } = smsSegments(body)
        const now = yield* DateTime.now
        const message: Message = {
          id: MessageId.make(yield* ids.next),
          direction: "inbound",
          contactId: contact.id,
          businessNumber: ours.value,
          contactNumber: sender.value,
          body,
          segments,
          encoding,
          providerId: provided.id,
          status: "received",
          error: null,
          createdAt: provided.createdAt,
          updatedAt: now,
          sentAt: null,
          deliveredAt: null,
          readAt: null
        }
        const stored = yield* messages.insert(message)
        // A text stored before (another event for it, or a sync) had its keyword applied then.
        if (stored._tag === "Duplicate") return processed()
        const keyword = yield* optOuts.applyInboundKeyword(sender.value, body, message.id, provided.createdAt)
        return processed(keyword === "help" ? { contactId: contact.id, phone: sender.value } : null)
      })

      const messageDelivered = Effect.fnUntraced(function*(provided: WebhookMessage, at: DateTime.Utc) {
        const status = provided.status === "undelivered" ? "undelivered" : "delivered"
        const update = yield* messages.applyProviderStatus({ providerId: provided.id, status, at })
        // Our send may not have recorded the provider's id yet (the report
        // overtook it): the retry job tries again. A text sent from the
        // OpenPhone app itself stays unknown until a sync brings it in.
        if (update._tag === "Unknown") return yield* new NotYet({ message: `No message has provider id ${provided.id} yet` })
        return processed()
      })

      const callReport = Effect.fnUntraced(function*(event: WebhookEvent, provided: WebhookCall) {
        const numbers = callNumbers(provided)
        if (Option.isNone(numbers.contact) || Option.isNone(numbers.business)) {
          return yield* ignore(event, "the call's numbers are not phone numbers")
        }
        const { contact } = yield* leads.contactForNumber(numbers.contact.value)
        const recordingUrl = (provided.media ?? []).flatMap((media) => (media.url == null ? [] : [media.url]))[0] ?? null
        const now = yield* DateTime.now
        yield* calls.upsert({
          id: CallId.make(yield* ids.next),
          providerId: provided.id,
          direction: provided.direction === "incoming" ? "inbound" : "outbound",
          contactId: contact.id,
          businessNumber: numbers.business.value,
          contactNumber: numbers.contact.value,
          status: provided.status,
          durationSeconds: provided.duration == null ? null : Math.max(0, Math.round(provided.duration)),
          recordingUrl,
          createdAt: provided.createdAt,
          updatedAt: now
        })
        return processed()
      })

      const handle = Effect.fnUntraced(function*(event: WebhookEvent) {
        const decoded = yield* decodeWebhookEvent(event.payload)
        switch (decoded._tag) {
          case "MessageReceived":
            return yield* messageReceived(event, decoded.message)
          case "MessageDelivered":
            return yield* messageDelivered(decoded.message, yield* DateTime.now)
          case "CallCompleted":
          case "CallRecordingCompleted":
            return yield* callReport(event, decoded.call)
          case "Other":
            return processed()
        }
      })

      const process = Effect.fn("WebhookProcessing.process")(function*(eventId: string) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const found = yield* events.findForUpdate(eventId)
          if (Option.isNone(found)) return { _tag: "Missing" } as const
          const event = found.value
          if (event.processedAt !== null) return { _tag: "AlreadyProcessed" } as const
          const attempts = event.attempts + 1
          // The handler in a savepoint: a failure undoes its writes but not
          // the record of the failed attempt.
          const exit = yield* Effect.exit(tx.withTransaction(handle(event)))
          if (Exit.isSuccess(exit)) {
            yield* events.markProcessed(eventId, { at: yield* DateTime.now, attempts })
            return exit.value
          }
          if (Cause.hasInterruptsOnly(exit.cause)) return yield* Effect.interrupt
          const error = describe(exit.cause)
          yield* events.markFailed(eventId, { attempts, error })
          yield* Effect.logWarning("webhook event failed").pipe(
            Effect.annotateLogs({ eventId, type: event.type, attempts, error })
          )
          return { _tag: "Failed", error } as const
        }))
      })

      return WebhookProcessing.of({ process })
    })
  )
}
