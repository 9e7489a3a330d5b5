import { Effect, Layer, Option, Ref } from "effect"
import type { Contact, ContactId } from "../../domain/contact.ts"
import { duplicateReasons } from "../../domain/duplicates.ts"
import { searchWords } from "../contacts/search-words.ts"
import { type ContactQuery, ContactRepository, type DuplicatePairRow } from "../ports/contact-repository.ts"
import { detachCalls } from "./memory-call-repository.ts"
import { detachMessages } from "./memory-message-repository.ts"
import { MemoryStore, withMap, withoutKeys } from "./memory-store.ts"

/** Same matching as the SQL search: every word must occur in the contact's text. */
const matchesSearch = (contact: Contact, q: string): boolean => {
  const haystack = [contact.firstName, contact.lastName, contact.email, contact.phone, contact.company]
    .filter((part) => part !== null)
    .join(" ")
    .toLowerCase()
  return searchWords(q).every((word) => haystack.includes(word))
}

const matches = (query: ContactQuery) => (contact: Contact): boolean => {
  const status = query.status ?? "active"
  if (status !== "all" && contact.status !== status) return false
  if (query.after !== undefined && contact.id <= query.after) return false
  if (query.phone !== undefined && contact.phone !== query.phone) return false
  if (query.email !== undefined && contact.email !== query.email) return false
  if (query.tag !== undefined && !contact.tags.includes(query.tag)) return false
  if (query.q !== undefined && !matchesSearch(contact, query.q)) return false
  return true
}

const byId = (a: { readonly id: string }, b: { readonly id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export const MemoryContactRepository = Layer.effect(
  ContactRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const contacts = Effect.map(Ref.get(state), (s) => [...s.contacts.values()].sort(byId))
    const save = (contact: Contact) =>
      Ref.update(state, (s) => ({ ...s, contacts: withMap(s.contacts, contact.id, contact) }))
    const findById = (id: ContactId) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.contacts.get(id)))

    // As the SQL UPDATE: an absent row stays absent, and the creation time is the row's own.
    const updateMany = (list: ReadonlyArray<Contact>) =>
      Ref.update(state, (s) => {
        const next = new Map(s.contacts)
        for (const contact of list) {
          const current = next.get(contact.id)
          if (current !== undefined) next.set(contact.id, { ...contact, createdAt: current.createdAt })
        }
        return { ...s, contacts: next }
      })
    const activeWhere = (keep: (contact: Contact) => boolean) =>
      Effect.map(contacts, (all) => all.filter((contact) => contact.status === "active" && keep(contact)))

    return ContactRepository.of({
      insert: save,
      update: (contact) => updateMany([contact]),
      findManyByPhones: (phones) => {
        const wanted = new Set(phones)
        return activeWhere((contact) => contact.phone !== null && wanted.has(contact.phone))
      },
      findManyByEmails: (emails) => {
        const wanted = new Set(emails)
        return activeWhere((contact) => contact.email !== null && wanted.has(contact.email))
      },
      insertMany: (list) =>
        Ref.update(state, (s) => {
          const next = new Map(s.contacts)
          for (const contact of list) next.set(contact.id, contact)
          return { ...s, contacts: next }
        }),
      updateMany,
      findById,
      findByIds: (ids) =>
        // Each contact once, however often its id is asked for (as `id = ANY(...)`).
        Effect.map(Ref.get(state), (s) => [...new Set(ids)].flatMap((id) => {
          const contact = s.contacts.get(id)
          return contact === undefined ? [] : [contact]
        })),
      findByIdForUpdate: findById,
      listMergedInto: (id) => Effect.map(contacts, (all) => all.filter((contact) => contact.mergedIntoId === id)),
      delete: (id) =>
        Ref.modify(state, (s) => {
          if (!s.contacts.has(id)) return [false, s]
          const gone = [id, ...[...s.contacts.values()].filter((c) => c.mergedIntoId === id).map((c) => c.id)]
          const merges = [...s.merges.values()].filter((m) => gone.includes(m.primaryId) || gone.includes(m.secondaryId))
          // customers.primary_contact_id and quotes.contact_id are ON DELETE SET NULL.
          const customers = new Map(s.customers)
          for (const customer of s.customers.values()) {
            if (customer.primaryContactId !== null && gone.includes(customer.primaryContactId)) {
              customers.set(customer.id, { ...customer, primaryContactId: null })
            }
          }
          const quotes = new Map(s.quotes)
          for (const quote of s.quotes.values()) {
            if (quote.contactId !== null && gone.includes(quote.contactId)) quotes.set(quote.id, { ...quote, contactId: null })
          }
          return [true, {
            ...s,
            contacts: withoutKeys(s.contacts, gone),
            merges: withoutKeys(s.merges, merges.map((m) => m.id)),
            customers,
            quotes,
            messages: detachMessages(s.messages, gone),
            calls: detachCalls(s.calls, gone),
            // contact_properties.contact_id is ON DELETE CASCADE.
            propertyLinks: new Map([...s.propertyLinks].filter(([, link]) => !gone.includes(link.contactId)))
          }]
        }),
      lockIdentity: () => Effect.void,
      findIdentityOwner: ({ email, excluding, phone }) =>
        Effect.map(contacts, (all) => {
          // As the SQL orders them: an owner of the phone before any owner of the email.
          const owners = all.filter((contact) => contact.status === "active" && !excluding.includes(contact.id))
          const byPhone = phone === null ? undefined : owners.find((contact) => contact.phone === phone)
          if (byPhone !== undefined) return Option.some({ id: byPhone.id, field: "phone" as const })
          const byEmail = email === null ? undefined : owners.find((contact) => contact.email === email)
          return byEmail === undefined ? Option.none() : Option.some({ id: byEmail.id, field: "email" as const })
        }),
      list: (query) => Effect.map(contacts, (all) => all.filter(matches(query)).slice(0, query.limit)),
      duplicatePairs: ({ after, limit }) =>
        Effect.map(contacts, (all) => {
          const active = all.filter((c) => c.status === "active")
          const pairs: Array<DuplicatePairRow> = []
          for (let i = 0; i < active.length; i++) {
            for (let j = i + 1; j < active.length; j++) {
              const first = active[i]!
              const second = active[j]!
              if (after !== undefined && (first.id < after.firstId || (first.id === after.firstId && second.id <= after.secondId))) continue
              const reasons = duplicateReasons(first, second)
              if (reasons.length > 0) pairs.push({ firstId: first.id, secondId: second.id, reasons })
            }
          }
          return pairs.slice(0, limit)
        })
    })
  })
)
