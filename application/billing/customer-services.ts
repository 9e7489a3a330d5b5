import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { ServiceId } from "../../domain/billing/catalog-service.ts"
import type { CustomerId } from "../../domain/billing/customer.ts"
import {
  type CustomerService,
  type CustomerServiceDetails,
  CustomerServiceId,
  type CustomerServicePatch,
  type NewCustomerService
} from "../../domain/billing/customer-service.ts"
import { NO_DISCOUNT } from "../../domain/billing/discount.ts"
import { dayNumber } from "../../domain/billing/local-date.ts"
import { priceDocument } from "../../domain/billing/pricing.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { CustomerRepository } from "../ports/customer-repository.ts"
import { type CustomerServiceQuery, CustomerServiceRepository } from "../ports/customer-service-repository.ts"
import { Ids } from "../ports/ids.ts"
import { ServiceRepository } from "../ports/service-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import { BillingConflict, BillingNotFound, InvalidBillingInput } from "./billing-errors.ts"
import { billableCustomer } from "./document-pricing.ts"
import { orNotFound } from "./load.ts"
import { today } from "./today.ts"

export type CustomerServiceSearch = Omit<CustomerServiceQuery, "after" | "limit">

type Terms = Pick<CustomerService, "quantity" | "unitPriceCents" | "discount" | "startDate" | "endDate">

/** The purchase's own rules: an end on or after the start, a discount no larger than the line. */
const checkTerms = (terms: Terms): Effect.Effect<void, InvalidBillingInput> => {
  if (terms.endDate !== null && dayNumber(terms.endDate) < dayNumber(terms.startDate)) {
    return Effect.fail(new InvalidBillingInput({ path: "endDate", message: `Ends (${terms.endDate}) before it starts (${terms.startDate})` }))
  }
  const priced = priceDocument({
    lines: [{ quantity: terms.quantity, unitPriceCents: terms.unitPriceCents, discount: terms.discount, taxRatePercent: null }],
    documentDiscount: NO_DISCOUNT,
    taxExempt: true
  })
  return priced._tag === "Failure"
    ? Effect.fail(new InvalidBillingInput({ path: priced.failure.path.replace(/^lines\.0\.?/u, "") || "quantity", message: priced.failure.message }))
    : Effect.void
}

/** Customers' purchases of catalogue services. */
export class CustomerServices extends Context.Service<CustomerServices, {
  readonly create: (input: NewCustomerService) => Effect.Effect<CustomerServiceDetails, InvalidBillingInput>
  readonly get: (id: CustomerServiceId) => Effect.Effect<CustomerServiceDetails, BillingNotFound>
  readonly update: (
    id: CustomerServiceId,
    patch: CustomerServicePatch
  ) => Effect.Effect<CustomerServiceDetails, BillingNotFound | InvalidBillingInput>
  /** Deletes a purchase no invoice has billed; a billed one is cancelled instead. */
  readonly remove: (id: CustomerServiceId) => Effect.Effect<void, BillingNotFound | BillingConflict>
  readonly list: (
    search: CustomerServiceSearch,
    page: PageRequest<CustomerServiceId>
  ) => Effect.Effect<Page<CustomerServiceDetails, CustomerServiceId>>
}>()("crm/application/billing/CustomerServices") {
  static readonly layer = Layer.effect(
    CustomerServices,
    Effect.gen(function*() {
      const repo = yield* CustomerServiceRepository
      const customers = yield* CustomerRepository
      const services = yield* ServiceRepository
      const tx = yield* Transactor
      const ids = yield* Ids
      const load = (id: CustomerServiceId) => orNotFound("customer service", id)(repo.findById(id))

      const activeCustomer = (id: CustomerId) => billableCustomer(id).pipe(Effect.provideService(CustomerRepository, customers))

      const activeService = Effect.fn(function*(id: ServiceId) {
        const service = yield* services.findById(id)
        if (Option.isNone(service)) return yield* new InvalidBillingInput({ path: "serviceId", message: `No service has id ${id}` })
        if (!service.value.active) {
          return yield* new InvalidBillingInput({ path: "serviceId", message: `Service ${id} is inactive and cannot be sold` })
        }
        return service.value
      })

      const create = Effect.fn("CustomerServices.create")(function*(input: NewCustomerService) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const customer = yield* activeCustomer(input.customerId)
          const service = yield* activeService(input.serviceId)
          const now = yield* DateTime.now
          const purchase: CustomerService = {
            id: CustomerServiceId.make(yield* ids.next),
            customerId: customer.id,
            serviceId: service.id,
            quantity: input.quantity ?? 1,
            unitPriceCents: input.unitPriceCents ?? service.unitPriceCents,
            discount: input.discount ?? NO_DISCOUNT,
            startDate: input.startDate ?? (yield* today),
            endDate: input.endDate ?? null,
            status: input.status ?? "active",
            createdAt: now,
            updatedAt: now
          }
          yield* checkTerms(purchase)
          yield* repo.insert(purchase)
          return { ...purchase, companyName: customer.companyName, serviceName: service.name, recurring: service.recurring }
        }))
      })

      const update = Effect.fn("CustomerServices.update")(function*(id: CustomerServiceId, patch: CustomerServicePatch) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const { companyName, recurring, serviceName, ...current } = yield* load(id)
          const updated: CustomerService = {
            ...current,
            quantity: patch.quantity ?? current.quantity,
            unitPriceCents: patch.unitPriceCents ?? current.unitPriceCents,
            discount: patch.discount ?? current.discount,
            startDate: patch.startDate ?? current.startDate,
            endDate: patch.endDate === undefined ? current.endDate : patch.endDate,
            status: patch.status ?? current.status,
            updatedAt: yield* DateTime.now
          }
          yield* checkTerms(updated)
          yield* repo.update(updated)
          return { ...updated, companyName, serviceName, recurring }
        }))
      })

      const remove = Effect.fn("CustomerServices.remove")(function*(id: CustomerServiceId) {
        const outcome = yield* repo.delete(id)
        if (outcome === "absent") return yield* new BillingNotFound({ resource: "customer service", id })
        if (outcome === "in-use") {
          return yield* new BillingConflict({ message: `Customer service ${id} has been invoiced; cancel it instead (PATCH status cancelled)` })
        }
      })

      const list = Effect.fn("CustomerServices.list")(function*(search: CustomerServiceSearch, page: PageRequest<CustomerServiceId>) {
        const rows = yield* repo.list({ ...search, after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (row) => row.id)
      })

      return CustomerServices.of({ create, get: load, update, remove, list })
    })
  )
}
