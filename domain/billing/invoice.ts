import type { DateTime } from "effect"
import { Schema } from "effect"
import type { CustomerId } from "./customer.ts"
import { Discount } from "./discount.ts"
import type { DocumentTotals, InvoiceLine } from "./document-line.ts"
import { LinesInput } from "./document-line.ts"
import { addDays, dayNumber, LocalDate } from "./local-date.ts"
import { IdInput } from "../uuid.ts"
import { CustomerId as CustomerIdSchema } from "./customer.ts"
import { OptionalText } from "../text.ts"
import { nullable } from "../contact-input.ts"
import type { InvoiceId, QuoteId } from "./document-ids.ts"

export { InvoiceId } from "./document-ids.ts"

export const InvoiceStatus = Schema.Literals(["draft", "issued", "partially_paid", "paid", "void"])
export type InvoiceStatus = typeof InvoiceStatus.Type

export interface Invoice extends DocumentTotals {
  readonly id: InvoiceId
  readonly number: number
  readonly customerId: CustomerId
  readonly quoteId: QuoteId | null
  readonly billingPeriod: string | null
  readonly status: InvoiceStatus
  readonly issueDate: LocalDate | null
  readonly dueDate: LocalDate | null
  readonly discount: Discount
  readonly notes: string | null
  readonly lines: ReadonlyArray<InvoiceLine>
  readonly paidCents: number
  readonly createdAt: DateTime.Utc
  readonly updatedAt: DateTime.Utc
}

export const NewInvoice = Schema.Struct({
  customerId: IdInput(CustomerIdSchema),
  discount: Schema.optionalKey(Discount),
  notes: nullable(OptionalText(10_000)),
  lines: LinesInput
}).annotate({ identifier: "NewInvoice" })
export type NewInvoice = typeof NewInvoice.Type

/** Statuses in which an invoice is owed. */
export const OPEN_STATUSES: ReadonlyArray<InvoiceStatus> = ["issued", "partially_paid"]

export const balanceCents = (invoice: Pick<Invoice, "totalCents" | "paidCents">): number =>
  invoice.totalCents - invoice.paidCents

/** Past its due date with something still owed. */
export const isOverdue = (invoice: Pick<Invoice, "status" | "dueDate" | "totalCents" | "paidCents">, today: LocalDate): boolean =>
  OPEN_STATUSES.includes(invoice.status) &&
  // Stryker disable next-line ConditionalExpression: `true` is equivalent: dayNumber(null) is NaN and NaN < n is false; the check narrows the type
  invoice.dueDate !== null &&
  balanceCents(invoice) > 0 && dayNumber(invoice.dueDate) < dayNumber(today)

export const dueDateFor = (issueDate: LocalDate, paymentTermsDays: number): LocalDate => addDays(issueDate, paymentTermsDays)

/** The status that follows from what has been paid of an issued invoice. */
export const statusAfterPayments = (totalCents: number, paidCents: number): InvoiceStatus =>
  paidCents >= totalCents ? "paid" : paidCents > 0 ? "partially_paid" : "issued"
