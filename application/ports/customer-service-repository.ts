import { Context, type Effect, type Option } from "effect"
import type { ServiceId } from "../../domain/billing/catalog-service.ts"
import type { CustomerId } from "../../domain/billing/customer.ts"
import type {
  CustomerService,
  CustomerServiceDetails,
  CustomerServiceId,
  CustomerServiceStatus
} from "../../domain/billing/customer-service.ts"

export interface CustomerServiceQuery {
  readonly customerId?: CustomerId | undefined
  readonly serviceId?: ServiceId | undefined
  readonly status?: CustomerServiceStatus | undefined
  readonly after?: CustomerServiceId | undefined
  readonly limit: number
}

/** Customers' purchases of catalogue services. */
export class CustomerServiceRepository extends Context.Service<CustomerServiceRepository, {
  readonly insert: (purchase: CustomerService) => Effect.Effect<void>
  readonly update: (purchase: CustomerService) => Effect.Effect<void>
  /** With the customer's and the service's names. */
  readonly findById: (id: CustomerServiceId) => Effect.Effect<Option.Option<CustomerServiceDetails>>
  /** `in-use` once an invoice line bills it: then it is cancelled, not deleted. */
  readonly delete: (id: CustomerServiceId) => Effect.Effect<"deleted" | "absent" | "in-use">
  readonly list: (query: CustomerServiceQuery) => Effect.Effect<ReadonlyArray<CustomerServiceDetails>>
}>()("crm/application/ports/CustomerServiceRepository") {}
