import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { Contact, ContactId } from "../../domain/contact.ts"
import type { Message } from "../../domain/messaging/message.ts"
import { ContactNotFound } from "../contacts/contact-errors.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { type Conversation, type MessageKey, messageKey, MessageRepository } from "../ports/message-repository.ts"

/** A conversation with its contact, as the inbox lists it. */
export interface InboxConversation extends Conversation {
  readonly contact: Contact
}

/** Reading texts: a contact's messages, the conversations, and marking them read. */
export class Inbox extends Context.Service<Inbox, {
  /** The contact's messages, newest first. */
  readonly messages: (contactId: ContactId, page: PageRequest<MessageKey>) => Effect.Effect<Page<Message, MessageKey>, ContactNotFound>
  /** One entry per contact and business number, the most recent conversation first. */
  readonly conversations: (page: PageRequest<MessageKey>) => Effect.Effect<Page<InboxConversation, MessageKey>>
  /** Marks the contact's unread inbound texts read; answers how many were unread. */
  readonly markRead: (contactId: ContactId) => Effect.Effect<number, ContactNotFound>
}>()("crm/application/messaging/Inbox") {
  /** Needs the contact and message repositories. */
  static readonly layer = Layer.effect(
    Inbox,
    Effect.gen(function*() {
      const contacts = yield* ContactRepository
      const repo = yield* MessageRepository

      const ensureContact = (id: ContactId) =>
        Effect.flatMap(contacts.findById(id), Option.match({
          onNone: () => Effect.fail(new ContactNotFound({ id })),
          onSome: Effect.succeed
        }))

      const messages = Effect.fn("Inbox.messages")(function*(contactId: ContactId, page: PageRequest<MessageKey>) {
        yield* ensureContact(contactId)
        const rows = yield* repo.listByContact(contactId, { after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, messageKey)
      })

      const conversations = Effect.fn("Inbox.conversations")(function*(page: PageRequest<MessageKey>) {
        const rows = yield* repo.conversations({ after: page.after, limit: page.limit + 1 })
        const kept = toPage(rows, page.limit, (conversation) => messageKey(conversation.latest))
        const found = new Map((yield* contacts.findByIds(kept.items.map((c) => c.contactId))).map((c) => [c.id, c]))
        // A contact deleted between the two reads takes its messages' contact
        // with it (ON DELETE SET NULL), so its conversation is simply left out.
        const items = kept.items.flatMap((conversation): Array<InboxConversation> => {
          const contact = found.get(conversation.contactId)
          return contact === undefined ? [] : [{ ...conversation, contact }]
        })
        return { items, next: kept.next }
      })

      const markRead = Effect.fn("Inbox.markRead")(function*(contactId: ContactId) {
        yield* ensureContact(contactId)
        return yield* repo.markRead(contactId, yield* DateTime.now)
      })

      return Inbox.of({ messages, conversations, markRead })
    })
  )
}
