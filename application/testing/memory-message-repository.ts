import { DateTime, Effect, Layer, Option, Ref } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import type { Message } from "../../domain/messaging/message.ts"
import { nextStatus } from "../../domain/messaging/message-status.ts"
import {
  type Conversation,
  type InDoubtMessage,
  type InsertResult,
  type MessageKey,
  MessageRepository,
  type ProviderStatusUpdate
} from "../ports/message-repository.ts"
import { MemoryStore, type MemoryState, withMap } from "./memory-store.ts"

type Stored = MemoryState["messages"] extends ReadonlyMap<string, infer V> ? V : never

/** Newest first by (createdAt, id), as the SQL `ORDER BY created_at DESC, id DESC`. */
const newestFirst = (a: Message, b: Message): number => {
  const byTime = DateTime.toEpochMillis(b.createdAt) - DateTime.toEpochMillis(a.createdAt)
  return byTime !== 0 ? byTime : a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/** Whether the message sorts strictly after the key in newest-first order. */
const olderThan = (key: MessageKey | undefined) => (message: Message): boolean => {
  if (key === undefined) return true
  const byTime = DateTime.toEpochMillis(message.createdAt) - DateTime.toEpochMillis(key.createdAt)
  return byTime < 0 || (byTime === 0 && message.id < key.id)
}

export const MemoryMessageRepository = Layer.effect(
  MessageRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const all = Effect.map(Ref.get(state), (s) => [...s.messages.values()].map((stored) => stored.message))
    const save = (s: MemoryState, stored: Stored): MemoryState => ({
      ...s,
      messages: withMap(s.messages, stored.message.id, stored)
    })
    const byProviderId = (s: MemoryState, providerId: string) =>
      [...s.messages.values()].find((stored) => stored.message.providerId === providerId)?.message

    // Changes one message if `when` allows it, as `UPDATE ... WHERE id = $1 AND <condition> RETURNING`.
    const change = (id: string, when: (stored: Stored) => boolean, next: (stored: Stored) => Stored) =>
      Ref.modify(state, (s): readonly [Option.Option<Message>, MemoryState] => {
        const stored = s.messages.get(id)
        if (stored === undefined || !when(stored)) return [Option.none(), s]
        const changed = next(stored)
        return [Option.some(changed.message), save(s, changed)]
      })

    return MessageRepository.of({
      insert: (message) =>
        Ref.modify(state, (s): readonly [InsertResult, MemoryState] => {
          const existing = message.providerId === null ? undefined : byProviderId(s, message.providerId)
          if (existing !== undefined) return [{ _tag: "Duplicate", message: existing }, s]
          return [{ _tag: "Inserted", message }, save(s, { message, sendStartedAt: null })]
        }),
      findById: (id) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.messages.get(id)?.message)),
      findByProviderId: (providerId) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(byProviderId(s, providerId))),
      claim: (id, at) =>
        Effect.map(
          change(id, (stored) => stored.message.status === "queued" && stored.message.providerId === null, (stored) => ({
            message: { ...stored.message, status: "sending", updatedAt: at },
            sendStartedAt: at
          })),
          Option.isSome
        ),
      recordOutcome: (id, outcome) =>
        change(id, (stored) => stored.message.status === "sending", (stored) => ({
          ...stored,
          message: outcome._tag === "Sent"
            ? { ...stored.message, status: "sent", providerId: outcome.providerId, sentAt: outcome.at, updatedAt: outcome.at }
            : { ...stored.message, status: "failed", error: outcome.error, updatedAt: outcome.at }
        })),
      applyProviderStatus: ({ at, providerId, status }) =>
        Ref.modify(state, (s): readonly [ProviderStatusUpdate, MemoryState] => {
          const message = byProviderId(s, providerId)
          if (message === undefined) return [{ _tag: "Unknown" }, s]
          if (nextStatus(message.status, status) === "ignore") return [{ _tag: "Ignored", message }, s]
          const stored = s.messages.get(message.id)!
          const changed: Message = {
            ...message,
            status,
            deliveredAt: status === "delivered" ? at : message.deliveredAt,
            updatedAt: at
          }
          return [{ _tag: "Applied", message: changed }, save(s, { ...stored, message: changed })]
        }),
      listByContact: (contactId, page) =>
        Effect.map(all, (messages) =>
          messages
            .filter((message) => message.contactId === contactId)
            .filter(olderThan(page.after))
            .sort(newestFirst)
            .slice(0, page.limit)),
      conversations: (page) =>
        Effect.map(all, (messages) => {
          const conversations = new Map<string, Conversation>()
          for (const message of [...messages].sort(newestFirst)) {
            if (message.contactId === null) continue
            const key = `${message.contactId} ${message.businessNumber}`
            const unread = message.direction === "inbound" && message.readAt === null ? 1 : 0
            const seen = conversations.get(key)
            conversations.set(
              key,
              seen === undefined
                ? { contactId: message.contactId, businessNumber: message.businessNumber, latest: message, unread }
                : { ...seen, unread: seen.unread + unread }
            )
          }
          return [...conversations.values()]
            .filter((conversation) => olderThan(page.after)(conversation.latest))
            .slice(0, page.limit)
        }),
      markRead: (contactId, at) =>
        Ref.modify(state, (s): readonly [number, MemoryState] => {
          const messages = new Map(s.messages)
          let count = 0
          for (const stored of s.messages.values()) {
            const message = stored.message
            if (message.contactId !== contactId || message.direction !== "inbound" || message.readAt !== null) continue
            messages.set(message.id, { ...stored, message: { ...message, readAt: at } })
            count++
          }
          return [count, { ...s, messages }]
        }),
      listInDoubt: (before, limit) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.messages.values()]
            .flatMap((stored): Array<InDoubtMessage> =>
              stored.message.status === "sending" && stored.sendStartedAt !== null &&
                DateTime.isLessThan(stored.sendStartedAt, before)
                ? [{ message: stored.message, sendStartedAt: stored.sendStartedAt }]
                : []
            )
            .sort((a, b) => DateTime.toEpochMillis(a.sendStartedAt) - DateTime.toEpochMillis(b.sendStartedAt))
            .slice(0, limit)),
      listQueued: (before, limit) =>
        Effect.map(all, (messages) =>
          messages
            .filter((message) =>
              message.status === "queued" && message.providerId === null && DateTime.isLessThan(message.createdAt, before)
            )
            .sort((a, b) => -newestFirst(a, b))
            .slice(0, limit))
    })
  })
)

/**
 * Moves messages from one contact to another, as a merge repoints
 * messages.contact_id (only the given rows when an undo moves them back).
 */
export const moveMessages = (
  messages: MemoryState["messages"],
  from: string,
  to: ContactId,
  only?: ReadonlyArray<string>
): { readonly messages: MemoryState["messages"]; readonly moved: ReadonlyArray<string> } => {
  const next = new Map(messages)
  const moved: Array<string> = []
  for (const stored of messages.values()) {
    if (stored.message.contactId !== from || (only !== undefined && !only.includes(stored.message.id))) continue
    next.set(stored.message.id, { ...stored, message: { ...stored.message, contactId: to } })
    moved.push(stored.message.id)
  }
  return { messages: next, moved }
}

/** messages.contact_id is ON DELETE SET NULL. */
export const detachMessages = (messages: MemoryState["messages"], gone: ReadonlyArray<string>): MemoryState["messages"] => {
  const next = new Map(messages)
  for (const stored of messages.values()) {
    if (stored.message.contactId !== null && gone.includes(stored.message.contactId)) {
      next.set(stored.message.id, { ...stored, message: { ...stored.message, contactId: null } })
    }
  }
  return next
}
