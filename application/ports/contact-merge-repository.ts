import { Context, type DateTime, type Effect, type Option } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import type { Actor, ContactMergeId, ContactMergeRecord } from "../../domain/contact-merge-record.ts"

export class ContactMergeRepository extends Context.Service<ContactMergeRepository, {
  readonly insert: (record: ContactMergeRecord) => Effect.Effect<void>
  /** Holds the record until the transaction ends, so two undos cannot race. */
  readonly findByIdForUpdate: (id: ContactMergeId) => Effect.Effect<Option.Option<ContactMergeRecord>>
  readonly markUndone: (id: ContactMergeId, at: DateTime.Utc, by: Actor) => Effect.Effect<void>
  /** Merges where the contact was primary or secondary, in id (time) order. */
  readonly listForContact: (
    contactId: ContactId,
    page: { readonly after: ContactMergeId | undefined; readonly limit: number }
  ) => Effect.Effect<ReadonlyArray<ContactMergeRecord>>
}>()("crm/application/ports/ContactMergeRepository") {}
