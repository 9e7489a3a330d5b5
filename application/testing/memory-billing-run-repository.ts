import { Effect, Layer, Option, Ref } from "effect"
import type { CustomerId } from "../../domain/billing/customer.ts"
import { type BillableService, BillingRunRepository } from "../ports/billing-run-repository.ts"
import { purchaseDetails } from "./memory-customer-service-repository.ts"
import { keysetPage, MemoryStore, withMap } from "./memory-store.ts"

const byCustomerThenId = (a: BillableService, b: BillableService): number =>
  a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

export const MemoryBillingRunRepository = Layer.effect(
  BillingRunRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return BillingRunRepository.of({
      // Runs are serialised by the MemoryTransactor's lock already.
      lockPeriod: () => Effect.void,
      // Recurring, active purchases that overlap the month at all (dates compare as YYYY-MM-DD text).
      activeServices: ({ from, to }) =>
        Effect.map(Ref.get(state), (s) =>
          [...s.customerServices.values()]
            .flatMap((purchase): ReadonlyArray<BillableService> => {
              const details = purchaseDetails(s, purchase)
              const customer = s.customers.get(purchase.customerId)
              const service = s.services.get(purchase.serviceId)
              if (details === undefined || customer === undefined || service === undefined) return []
              if (purchase.status !== "active" || service.recurring === "none") return []
              if (purchase.startDate > to || (purchase.endDate !== null && purchase.endDate < from)) return []
              return [{ ...details, customerStatus: customer.status, taxExempt: customer.taxExempt, taxable: service.taxable }]
            })
            .sort(byCustomerThenId)),
      invoicedCustomers: (period) =>
        Effect.map(Ref.get(state), (s) => {
          const invoiced = new Map<CustomerId, string>()
          for (const invoice of s.invoices.values()) {
            if (invoice.billingPeriod === period) invoiced.set(invoice.customerId, invoice.id)
          }
          return invoiced
        }),
      insert: (run) => Ref.update(state, (s) => ({ ...s, billingRuns: withMap(s.billingRuns, run.id, run) })),
      findById: (id) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.billingRuns.get(id))),
      list: (query) =>
        Effect.map(Ref.get(state), (s) =>
          keysetPage(s.billingRuns.values(), query, (run) => query.period === undefined || run.period === query.period))
    })
  })
)
