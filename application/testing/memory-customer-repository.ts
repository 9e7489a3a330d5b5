import { Effect, Layer, Option, Ref } from "effect"
import type { Customer, CustomerId } from "../../domain/billing/customer.ts"
import { OPEN_STATUSES } from "../../domain/billing/invoice.ts"
import { searchWords } from "../contacts/search-words.ts"
import { type CustomerQuery, CustomerRepository } from "../ports/customer-repository.ts"
import { keysetPage, MemoryStore, type MemoryState, withMap, withoutKeys } from "./memory-store.ts"

/** Same matching as the SQL search: every word occurs in the names, email or phone. */
const matchesSearch = (customer: Customer, q: string): boolean => {
  const haystack = [customer.companyName, customer.legalBusinessName ?? "", customer.email ?? "", customer.phone ?? ""]
    .join(" ")
    .toLowerCase()
  return searchWords(q).every((word) => haystack.includes(word))
}

const matches = (query: CustomerQuery) => (customer: Customer): boolean => {
  const status = query.status ?? "active"
  if (status !== "all" && customer.status !== status) return false
  if (query.phone !== undefined && customer.phone !== query.phone) return false
  if (query.email !== undefined && customer.email !== query.email) return false
  if (query.primaryContactId !== undefined && customer.primaryContactId !== query.primaryContactId) return false
  return query.q === undefined || matchesSearch(customer, query.q)
}

/** Purchases, quotes and invoices keep a customer (ON DELETE RESTRICT). */
const isReferenced = (s: MemoryState, id: string): boolean =>
  [...s.customerServices.values()].some((purchase) => purchase.customerId === id) ||
  [...s.quotes.values()].some((quote) => quote.customerId === id) ||
  [...s.invoices.values()].some((invoice) => invoice.customerId === id)

export const MemoryCustomerRepository = Layer.effect(
  CustomerRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const save = (customer: Customer) => Ref.update(state, (s) => ({ ...s, customers: withMap(s.customers, customer.id, customer) }))
    const findById = (id: CustomerId) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.customers.get(id)))
    return CustomerRepository.of({
      insert: save,
      // As the SQL UPDATE: an absent row stays absent, and the creation time is the row's own.
      update: (customer) =>
        Ref.update(state, (s) => {
          const current = s.customers.get(customer.id)
          return current === undefined
            ? s
            : { ...s, customers: withMap(s.customers, customer.id, { ...customer, createdAt: current.createdAt }) }
        }),
      findById,
      findByIdForUpdate: findById,
      delete: (id) =>
        Ref.modify(state, (s): readonly ["deleted" | "absent" | "in-use", MemoryState] => {
          if (!s.customers.has(id)) return ["absent", s]
          if (isReferenced(s, id)) return ["in-use", s]
          return ["deleted", { ...s, customers: withoutKeys(s.customers, [id]) }]
        }),
      list: (query) => Effect.map(Ref.get(state), (s) => keysetPage(s.customers.values(), query, matches(query))),
      openInvoiceCount: (id) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.invoices.values()].filter((invoice) => invoice.customerId === id && OPEN_STATUSES.includes(invoice.status)).length)
    })
  })
)
