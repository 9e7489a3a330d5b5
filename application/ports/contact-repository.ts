import { Context, type Effect, type Option } from "effect"
import type { Contact, ContactId, ContactStatus } from "../../domain/contact.ts"
import type { DuplicateReason } from "../../domain/duplicates.ts"

export interface ContactQuery {
  /** Words matched against names, email, phone and company. */
  readonly q?: string | undefined
  /** An E.164 number; matched exactly. */
  readonly phone?: string | undefined
  /** A normalised email; matched exactly. */
  readonly email?: string | undefined
  readonly tag?: string | undefined
  readonly status?: ContactStatus | "all" | undefined
  /** Only contacts whose id sorts after this one (ids are time-ordered). */
  readonly after?: ContactId | undefined
  readonly limit: number
}

/** Which active contact already owns a phone number or an email. */
export interface IdentityOwner {
  readonly id: ContactId
  readonly field: "phone" | "email"
}

export interface DuplicatePairKey {
  readonly firstId: ContactId
  readonly secondId: ContactId
}

export interface DuplicatePairRow extends DuplicatePairKey {
  readonly reasons: ReadonlyArray<DuplicateReason>
}

export class ContactRepository extends Context.Service<ContactRepository, {
  readonly insert: (contact: Contact) => Effect.Effect<void>
  readonly update: (contact: Contact) => Effect.Effect<void>
  readonly findById: (id: ContactId) => Effect.Effect<Option.Option<Contact>>
  /** The contacts with these ids that exist, in any order. */
  readonly findByIds: (ids: ReadonlyArray<ContactId>) => Effect.Effect<ReadonlyArray<Contact>>
  /** Like `findById`, and holds the row until the transaction ends. */
  readonly findByIdForUpdate: (id: ContactId) => Effect.Effect<Option.Option<Contact>>
  /**
   * The contacts merged into this one, in id order. A merge repoints the
   * secondary's own merged contacts to the new primary, so this is every
   * contact whose data the primary absorbed (and an undo points them back).
   */
  readonly listMergedInto: (id: ContactId) => Effect.Effect<ReadonlyArray<Contact>>
  /** Deletes the contact and the contacts merged into it; false when absent. */
  readonly delete: (id: ContactId) => Effect.Effect<boolean>
  /**
   * Serialises, until the transaction ends, every writer that claims the same
   * phone or email, so two concurrent creates cannot both pass the duplicate check.
   */
  readonly lockIdentity: (identity: { readonly phone: string | null; readonly email: string | null }) => Effect.Effect<void>
  /** An active contact, other than those excluded, that has this phone or email. */
  readonly findIdentityOwner: (identity: {
    readonly phone: string | null
    readonly email: string | null
    readonly excluding: ReadonlyArray<ContactId>
  }) => Effect.Effect<Option.Option<IdentityOwner>>
  /** Active contacts whose phone is one of these (batch import matching). */
  readonly findManyByPhones: (phones: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Contact>>
  /** Active contacts whose email is one of these. */
  readonly findManyByEmails: (emails: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Contact>>
  /** Inserts many contacts in a few statements. */
  readonly insertMany: (contacts: ReadonlyArray<Contact>) => Effect.Effect<void>
  /** `update` for many contacts in a few statements. */
  readonly updateMany: (contacts: ReadonlyArray<Contact>) => Effect.Effect<void>
  /** Up to `limit` contacts in id order. */
  readonly list: (query: ContactQuery) => Effect.Effect<ReadonlyArray<Contact>>
  /** Candidate duplicate pairs among active contacts, ordered by (firstId, secondId), firstId < secondId. */
  readonly duplicatePairs: (page: {
    readonly after: DuplicatePairKey | undefined
    readonly limit: number
  }) => Effect.Effect<ReadonlyArray<DuplicatePairRow>>
}>()("crm/application/ports/ContactRepository") {}
