import { Context, Effect, Layer, Ref, Semaphore } from "effect"
import type { BillingRun } from "../../domain/billing/billing-run.ts"
import type { CatalogService } from "../../domain/billing/catalog-service.ts"
import type { Customer } from "../../domain/billing/customer.ts"
import type { CustomerService } from "../../domain/billing/customer-service.ts"
import type { Invoice } from "../../domain/billing/invoice.ts"
import type { Payment } from "../../domain/billing/payment.ts"
import type { Quote } from "../../domain/billing/quote.ts"
import type { TaxRate } from "../../domain/billing/tax-rate.ts"
import type { Contact } from "../../domain/contact.ts"
import type { ContactMergeRecord } from "../../domain/contact-merge-record.ts"
import type { StoredResponse } from "../ports/idempotency-store.ts"
import type { PaymentAllocation } from "../ports/invoice-repository.ts"
import type { StoredToken } from "../ports/token-repository.ts"

/** A row of some other table that points at a contact (for merge tests). */
export interface MemoryReference {
  readonly table: string
  readonly column: string
  readonly rowId: string
  readonly contactId: string
}

export interface MemoryIdempotencyEntry {
  readonly fingerprint: string
  readonly createdAt: number
  readonly response: StoredResponse | undefined
}

/** A payment with its shares of the invoice's lines. */
export interface MemoryPayment {
  readonly payment: Payment
  readonly allocations: ReadonlyArray<PaymentAllocation>
}

export interface MemoryState {
  readonly contacts: ReadonlyMap<string, Contact>
  readonly merges: ReadonlyMap<string, ContactMergeRecord>
  readonly tokens: ReadonlyMap<string, StoredToken>
  readonly idempotency: ReadonlyMap<string, MemoryIdempotencyEntry>
  readonly references: ReadonlyArray<MemoryReference>
  readonly customers: ReadonlyMap<string, Customer>
  readonly services: ReadonlyMap<string, CatalogService>
  readonly customerServices: ReadonlyMap<string, CustomerService>
  /** Quotes as stored: never `expired` (that status is computed on read). */
  readonly quotes: ReadonlyMap<string, Quote>
  readonly invoices: ReadonlyMap<string, Invoice>
  readonly payments: ReadonlyMap<string, MemoryPayment>
  readonly billingRuns: ReadonlyMap<string, BillingRun>
  readonly taxRates: ReadonlyMap<string, TaxRate>
  /** The last quote and invoice numbers given (identity columns in PostgreSQL). */
  readonly lastQuoteNumber: number
  readonly lastInvoiceNumber: number
}

/** The rate the billing migration seeds; taxable services use it unless a line names another. */
export const STANDARD_TAX_RATE: TaxRate = { code: "standard", name: "Standard sales tax", ratePercent: 0 }

const EMPTY: MemoryState = {
  contacts: new Map(),
  merges: new Map(),
  tokens: new Map(),
  idempotency: new Map(),
  references: [],
  customers: new Map(),
  services: new Map(),
  customerServices: new Map(),
  quotes: new Map(),
  invoices: new Map(),
  payments: new Map(),
  billingRuns: new Map(),
  taxRates: new Map([[STANDARD_TAX_RATE.code, STANDARD_TAX_RATE]]),
  lastQuoteNumber: 0,
  lastInvoiceNumber: 0
}

/**
 * All in-memory test repositories keep their rows in this one immutable
 * state, so the test Transactor can roll a failed unit of work back by
 * restoring the state it started from, as PostgreSQL would.
 */
export class MemoryStore extends Context.Service<MemoryStore, {
  readonly state: Ref.Ref<MemoryState>
  readonly lock: Semaphore.Semaphore
}>()("crm/application/testing/MemoryStore") {
  static readonly layer = Layer.effect(
    MemoryStore,
    Effect.all({ state: Ref.make(EMPTY), lock: Semaphore.make(1) })
  )
}

export const withMap = <V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> =>
  new Map(map).set(key, value)

export const withoutKeys = <V>(map: ReadonlyMap<string, V>, keys: Iterable<string>): ReadonlyMap<string, V> => {
  const next = new Map(map)
  for (const key of keys) next.delete(key)
  return next
}

/** Orders rows by id, as keyset pages do (ids are time-ordered strings). */
export const byId = (a: { readonly id: string }, b: { readonly id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Up to `limit` rows after `after`, in id order: one keyset page. */
export const keysetPage = <A extends { readonly id: string }>(
  rows: Iterable<A>,
  query: { readonly after?: string | undefined; readonly limit: number },
  keep: (row: A) => boolean = () => true
): ReadonlyArray<A> =>
  [...rows]
    .filter((row) => (query.after === undefined || row.id > query.after) && keep(row))
    .sort(byId)
    .slice(0, query.limit)
