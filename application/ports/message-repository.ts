import { Context, type DateTime, type Effect, type Option, Schema } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import { type Message, MessageId } from "../../domain/messaging/message.ts"
import type { E164 } from "../../domain/phone.ts"

/** Where a newest-first page of messages continues: the last message shown. */
export const MessageKey = Schema.Struct({ createdAt: Schema.DateTimeUtc, id: MessageId })
export type MessageKey = typeof MessageKey.Type

export const messageKey = (message: Message): MessageKey => ({ createdAt: message.createdAt, id: message.id })

/** One conversation: a contact and one of our numbers, with its latest message and unread inbound count. */
export interface Conversation {
  readonly contactId: ContactId
  readonly businessNumber: E164
  readonly latest: Message
  readonly unread: number
}

export type InsertResult =
  | { readonly _tag: "Inserted"; readonly message: Message }
  /** A message with the same provider id was stored before (a webhook redelivered, a sync run again). */
  | { readonly _tag: "Duplicate"; readonly message: Message }

/** What the provider said about a send the message had claimed. */
export type SendOutcome =
  | { readonly _tag: "Sent"; readonly providerId: string; readonly at: DateTime.Utc }
  | { readonly _tag: "Failed"; readonly error: string; readonly at: DateTime.Utc }

export type ProviderStatusUpdate =
  /** No message has this provider id (e.g. sent from the OpenPhone app before any sync). */
  | { readonly _tag: "Unknown" }
  | { readonly _tag: "Applied"; readonly message: Message }
  /** The transition is not allowed from the stored status (late or repeated event); the row is unchanged. */
  | { readonly _tag: "Ignored"; readonly message: Message }

/** A message left `sending`, with when its send was claimed. */
export interface InDoubtMessage {
  readonly message: Message
  readonly sendStartedAt: DateTime.Utc
}

export class MessageRepository extends Context.Service<MessageRepository, {
  /**
   * Stores a message: an outbound text `queued` by a send, an inbound text
   * `received` by a webhook, or history found by a sync. Idempotent on the
   * provider id: a second message with the same one is not stored and the
   * first is answered.
   */
  readonly insert: (message: Message) => Effect.Effect<InsertResult>
  readonly findById: (id: MessageId) => Effect.Effect<Option.Option<Message>>
  readonly findByProviderId: (providerId: string) => Effect.Effect<Option.Option<Message>>
  /**
   * `queued -> sending`, stamping `send_started_at`. False when the message is
   * no longer queued (an earlier attempt claimed it, and must not send again),
   * or when the provider already has it (a provider id): such a text is never sent by us.
   */
  readonly claim: (id: MessageId, at: DateTime.Utc) => Effect.Effect<boolean>
  /**
   * `sending -> sent` (with the provider id) or `sending -> failed` (with the
   * error). None when the message is not `sending` (already resolved).
   */
  readonly recordOutcome: (id: MessageId, outcome: SendOutcome) => Effect.Effect<Option.Option<Message>>
  /** A delivery report from the provider (`delivered` or `undelivered`), by provider id. */
  readonly applyProviderStatus: (update: {
    readonly providerId: string
    readonly status: "delivered" | "undelivered"
    readonly at: DateTime.Utc
  }) => Effect.Effect<ProviderStatusUpdate>
  /** A contact's messages, newest first, `limit` after the key. */
  readonly listByContact: (
    contactId: ContactId,
    page: { readonly after: MessageKey | undefined; readonly limit: number }
  ) => Effect.Effect<ReadonlyArray<Message>>
  /** Conversations ordered by their latest message, newest first, `limit` after that message's key. */
  readonly conversations: (
    page: { readonly after: MessageKey | undefined; readonly limit: number }
  ) => Effect.Effect<ReadonlyArray<Conversation>>
  /** Marks the contact's unread inbound messages read; answers how many. */
  readonly markRead: (contactId: ContactId, at: DateTime.Utc) => Effect.Effect<number>
  /** Messages still `sending` that claimed their send before this time, oldest claim first. */
  readonly listInDoubt: (sendStartedBefore: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<InDoubtMessage>>
  /** Texts still `queued`, without a provider id, created before this time, oldest first (their delivery never started). */
  readonly listQueued: (createdBefore: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<Message>>
}>()("crm/application/ports/MessageRepository") {}
