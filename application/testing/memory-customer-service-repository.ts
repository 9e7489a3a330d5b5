import { Effect, Layer, Option, Ref } from "effect"
import type { CustomerService, CustomerServiceDetails } from "../../domain/billing/customer-service.ts"
import { CustomerServiceRepository, type CustomerServiceQuery } from "../ports/customer-service-repository.ts"
import { keysetPage, MemoryStore, type MemoryState, withMap, withoutKeys } from "./memory-store.ts"

/** A purchase joined with its customer's and service's names, as the SQL select does. */
export const purchaseDetails = (s: MemoryState, purchase: CustomerService): CustomerServiceDetails | undefined => {
  const customer = s.customers.get(purchase.customerId)
  const service = s.services.get(purchase.serviceId)
  if (customer === undefined || service === undefined) return undefined
  return { ...purchase, companyName: customer.companyName, serviceName: service.name, recurring: service.recurring }
}

const allDetails = (s: MemoryState): ReadonlyArray<CustomerServiceDetails> =>
  [...s.customerServices.values()].flatMap((purchase) => {
    const details = purchaseDetails(s, purchase)
    return details === undefined ? [] : [details]
  })

const matches = (query: CustomerServiceQuery) => (purchase: CustomerServiceDetails): boolean =>
  (query.customerId === undefined || purchase.customerId === query.customerId) &&
  (query.serviceId === undefined || purchase.serviceId === query.serviceId) &&
  (query.status === undefined || purchase.status === query.status)

/** Only the purchase's own columns are stored; the names come from the joins. */
const ownColumns = (purchase: CustomerService): CustomerService => ({
  id: purchase.id,
  customerId: purchase.customerId,
  serviceId: purchase.serviceId,
  quantity: purchase.quantity,
  unitPriceCents: purchase.unitPriceCents,
  discount: purchase.discount,
  startDate: purchase.startDate,
  endDate: purchase.endDate,
  status: purchase.status,
  createdAt: purchase.createdAt,
  updatedAt: purchase.updatedAt
})

export const MemoryCustomerServiceRepository = Layer.effect(
  CustomerServiceRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const save = (purchase: CustomerService) =>
      Ref.update(state, (s) => ({ ...s, customerServices: withMap(s.customerServices, purchase.id, ownColumns(purchase)) }))
    return CustomerServiceRepository.of({
      insert: save,
      // As the SQL update: the customer, the service and the creation time are fixed at purchase.
      update: (purchase) =>
        Ref.update(state, (s) => {
          const current = s.customerServices.get(purchase.id)
          if (current === undefined) return s
          const fixed = { ...purchase, customerId: current.customerId, serviceId: current.serviceId, createdAt: current.createdAt }
          return { ...s, customerServices: withMap(s.customerServices, purchase.id, ownColumns(fixed)) }
        }),
      findById: (id) =>
        Effect.map(Ref.get(state), (s) => {
          const purchase = s.customerServices.get(id)
          return Option.fromNullishOr(purchase === undefined ? undefined : purchaseDetails(s, purchase))
        }),
      delete: (id) =>
        Ref.modify(state, (s): readonly ["deleted" | "absent" | "in-use", MemoryState] => {
          if (!s.customerServices.has(id)) return ["absent", s]
          const billed = [...s.invoices.values()].some((invoice) => invoice.lines.some((line) => line.customerServiceId === id))
          if (billed) return ["in-use", s]
          return ["deleted", { ...s, customerServices: withoutKeys(s.customerServices, [id]) }]
        }),
      list: (query) => Effect.map(Ref.get(state), (s) => keysetPage(allDetails(s), query, matches(query)))
    })
  })
)
