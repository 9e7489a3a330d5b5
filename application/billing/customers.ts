import { Context, DateTime, Effect, Layer } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import {
  applyCustomerPatch,
  type Customer,
  CustomerId,
  type CustomerPatch,
  type NewCustomer,
  newCustomerFields
} from "../../domain/billing/customer.ts"
import { AccountingSync } from "../accounting/accounting-sync.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { type CustomerQuery, CustomerRepository } from "../ports/customer-repository.ts"
import { Ids } from "../ports/ids.ts"
import { Transactor } from "../ports/transactor.ts"
import { BillingConflict, BillingNotFound, type InvalidBillingInput } from "./billing-errors.ts"
import { checkActiveContact } from "./contact-check.ts"
import { orNotFound } from "./load.ts"

export type CustomerSearch = Omit<CustomerQuery, "after" | "limit">

/** Customers: the billed parties. */
export class Customers extends Context.Service<Customers, {
  readonly create: (input: NewCustomer) => Effect.Effect<Customer, InvalidBillingInput>
  readonly get: (id: CustomerId) => Effect.Effect<Customer, BillingNotFound>
  /** Archiving (`status: archived`) needs every issued invoice paid or voided. */
  readonly update: (id: CustomerId, patch: CustomerPatch) => Effect.Effect<Customer, BillingNotFound | InvalidBillingInput | BillingConflict>
  /** Only a customer nothing refers to is deleted; others are archived. */
  readonly remove: (id: CustomerId) => Effect.Effect<void, BillingNotFound | BillingConflict>
  readonly list: (search: CustomerSearch, page: PageRequest<CustomerId>) => Effect.Effect<Page<Customer, CustomerId>>
}>()("crm/application/billing/Customers") {
  static readonly layer = Layer.effect(
    Customers,
    Effect.gen(function*() {
      const repo = yield* CustomerRepository
      const provideContacts = Effect.provideService(ContactRepository, yield* ContactRepository)
      const tx = yield* Transactor
      const ids = yield* Ids
      const accounting = yield* AccountingSync

      const checkContact = (id: ContactId | null) => checkActiveContact(id, "primaryContactId").pipe(provideContacts)

      const create = Effect.fn("Customers.create")(function*(input: NewCustomer) {
        const fields = newCustomerFields(input)
        yield* checkContact(fields.primaryContactId)
        const now = yield* DateTime.now
        const customer: Customer = { id: CustomerId.make(yield* ids.next), ...fields, status: "active", createdAt: now, updatedAt: now }
        yield* repo.insert(customer)
        yield* accounting.changed({ kind: "customer", id: customer.id, action: "upsert" })
        return customer
      })

      const update = Effect.fn("Customers.update")(function*(id: CustomerId, patch: CustomerPatch) {
        const updated = yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* orNotFound("customer", id)(repo.findByIdForUpdate(id))
          const fields = applyCustomerPatch(current, patch)
          if (fields.primaryContactId !== current.primaryContactId) yield* checkContact(fields.primaryContactId)
          const status = patch.status ?? current.status
          if (status === "archived" && current.status === "active") {
            const open = yield* repo.openInvoiceCount(id)
            if (open > 0) {
              return yield* new BillingConflict({
                message: `Customer ${id} still owes on ${open} open invoice(s); record the payments or void them before archiving`
              })
            }
          }
          const updated: Customer = { ...current, ...fields, status, updatedAt: yield* DateTime.now }
          yield* repo.update(updated)
          return updated
        }))
        // After the commit: QuickBooks must never see a change that was rolled back.
        yield* accounting.changed({ kind: "customer", id, action: "upsert" })
        return updated
      })

      const remove = Effect.fn("Customers.remove")(function*(id: CustomerId) {
        const outcome = yield* repo.delete(id)
        if (outcome === "absent") return yield* new BillingNotFound({ resource: "customer", id })
        if (outcome === "in-use") {
          return yield* new BillingConflict({
            message: `Customer ${id} has purchases, quotes or invoices; archive it instead (PATCH status archived)`
          })
        }
      })

      const list = Effect.fn("Customers.list")(function*(search: CustomerSearch, page: PageRequest<CustomerId>) {
        const rows = yield* repo.list({ ...search, after: page.after, limit: page.limit + 1 })
        return toPage(rows, page.limit, (customer) => customer.id)
      })

      return Customers.of({ create, get: (id) => orNotFound("customer", id)(repo.findById(id)), update, remove, list })
    })
  )
}
