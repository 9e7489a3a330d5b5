import { Context, DateTime, Effect, Layer, Option } from "effect"
import { WorkflowEngine } from "effect/workflow"
import type { ContactId } from "../../domain/contact.ts"
import { type Message, MessageId, queuedText } from "../../domain/messaging/message.ts"
import { smsSegments } from "../../domain/messaging/sms-segments.ts"
import { ContactNotFound, MergeConflict } from "../contacts/contact-errors.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { MessageRepository } from "../ports/message-repository.ts"
import { SmsGateway, type SmsGatewayError } from "../ports/sms-gateway.ts"
import { Transactor } from "../ports/transactor.ts"
import { ContactHasNoPhone, InvalidMessage, type OptedOut } from "./messaging-errors.ts"
import { OptOuts } from "./opt-outs.ts"
import { SendTextWorkflow } from "./send-text-workflow.ts"

/** OpenPhone takes 1 to 1600 characters per message (shared/reference/openphone-facts.md). */
export const MAX_MESSAGE_LENGTH = 1600

export type SendTextError = ContactNotFound | MergeConflict | ContactHasNoPhone | InvalidMessage | OptedOut | SmsGatewayError

export const validateBody = (body: string): Effect.Effect<string, InvalidMessage> =>
  body.trim().length === 0
    ? Effect.fail(new InvalidMessage({ path: "body", message: "The text is empty" }))
    : body.length > MAX_MESSAGE_LENGTH
    ? Effect.fail(new InvalidMessage({ path: "body", message: `At most ${MAX_MESSAGE_LENGTH} characters; this has ${body.length}` }))
    : Effect.succeed(body)

/** Sends a one-off text to a contact. */
export class SendText extends Context.Service<SendText, {
  /**
   * Queues the text in one transaction (refused when the contact's number, or
   * the number of a contact merged into it, opted out) and starts its delivery;
   * answers the message as queued. The provider is called after the answer.
   */
  readonly send: (contactId: ContactId, body: string) => Effect.Effect<Message, SendTextError>
}>()("crm/application/messaging/SendText") {
  /** Needs OptOuts, the contact and message repositories, SmsGateway, Transactor, Ids and a WorkflowEngine. */
  static readonly layer = Layer.effect(
    SendText,
    Effect.gen(function*() {
      const contacts = yield* ContactRepository
      const repo = yield* MessageRepository
      const optOuts = yield* OptOuts
      const gateway = yield* SmsGateway
      const tx = yield* Transactor
      const ids = yield* Ids
      const engine = yield* WorkflowEngine.WorkflowEngine

      const send = Effect.fn("SendText.send")(function*(contactId: ContactId, body: string) {
        yield* validateBody(body)
        const from = yield* gateway.businessNumber
        const { encoding, segments } = smsSegments(body)
        const message = yield* tx.withTransaction(Effect.gen(function*() {
          const contact = yield* Effect.flatMap(contacts.findById(contactId), Option.match({
            onNone: () => Effect.fail(new ContactNotFound({ id: contactId })),
            onSome: Effect.succeed
          }))
          if (contact.status === "merged") {
            return yield* new MergeConflict({
              message: `Contact ${contactId} was merged into ${contact.mergedIntoId}; text that contact`,
              contactId
            })
          }
          if (contact.phone === null) return yield* new ContactHasNoPhone({ contactId })
          yield* optOuts.ensureTextable({ phone: contact.phone, contactId })
          const now = yield* DateTime.now
          const queued = queuedText({
            id: MessageId.make(yield* ids.next),
            contactId,
            businessNumber: from.number,
            contactNumber: contact.phone,
            body,
            segments,
            encoding,
            at: now
          })
          yield* repo.insert(queued)
          return queued
        }))
        // After the commit: the workflow reads the row. A crash between the two
        // leaves the text queued; nothing is sent twice.
        yield* SendTextWorkflow.execute({ messageId: message.id }, { discard: true })
        return message
      }, Effect.provideService(WorkflowEngine.WorkflowEngine, engine))

      return SendText.of({ send })
    })
  )
}
