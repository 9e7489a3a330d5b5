import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { Contact, ContactId } from "../../domain/contact.ts"
import type { MessageId } from "../../domain/messaging/message.ts"
import { compareEvents, isOptedOutBy, type OptOutAction, type OptOutEvent, OptOutEventId } from "../../domain/messaging/opt-out-event.ts"
import { classifyKeyword, keywordOf } from "../../domain/messaging/opt-out-keywords.ts"
import { ContactNotFound } from "../contacts/contact-errors.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { OptOutLog } from "../ports/opt-out-log.ts"
import { Transactor } from "../ports/transactor.ts"
import { ContactHasNoPhone, OptedOut } from "./messaging-errors.ts"

/** One number that counts for a contact: its own, or that of a contact merged with it. */
export interface OptOutPhone {
  readonly phone: string
  readonly contactId: ContactId
  readonly optedOut: boolean
}

export interface OptOutStatus {
  readonly contactId: ContactId
  /** Whether any of the numbers is opted out: then nothing is sent to this contact. */
  readonly optedOut: boolean
  readonly phones: ReadonlyArray<OptOutPhone>
  /** The log entries of all those numbers, oldest first. */
  readonly history: ReadonlyArray<OptOutEvent>
}

/** What an inbound text did: `help` asks the caller to send the help text. */
export type InboundKeywordOutcome = "opted-out" | "opted-in" | "help" | "none"

/** Merges are flattened (a merge repoints the secondary's merged contacts), so chains are short; this only bounds a loop. */
const MAX_MERGE_DEPTH = 32

export class OptOuts extends Context.Service<OptOuts, {
  /** The business opts a contact's number out (source `api`). */
  readonly optOut: (contactId: ContactId) => Effect.Effect<OptOutStatus, ContactNotFound | ContactHasNoPhone>
  /**
   * The business opts a contact's own number back in. A number of a contact
   * merged with it that the person opted out stays opted out: only a keyword
   * from that number (or undoing the merge) clears it.
   */
  readonly optIn: (contactId: ContactId) => Effect.Effect<OptOutStatus, ContactNotFound | ContactHasNoPhone>
  readonly status: (contactId: ContactId) => Effect.Effect<OptOutStatus, ContactNotFound>
  /**
   * Applies a keyword in an inbound text from `phone` (the webhook's
   * `message.received`). A whole-message opt-out keyword is recorded; an opt-in
   * keyword only when the number is opted out (a "Yes" in a conversation is
   * otherwise just a reply). `receivedAt`, when given, is when the person sent
   * it; by default, now.
   */
  readonly applyInboundKeyword: (
    phone: string,
    text: string,
    messageId: MessageId | null,
    receivedAt?: DateTime.Utc
  ) => Effect.Effect<InboundKeywordOutcome>
  /**
   * Refuses a text to `phone` when it, or a number of the contact or of a
   * contact merged with it, is opted out. Run it inside the transaction that
   * queues or claims the message: it holds each number's lock until commit.
   */
  readonly ensureTextable: (target: { readonly phone: string; readonly contactId: ContactId | null }) => Effect.Effect<void, OptedOut>
}>()("crm/application/messaging/OptOuts") {
  /** Needs OptOutLog, ContactRepository, Transactor and Ids. */
  static readonly layer = Layer.effect(
    OptOuts,
    Effect.gen(function*() {
      const log = yield* OptOutLog
      const contacts = yield* ContactRepository
      const tx = yield* Transactor
      const ids = yield* Ids

      /** The contact's group: the primary it is merged into (or itself) and every contact merged into that. */
      const mergeGroup = Effect.fnUntraced(function*(contact: Contact) {
        let root = contact
        for (let depth = 0; root.mergedIntoId !== null && depth < MAX_MERGE_DEPTH; depth++) {
          const parent = yield* contacts.findById(root.mergedIntoId)
          if (Option.isNone(parent)) break
          root = parent.value
        }
        const group = new Map<string, Contact>([[root.id, root]])
        let frontier: ReadonlyArray<Contact> = [root]
        for (let depth = 0; frontier.length > 0 && depth < MAX_MERGE_DEPTH; depth++) {
          const next: Array<Contact> = []
          for (const member of frontier) {
            for (const merged of yield* contacts.listMergedInto(member.id)) {
              if (!group.has(merged.id)) {
                group.set(merged.id, merged)
                next.push(merged)
              }
            }
          }
          frontier = next
        }
        // The contact's own number first, then the others in id order.
        return [contact, ...[...group.values()].filter((member) => member.id !== contact.id)]
      })

      const findContact = Effect.fnUntraced(function*(contactId: ContactId) {
        const found = yield* contacts.findById(contactId)
        if (Option.isNone(found)) return yield* new ContactNotFound({ id: contactId })
        return found.value
      })

      const statusOf = Effect.fnUntraced(function*(contact: Contact) {
        const phones: Array<OptOutPhone> = []
        const history: Array<OptOutEvent> = []
        for (const member of yield* mergeGroup(contact)) {
          if (member.phone === null || phones.some((p) => p.phone === member.phone)) continue
          const events = yield* log.history(member.phone)
          phones.push({ phone: member.phone, contactId: member.id, optedOut: isOptedOutBy(events) })
          history.push(...events)
        }
        return {
          contactId: contact.id,
          optedOut: phones.some((p) => p.optedOut),
          phones,
          history: history.sort(compareEvents)
        } satisfies OptOutStatus
      })

      const recordEvent = Effect.fnUntraced(function*(event: Omit<OptOutEvent, "id" | "occurredAt">, at?: DateTime.Utc) {
        const id = OptOutEventId.make(yield* ids.next)
        const occurredAt = at ?? (yield* DateTime.now)
        yield* log.record({ ...event, id, occurredAt })
      })

      const byApi = (action: OptOutAction) =>
        Effect.fn(action === "opt-out" ? "OptOuts.optOut" : "OptOuts.optIn")(function*(contactId: ContactId) {
          return yield* tx.withTransaction(Effect.gen(function*() {
            const contact = yield* findContact(contactId)
            if (contact.phone === null) return yield* new ContactHasNoPhone({ contactId })
            yield* recordEvent({ phone: contact.phone, action, source: "api", keyword: null, messageId: null })
            return yield* statusOf(contact)
          }))
        })

      const status = Effect.fn("OptOuts.status")(function*(contactId: ContactId) {
        return yield* statusOf(yield* findContact(contactId))
      })

      const applyInboundKeyword = Effect.fn("OptOuts.applyInboundKeyword")(
        function*(phone: string, text: string, messageId: MessageId | null, receivedAt?: DateTime.Utc) {
          const kind = classifyKeyword(text)
          if (kind === "none" || kind === "help") return kind
          const keyword = keywordOf(text) ?? kind
          return yield* tx.withTransaction(Effect.gen(function*() {
            const event = { phone, source: "keyword", keyword, messageId } as const
            if (kind === "opt-out") {
              yield* recordEvent({ ...event, action: "opt-out" }, receivedAt)
              return "opted-out" as const
            }
            if (!(yield* log.isOptedOut([phone]))) return "none" as const
            yield* recordEvent({ ...event, action: "opt-in" }, receivedAt)
            return "opted-in" as const
          }))
        }
      )

      const ensureTextable = Effect.fn("OptOuts.ensureTextable")(
        function*(target: { readonly phone: string; readonly contactId: ContactId | null }) {
          const contact = target.contactId === null ? Option.none() : yield* contacts.findById(target.contactId)
          const group = Option.isSome(contact) ? yield* mergeGroup(contact.value) : []
          const phones = [target.phone, ...group.flatMap((member) => (member.phone === null ? [] : [member.phone]))]
          if (yield* log.isOptedOut(phones)) {
            return yield* new OptedOut({
              message: `Texts to ${target.phone} are refused: this number, or another number of the same contact, opted out`,
              contactId: target.contactId
            })
          }
        }
      )

      return OptOuts.of({
        optOut: byApi("opt-out"),
        optIn: byApi("opt-in"),
        status,
        applyInboundKeyword,
        ensureTextable
      })
    })
  )
}
