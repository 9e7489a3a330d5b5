import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { Contact, ContactId } from "../../domain/contact.ts"
import {
  applyListPatch,
  type ContactList,
  ContactListId,
  type ContactListPatch,
  type ImportId,
  type MemberFilter,
  type NewContactList
} from "../../domain/list/contact-list.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { ContactListRepository, type ContactListSummary } from "../ports/contact-list-repository.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { Ids } from "../ports/ids.ts"
import { Transactor } from "../ports/transactor.ts"
import { ContactListNameTaken, ContactListNotFound } from "./list-errors.ts"

export interface AddedMembers {
  /** How many contacts became members (those already members are not counted). */
  readonly added: number
  /** The ids asked for that name no active contact (unknown, or merged into another), in the order given. */
  readonly ignored: ReadonlyArray<ContactId>
}

/** Contact lists: named, static sets of contacts that campaigns target. */
export class ContactLists extends Context.Service<ContactLists, {
  readonly create: (input: NewContactList) => Effect.Effect<ContactListSummary, ContactListNameTaken>
  readonly get: (id: ContactListId) => Effect.Effect<ContactListSummary, ContactListNotFound>
  readonly update: (id: ContactListId, patch: ContactListPatch) => Effect.Effect<ContactListSummary, ContactListNotFound | ContactListNameTaken>
  /** Deletes the list and its memberships; the contacts stay. */
  readonly remove: (id: ContactListId) => Effect.Effect<void, ContactListNotFound>
  readonly list: (page: PageRequest<ContactListId>) => Effect.Effect<Page<ContactListSummary, ContactListId>>
  readonly members: (id: ContactListId, page: PageRequest<ContactId>) => Effect.Effect<Page<Contact, ContactId>, ContactListNotFound>
  /** Adds active contacts by id; `importId` marks the members an import added. */
  readonly addContacts: (
    id: ContactListId,
    contactIds: ReadonlyArray<ContactId>,
    options?: { readonly importId?: ImportId | undefined }
  ) => Effect.Effect<AddedMembers, ContactListNotFound>
  /** Adds every active contact the filter matches, as it stands now; answers how many were added. */
  readonly addByFilter: (id: ContactListId, filter: MemberFilter) => Effect.Effect<number, ContactListNotFound>
  /** Answers how many of these contacts were members. */
  readonly removeContacts: (id: ContactListId, contactIds: ReadonlyArray<ContactId>) => Effect.Effect<number, ContactListNotFound>
}>()("crm/application/lists/ContactLists") {
  /** Needs ContactListRepository, ContactRepository, Transactor and Ids. */
  static readonly layer = Layer.effect(
    ContactLists,
    Effect.gen(function*() {
      const repo = yield* ContactListRepository
      const contacts = yield* ContactRepository
      const tx = yield* Transactor
      const ids = yield* Ids

      const load = (id: ContactListId) =>
        Effect.flatMap(repo.findById(id), Option.match({
          onNone: () => Effect.fail(new ContactListNotFound({ id })),
          onSome: Effect.succeed
        }))

      const create = Effect.fn("ContactLists.create")(function*(input: NewContactList) {
        const now = yield* DateTime.now
        const list: ContactList = {
          id: ContactListId.make(yield* ids.next),
          name: input.name,
          description: input.description ?? null,
          createdAt: now,
          updatedAt: now
        }
        yield* repo.insert(list)
        return { list, memberCount: 0 }
      })

      const update = Effect.fn("ContactLists.update")(function*(id: ContactListId, patch: ContactListPatch) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id)
          const list: ContactList = { ...current.list, ...applyListPatch(current.list, patch), updatedAt: yield* DateTime.now }
          if (!(yield* repo.update(list))) return yield* new ContactListNotFound({ id })
          return { ...current, list }
        }))
      })

      const remove = Effect.fn("ContactLists.remove")(function*(id: ContactListId) {
        if (!(yield* repo.delete(id))) return yield* new ContactListNotFound({ id })
      })

      const list = Effect.fn("ContactLists.list")(function*(page: PageRequest<ContactListId>) {
        const rows = yield* repo.list({ after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (row) => row.list.id)
      })

      const members = Effect.fn("ContactLists.members")(function*(id: ContactListId, page: PageRequest<ContactId>) {
        yield* load(id)
        const rows = yield* repo.members(id, { after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (contact) => contact.id)
      })

      const addContacts = Effect.fn("ContactLists.addContacts")(
        function*(id: ContactListId, contactIds: ReadonlyArray<ContactId>, options?: { readonly importId?: ImportId | undefined }) {
          return yield* tx.withTransaction(Effect.gen(function*() {
            const active = new Set((yield* contacts.findByIds(contactIds)).filter((c) => c.status === "active").map((c) => c.id))
            const added = yield* repo.addMembers(id, contactIds, { addedAt: yield* DateTime.now, importId: options?.importId })
            return { added, ignored: [...new Set(contactIds)].filter((contactId) => !active.has(contactId)) }
          }))
        }
      )

      const addByFilter = Effect.fn("ContactLists.addByFilter")(function*(id: ContactListId, filter: MemberFilter) {
        return yield* repo.addByFilter(id, filter, yield* DateTime.now)
      })

      const removeContacts = Effect.fn("ContactLists.removeContacts")(function*(id: ContactListId, contactIds: ReadonlyArray<ContactId>) {
        yield* load(id)
        return yield* repo.removeMembers(id, contactIds)
      })

      return ContactLists.of({ create, get: load, update, remove, list, members, addContacts, addByFilter, removeContacts })
    })
  )
}
