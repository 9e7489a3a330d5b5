import { Context, type Effect, type Option } from "effect"
import type { Customer, CustomerId, CustomerStatus } from "../../domain/billing/customer.ts"
import type { ContactId } from "../../domain/contact.ts"
import type { E164 } from "../../domain/phone.ts"

export interface CustomerQuery {
  /** Words matched against the names, email and phone. */
  readonly q?: string | undefined
  readonly status?: CustomerStatus | "all" | undefined
  /** Exact matches on the stored (normalised) values. */
  readonly phone?: E164 | undefined
  readonly email?: string | undefined
  readonly primaryContactId?: ContactId | undefined
  readonly after?: CustomerId | undefined
  readonly limit: number
}

export class CustomerRepository extends Context.Service<CustomerRepository, {
  readonly insert: (customer: Customer) => Effect.Effect<void>
  readonly update: (customer: Customer) => Effect.Effect<void>
  readonly findById: (id: CustomerId) => Effect.Effect<Option.Option<Customer>>
  /** Like `findById`, and holds the row until the transaction ends. */
  readonly findByIdForUpdate: (id: CustomerId) => Effect.Effect<Option.Option<Customer>>
  /** `in-use` when purchases, quotes or invoices name the customer. */
  readonly delete: (id: CustomerId) => Effect.Effect<"deleted" | "absent" | "in-use">
  readonly list: (query: CustomerQuery) => Effect.Effect<ReadonlyArray<Customer>>
  /** How many issued or partly paid invoices the customer still owes on. */
  readonly openInvoiceCount: (id: CustomerId) => Effect.Effect<number>
}>()("crm/application/ports/CustomerRepository") {}
