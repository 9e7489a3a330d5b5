import { DateTime, Effect, Layer, Option, Ref } from "effect"
import type { Contact } from "../../domain/contact.ts"
import { type ContactList, inRange, listNameKey, type MemberFilter } from "../../domain/list/contact-list.ts"
import { isOptedOutBy } from "../../domain/messaging/opt-out-event.ts"
import { ContactListNameTaken, ContactListNotFound } from "../lists/list-errors.ts"
import { ContactListRepository, type ContactListSummary } from "../ports/contact-list-repository.ts"
import { byId, MemoryStore, type MemoryListMember, type MemoryState, withMap } from "./memory-store.ts"

const millis = DateTime.toEpochMillis

/** As the SQL filter: every condition given must hold. */
const matches = (s: MemoryState, filter: MemberFilter) => (contact: Contact): boolean => {
  if (filter.tag !== undefined && !contact.tags.includes(filter.tag)) return false
  if (!inRange(filter.created, millis(contact.createdAt))) return false
  if (filter.hasPhone !== undefined && (contact.phone !== null) !== filter.hasPhone) return false
  if (filter.notOptedOut === true) {
    const phones = [...s.contacts.values()]
      .filter((c) => c.id === contact.id || c.mergedIntoId === contact.id)
      .flatMap((c) => (c.phone === null ? [] : [c.phone]))
    if (phones.some((phone) => isOptedOutBy(s.optOutEvents.filter((event) => event.phone === phone)))) return false
  }
  if (filter.importId !== undefined || filter.imported !== undefined) {
    const touched = s.importContacts.some((entry) =>
      entry.contactId === contact.id && (filter.importId === undefined || entry.importId === filter.importId) &&
      inRange(filter.imported, millis(entry.importedAt))
    )
    if (!touched) return false
  }
  return true
}

/** Memberships whose contact is active (a deleted contact's rows are gone with it in SQL; here they are skipped). */
const activeMembers = (s: MemoryState, listId: string): ReadonlyArray<Contact> =>
  [...s.listMembers.values()].flatMap((member) => {
    const contact = member.listId === listId ? s.contacts.get(member.contactId) : undefined
    return contact === undefined || contact.status !== "active" ? [] : [contact]
  })

const keepMembers = (s: MemoryState, keep: (member: MemoryListMember) => boolean): MemoryState["listMembers"] =>
  new Map([...s.listMembers].filter(([, member]) => keep(member)))

const summary = (s: MemoryState, list: ContactList): ContactListSummary => ({ list, memberCount: activeMembers(s, list.id).length })

export const MemoryContactListRepository = Layer.effect(
  ContactListRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore

    const nameFree = (s: MemoryState, list: ContactList) =>
      ![...s.contactLists.values()].some((other) => other.id !== list.id && listNameKey(other.name) === listNameKey(list.name))

    const save = (list: ContactList, mustExist: boolean) =>
      Effect.flatMap(Ref.get(state), (s) => {
        if (mustExist && !s.contactLists.has(list.id)) return Effect.succeed(false)
        if (!nameFree(s, list)) return Effect.fail(new ContactListNameTaken({ name: list.name }))
        const current = s.contactLists.get(list.id)
        // As the SQL UPDATE: the creation time is the row's own.
        const saved = current === undefined ? list : { ...list, createdAt: current.createdAt }
        return Effect.as(Ref.set(state, { ...s, contactLists: withMap(s.contactLists, list.id, saved) }), true)
      })

    const insertMatching = (listId: string, keep: (s: MemoryState) => (contact: Contact) => boolean, addedAt: DateTime.Utc, importId: string | null) =>
      Effect.flatMap(Ref.get(state), (s) => {
        if (!s.contactLists.has(listId)) return Effect.fail(new ContactListNotFound({ id: listId }))
        const present = new Set([...s.listMembers.values()].filter((m) => m.listId === listId).map((m) => m.contactId))
        const added: Array<MemoryListMember> = [...s.contacts.values()]
          .filter((contact) => contact.status === "active" && !present.has(contact.id) && keep(s)(contact))
          .map((contact) => ({ id: `${listId}:${contact.id}`, listId, contactId: contact.id, addedAt, importId }))
        const listMembers = new Map(s.listMembers)
        for (const member of added) listMembers.set(member.id, member)
        return Effect.as(Ref.set(state, { ...s, listMembers }), added.length)
      })

    return ContactListRepository.of({
      insert: (list) => Effect.asVoid(save(list, false)),
      update: (list) => save(list, true),
      delete: (id) =>
        Ref.modify(state, (s) => {
          if (!s.contactLists.has(id)) return [false, s]
          const contactLists = new Map(s.contactLists)
          contactLists.delete(id)
          return [true, { ...s, contactLists, listMembers: keepMembers(s, (m) => m.listId !== id) }]
        }),
      findById: (id) =>
        Effect.map(Ref.get(state), (s) => Option.map(Option.fromNullishOr(s.contactLists.get(id)), (list) => summary(s, list))),
      list: ({ after, limit }) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.contactLists.values()]
            .filter((list) => after === undefined || list.id > after)
            .sort(byId)
            .slice(0, limit)
            .map((list) => summary(s, list))),
      addMembers: (listId, contactIds, { addedAt, importId }) => {
        const wanted = new Set<string>(contactIds)
        return insertMatching(listId, () => (contact) => wanted.has(contact.id), addedAt, importId ?? null)
      },
      addByFilter: (listId, filter, addedAt) => insertMatching(listId, (s) => matches(s, filter), addedAt, null),
      removeMembers: (listId, contactIds) =>
        Ref.modify(state, (s) => {
          const gone = new Set<string>(contactIds)
          const kept = keepMembers(s, (m) => !(m.listId === listId && gone.has(m.contactId)))
          // A deleted contact's memberships went with it in SQL (ON DELETE CASCADE): they do not count.
          const removed = [...s.listMembers.values()].filter((m) => !kept.has(m.id) && s.contacts.has(m.contactId)).length
          return [removed, { ...s, listMembers: kept }]
        }),
      members: (listId, { after, limit }) =>
        Effect.map(Ref.get(state), (s) =>
          [...activeMembers(s, listId)].filter((c) => after === undefined || c.id > after).sort(byId).slice(0, limit)),
      recordImported: (entries) =>
        Ref.update(state, (s) => {
          const known = new Set(s.importContacts.map((e) => `${e.importId}:${e.contactId}`))
          const fresh = entries.filter((e) => {
            const key = `${e.importId}:${e.contactId}`
            if (known.has(key)) return false
            known.add(key)
            return true
          })
          return { ...s, importContacts: [...s.importContacts, ...fresh] }
        })
    })
  })
)
