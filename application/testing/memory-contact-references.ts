import { Effect, Layer, Ref } from "effect"
import type { Customer } from "../../domain/billing/customer.ts"
import type { Quote } from "../../domain/billing/quote.ts"
import type { Call } from "../../domain/messaging/message.ts"
import type { Contact, ContactId } from "../../domain/contact.ts"
import { ReferenceMove } from "../../domain/contact-merge-record.ts"
import type { PropertyLink } from "../../domain/property/property.ts"
import { ContactReferences } from "../ports/contact-references.ts"
import { moveMessages } from "./memory-message-repository.ts"
import { MemoryStore, type MemoryState } from "./memory-store.ts"

/** The billing rows that point at contacts, as the SQL foreign keys name them. */
const CUSTOMERS = { table: "customers", column: "primary_contact_id" } as const
const QUOTES = { table: "quotes", column: "contact_id" } as const
/** Contacts merged earlier into the one that moves (contacts.merged_into_id). */
const MERGED_INTO = { table: "contacts", column: "merged_into_id" } as const
const MESSAGES = { table: "messages", column: "contact_id" } as const
const CALLS = { table: "calls", column: "contact_id" } as const
const PROPERTY_LINKS = { table: "contact_properties", column: "contact_id" } as const

/**
 * Repoints the rows of a link table with UNIQUE (contact, other): a row whose
 * counterpart `to` already has stays with `from`, as in the SQL adapter.
 */
const repointLinks = <A extends { readonly id: string; readonly contactId: string }>(
  rows: ReadonlyMap<string, A>,
  counterpart: (row: A) => string,
  from: string,
  to: ContactId,
  only?: ReadonlyArray<string>
): { readonly rows: ReadonlyMap<string, A>; readonly moved: ReadonlyArray<string> } => {
  const held = new Set([...rows.values()].filter((row) => row.contactId === to).map(counterpart))
  return repoint(
    rows,
    (row) => (held.has(counterpart(row)) ? null : row.contactId),
    (row, contactId) => ({ ...row, contactId }),
    from,
    to,
    only
  )
}
const linkedProperty = (link: PropertyLink) => link.propertyId
// contact_list_members: UNIQUE (list_id, contact_id), rows in MemoryState.listMembers.
const LIST_MEMBERS = { table: "contact_list_members", column: "contact_id" } as const
const memberList = (member: { readonly listId: string }) => member.listId

const repoint = <A extends { readonly id: string }>(
  rows: ReadonlyMap<string, A>,
  pick: (row: A) => string | null,
  set: (row: A, to: ContactId) => A,
  from: string,
  to: ContactId,
  only?: ReadonlyArray<string>
): { readonly rows: ReadonlyMap<string, A>; readonly moved: ReadonlyArray<string> } => {
  const next = new Map(rows)
  const moved: Array<string> = []
  for (const row of rows.values()) {
    if (pick(row) !== from || (only !== undefined && !only.includes(row.id))) continue
    next.set(row.id, set(row, to))
    moved.push(row.id)
  }
  return { rows: next, moved }
}

const customerContact = (customer: Customer) => customer.primaryContactId
const withCustomerContact = (customer: Customer, to: ContactId): Customer => ({ ...customer, primaryContactId: to })
const quoteContact = (quote: Quote) => quote.contactId
const withQuoteContact = (quote: Quote, to: ContactId): Quote => ({ ...quote, contactId: to })
const mergedInto = (contact: Contact) => contact.mergedIntoId
const withMergedInto = (contact: Contact, to: ContactId): Contact => ({ ...contact, mergedIntoId: to })
const callContact = (call: Call) => call.contactId
const withCallContact = (call: Call, to: ContactId): Call => ({ ...call, contactId: to })

/**
 * References held in MemoryStore.references (tests add rows there to watch
 * them move), plus the rows that name contacts: contacts merged into them,
 * customers' primary contacts and quotes' contacts.
 */
export const MemoryContactReferences = Layer.effect(
  ContactReferences,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return ContactReferences.of({
      moveAll: (from, to) =>
        Ref.modify(state, (s): readonly [ReadonlyArray<ReferenceMove>, MemoryState] => {
          const moved = s.references.filter((r) => r.contactId === from)
          const groups = new Map<string, ReferenceMove>()
          for (const ref of moved) {
            const key = `${ref.table}.${ref.column}`
            const group = groups.get(key)
            groups.set(key, new ReferenceMove({ table: ref.table, column: ref.column, rowIds: [...(group?.rowIds ?? []), ref.rowId] }))
          }
          const references = s.references.map((r) => (r.contactId === from ? { ...r, contactId: to } : r))
          const customers = repoint(s.customers, customerContact, withCustomerContact, from, to)
          const quotes = repoint(s.quotes, quoteContact, withQuoteContact, from, to)
          const contacts = repoint(s.contacts, mergedInto, withMergedInto, from, to)
          const messages = moveMessages(s.messages, from, to)
          const calls = repoint(s.calls, callContact, withCallContact, from, to)
          const links = repointLinks(s.propertyLinks, linkedProperty, from, to)
          const members = repointLinks(s.listMembers, memberList, from, to)
          const billing = [
            ...(contacts.moved.length === 0 ? [] : [new ReferenceMove({ ...MERGED_INTO, rowIds: contacts.moved })]),
            ...(customers.moved.length === 0 ? [] : [new ReferenceMove({ ...CUSTOMERS, rowIds: customers.moved })]),
            ...(quotes.moved.length === 0 ? [] : [new ReferenceMove({ ...QUOTES, rowIds: quotes.moved })]),
            ...(messages.moved.length === 0 ? [] : [new ReferenceMove({ ...MESSAGES, rowIds: messages.moved })]),
            ...(calls.moved.length === 0 ? [] : [new ReferenceMove({ ...CALLS, rowIds: calls.moved })]),
            ...(links.moved.length === 0 ? [] : [new ReferenceMove({ ...PROPERTY_LINKS, rowIds: links.moved })]),
            ...(members.moved.length === 0 ? [] : [new ReferenceMove({ ...LIST_MEMBERS, rowIds: members.moved })])
          ]
          return [
            [...groups.values(), ...billing],
            { ...s, references, contacts: contacts.rows, customers: customers.rows, quotes: quotes.rows, messages: messages.messages,
              calls: calls.rows, propertyLinks: links.rows, listMembers: members.rows }
          ]
        }),
      moveBack: (moves, current, original) =>
        Ref.update(state, (s) => {
          const rowsOf = (target: { readonly table: string; readonly column: string }) =>
            moves.flatMap((m) => (m.table === target.table && m.column === target.column ? m.rowIds : []))
          return {
            ...s,
            references: s.references.map((r) =>
              r.contactId === current &&
                moves.some((m) => m.table === r.table && m.column === r.column && m.rowIds.includes(r.rowId))
                ? { ...r, contactId: original }
                : r
            ),
            customers: repoint(s.customers, customerContact, withCustomerContact, current, original, rowsOf(CUSTOMERS)).rows,
            quotes: repoint(s.quotes, quoteContact, withQuoteContact, current, original, rowsOf(QUOTES)).rows,
            contacts: repoint(s.contacts, mergedInto, withMergedInto, current, original, rowsOf(MERGED_INTO)).rows,
            messages: moveMessages(s.messages, current, original, rowsOf(MESSAGES)).messages,
            calls: repoint(s.calls, callContact, withCallContact, current, original, rowsOf(CALLS)).rows,
            propertyLinks: repointLinks(s.propertyLinks, linkedProperty, current, original, rowsOf(PROPERTY_LINKS)).rows,
            listMembers: repointLinks(s.listMembers, memberList, current, original, rowsOf(LIST_MEMBERS)).rows
          }
        })
    })
  })
)
