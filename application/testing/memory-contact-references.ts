import { Effect, Layer, Ref } from "effect"
import type { Customer } from "../../domain/billing/customer.ts"
import type { Quote } from "../../domain/billing/quote.ts"
import type { Contact, ContactId } from "../../domain/contact.ts"
import { ReferenceMove } from "../../domain/contact-merge-record.ts"
import { ContactReferences } from "../ports/contact-references.ts"
import { MemoryStore, type MemoryState } from "./memory-store.ts"

/** The billing rows that point at contacts, as the SQL foreign keys name them. */
const CUSTOMERS = { table: "customers", column: "primary_contact_id" } as const
const QUOTES = { table: "quotes", column: "contact_id" } as const
/** Contacts merged earlier into the one that moves (contacts.merged_into_id). */
const MERGED_INTO = { table: "contacts", column: "merged_into_id" } as const

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
          const billing = [
            ...(contacts.moved.length === 0 ? [] : [new ReferenceMove({ ...MERGED_INTO, rowIds: contacts.moved })]),
            ...(customers.moved.length === 0 ? [] : [new ReferenceMove({ ...CUSTOMERS, rowIds: customers.moved })]),
            ...(quotes.moved.length === 0 ? [] : [new ReferenceMove({ ...QUOTES, rowIds: quotes.moved })])
          ]
          return [
            [...groups.values(), ...billing],
            { ...s, references, contacts: contacts.rows, customers: customers.rows, quotes: quotes.rows }
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
            contacts: repoint(s.contacts, mergedInto, withMergedInto, current, original, rowsOf(MERGED_INTO)).rows
          }
        })
    })
  })
)
