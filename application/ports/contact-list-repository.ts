import { Context, type DateTime, type Effect, type Option } from "effect"
import type { Contact, ContactId } from "../../domain/contact.ts"
import type { ContactList, ContactListId, ImportedContact, ImportId, MemberFilter } from "../../domain/list/contact-list.ts"
import type { ContactListNameTaken, ContactListNotFound } from "../lists/list-errors.ts"

/** A list with how many active contacts it holds. */
export interface ContactListSummary {
  readonly list: ContactList
  readonly memberCount: number
}

/**
 * Contact lists and their members (tables `contact_lists`,
 * `contact_list_members`). A contact is a member of a list at most once;
 * only active contacts are added, and only active members are read (a merge
 * leaves the secondary's membership behind when the primary already has one).
 */
export class ContactListRepository extends Context.Service<ContactListRepository, {
  readonly insert: (list: ContactList) => Effect.Effect<void, ContactListNameTaken>
  /** Saves name and description; false when the list is absent. */
  readonly update: (list: ContactList) => Effect.Effect<boolean, ContactListNameTaken>
  /** Deletes the list and its memberships (never the contacts); false when absent. */
  readonly delete: (id: ContactListId) => Effect.Effect<boolean>
  readonly findById: (id: ContactListId) => Effect.Effect<Option.Option<ContactListSummary>>
  /** Up to `limit` lists after `after`, in id (creation) order. */
  readonly list: (page: { readonly after: ContactListId | undefined; readonly limit: number }) => Effect.Effect<
    ReadonlyArray<ContactListSummary>
  >
  /**
   * Adds the active contacts among `contactIds` that are not members yet, in
   * one statement; answers how many were added. `importId` marks members an
   * import added.
   */
  readonly addMembers: (
    listId: ContactListId,
    contactIds: ReadonlyArray<ContactId>,
    options: { readonly addedAt: DateTime.Utc; readonly importId?: ImportId | undefined }
  ) => Effect.Effect<number, ContactListNotFound>
  /** Adds every active contact the filter matches that is not a member yet, in one statement; answers how many. */
  readonly addByFilter: (
    listId: ContactListId,
    filter: MemberFilter,
    addedAt: DateTime.Utc
  ) => Effect.Effect<number, ContactListNotFound>
  /** Answers how many of these contacts were members and no longer are. */
  readonly removeMembers: (listId: ContactListId, contactIds: ReadonlyArray<ContactId>) => Effect.Effect<number>
  /** Up to `limit` active member contacts after `after`, in contact id order. */
  readonly members: (
    listId: ContactListId,
    page: { readonly after: ContactId | undefined; readonly limit: number }
  ) => Effect.Effect<ReadonlyArray<Contact>>
  /**
   * Notes which contacts an import touched (table `import_contacts`, which the
   * `importId` and imported-date filters read); a pair already noted is kept as it was.
   */
  readonly recordImported: (entries: ReadonlyArray<ImportedContact>) => Effect.Effect<void>
}>()("crm/application/ports/ContactListRepository") {}
