import { Context, type Effect, type Option } from "effect"
import type { CustomerId } from "../../domain/billing/customer.ts"
import type { Invoice, InvoiceId, InvoiceStatus } from "../../domain/billing/invoice.ts"
import type { LocalDate } from "../../domain/billing/local-date.ts"
import type { Payment } from "../../domain/billing/payment.ts"

export interface InvoiceQuery {
  readonly customerId?: CustomerId | undefined
  readonly status?: InvoiceStatus | undefined
  /** `YYYY-MM`: the invoices billing runs made for that month. */
  readonly billingPeriod?: string | undefined
  /** Only the invoices that are (`is: true`) or are not overdue on `today` (see `isOverdue`). */
  readonly overdue?: { readonly is: boolean; readonly today: LocalDate } | undefined
  readonly after?: InvoiceId | undefined
  readonly limit: number
}

export type NewInvoiceRecord = Omit<Invoice, "number">

/** A payment's share of one invoice line. */
export interface PaymentAllocation {
  readonly position: number
  readonly amountCents: number
}

export class InvoiceRepository extends Context.Service<InvoiceRepository, {
  /** Stores invoices and their lines in bulk; answers their numbers in order. */
  readonly insertMany: (invoices: ReadonlyArray<NewInvoiceRecord>) => Effect.Effect<ReadonlyArray<number>>
  /** Saves the invoice's header (status, dates, paid amount); lines never change once stored. */
  readonly updateHeader: (invoice: Invoice) => Effect.Effect<void>
  readonly findById: (id: InvoiceId) => Effect.Effect<Option.Option<Invoice>>
  readonly findByIdForUpdate: (id: InvoiceId) => Effect.Effect<Option.Option<Invoice>>
  readonly list: (query: InvoiceQuery) => Effect.Effect<ReadonlyArray<Invoice>>
  readonly addPayment: (payment: Payment, allocations: ReadonlyArray<PaymentAllocation>) => Effect.Effect<void>
  readonly payments: (id: InvoiceId) => Effect.Effect<ReadonlyArray<Payment>>
  /** What each line of the invoice has been paid so far, by position. */
  readonly paidByLine: (id: InvoiceId) => Effect.Effect<ReadonlyMap<number, number>>
}>()("crm/application/ports/InvoiceRepository") {}
