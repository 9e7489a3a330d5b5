import { Context, type Effect, type Option } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import type { Call } from "../../domain/messaging/message.ts"

/** Calls reported by OpenPhone, one row per provider call id. */
export class CallRepository extends Context.Service<CallRepository, {
  /**
   * Stores a call, or merges into the stored one with the same provider id:
   * OpenPhone reports a call in several events, in any order (`call.completed`,
   * `call.recording.completed`). The stored id, creation time and contact are
   * kept (a contact, once known, is not dropped); status and update time are
   * the new ones; a duration or recording URL the new report lacks is kept.
   * Answers the call as stored.
   */
  readonly upsert: (call: Call) => Effect.Effect<Call>
  readonly findByProviderId: (providerId: string) => Effect.Effect<Option.Option<Call>>
  /** A contact's calls, newest first, at most `limit`. */
  readonly listByContact: (contactId: ContactId, limit: number) => Effect.Effect<ReadonlyArray<Call>>
}>()("crm/application/ports/CallRepository") {}
