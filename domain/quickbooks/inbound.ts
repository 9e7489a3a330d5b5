import { Result } from "effect"
import type { Customer } from "../billing/customer.ts"
import { amountToCents, type InvalidQboAmount } from "./amounts.ts"
import type { CustomerBody } from "./mapping.ts"
import { decodeQboCustomer, type QboCustomer, type QboInvoice, type QboPayment } from "./qbo-entities.ts"

/**
 * What the CRM takes from QuickBooks: payments applied to its invoices,
 * invoices voided there, and customers edited on both sides (the CRM's value
 * wins).
 */

/** Part of a QuickBooks payment applied to one invoice. */
export interface PaymentApplication {
  readonly invoiceQboId: string
  readonly amountCents: number
}

/**
 * The invoices a QuickBooks payment pays and how much of each: its lines
 * that link an Invoice (credit memos, journal entries and unapplied money are
 * not invoice payments), several lines for one invoice added up, in the
 * order the invoices first appear. A line linking several invoices (QuickBooks
 * does not write those) counts for the first.
 */
export const paymentApplications = (
  payment: QboPayment
): Result.Result<ReadonlyArray<PaymentApplication>, InvalidQboAmount> => {
  const byInvoice = new Map<string, number>()
  for (const [index, line] of (payment.Line ?? []).entries()) {
    const invoice = (line.LinkedTxn ?? []).find((txn) => txn.TxnType === "Invoice")
    if (invoice === undefined) continue
    const cents = amountToCents(line.Amount, `Line.${index}.Amount`)
    if (Result.isFailure(cents)) return Result.fail(cents.failure)
    if (cents.success <= 0) continue
    byInvoice.set(invoice.TxnId, (byInvoice.get(invoice.TxnId) ?? 0) + cents.success)
  }
  return Result.succeed([...byInvoice].map(([invoiceQboId, amountCents]) => ({ invoiceQboId, amountCents })))
}

/**
 * Whether QuickBooks shows the invoice voided: a void keeps the invoice with
 * every amount zeroed and "Voided" written into its private note (the API
 * has no status field; the webhook's `Void` operation says it too).
 */
export const isVoidedInvoice = (invoice: Pick<QboInvoice, "TotalAmt" | "PrivateNote">): boolean =>
  (invoice.TotalAmt ?? 0) === 0 && (invoice.PrivateNote ?? "").startsWith("Voided")

/** The customer fields the CRM writes, as both sides can be compared. */
export interface ComparableCustomer {
  readonly DisplayName: string
  readonly CompanyName: string
  readonly email: string
  readonly phone: string
  readonly street: string
  readonly city: string
  readonly state: string
  readonly postalCode: string
  readonly taxable: boolean
}
export type CustomerField = keyof ComparableCustomer

const text = (value: string | undefined): string => (value ?? "").trim()

/** Phones compared by digits: "(415) 555-2671" and "+14155552671" are one number (US numbers without +1 read as US). */
export const phoneKey = (phone: string | undefined): string => {
  const digits = (phone ?? "").replace(/\D/gu, "")
  return digits.length === 10 ? `1${digits}` : digits
}

const emailKey = (email: string | undefined): string => text(email).toLowerCase()

/** The customer fields the CRM compares, as QuickBooks answers them or as the CRM would push them. */
type CustomerFieldsOf = Pick<QboCustomer, "DisplayName" | "CompanyName" | "PrimaryEmailAddr" | "PrimaryPhone" | "BillAddr" | "Taxable">

const comparable = (customer: CustomerFieldsOf): ComparableCustomer => ({
  DisplayName: text(customer.DisplayName),
  CompanyName: text(customer.CompanyName),
  email: emailKey(customer.PrimaryEmailAddr?.Address),
  phone: phoneKey(customer.PrimaryPhone?.FreeFormNumber),
  street: text(customer.BillAddr?.Line1),
  city: text(customer.BillAddr?.City),
  state: text(customer.BillAddr?.CountrySubDivisionCode),
  postalCode: text(customer.BillAddr?.PostalCode),
  // QuickBooks leaves Taxable out for a customer never marked either way: not taxable.
  taxable: customer.Taxable ?? false
})

export const comparableFromQbo = (customer: QboCustomer): ComparableCustomer => comparable(customer)

export const comparableFromBody = (body: CustomerBody): ComparableCustomer => comparable(body)

const FIELDS: ReadonlyArray<CustomerField> = [
  "DisplayName", "CompanyName", "email", "phone", "street", "city", "state", "postalCode", "taxable"
]

/** The fields whose values differ between what the CRM would push and what QuickBooks holds. */
export const customerDifferences = (crm: CustomerBody, qbo: QboCustomer): ReadonlyArray<CustomerField> => {
  const ours = comparableFromBody(crm)
  const theirs = comparableFromQbo(qbo)
  return FIELDS.filter((field) => ours[field] !== theirs[field])
}

/** What to do with a customer QuickBooks reports changed. */
export interface CustomerPullDecision {
  /** `push-crm`: QuickBooks differs from the CRM; the CRM's value wins and is pushed again. */
  readonly action: "none" | "push-crm"
  readonly differences: ReadonlyArray<CustomerField>
  /** Both sides changed since the last push and they disagree: log it as a conflict. */
  readonly conflict: boolean
}

/**
 * The conflict rule: the CRM wins. `crmChanged`: the CRM's body hashes
 * differently from the last pushed hash; `qboChanged`: QuickBooks' SyncToken is
 * not the one stored with the mapping.
 */
export const customerPullDecision = (input: {
  readonly crm: CustomerBody
  readonly qbo: QboCustomer
  readonly crmChanged: boolean
  readonly qboChanged: boolean
}): CustomerPullDecision => {
  const differences = customerDifferences(input.crm, input.qbo)
  return {
    action: differences.length === 0 ? "none" : "push-crm",
    differences,
    conflict: differences.length > 0 && input.crmChanged && input.qboChanged
  }
}

/**
 * Whether a QuickBooks customer (a record body, as the gateway answers it)
 * is this CRM customer: same email or same phone. Used when the DisplayName
 * is taken (6240) to link rather than create a second customer.
 */
export const customerMatches = (customer: Pick<Customer, "email" | "phone">, body: unknown): boolean => {
  const decoded = decodeQboCustomer(body)
  if (Result.isFailure(decoded)) return false
  const theirs = comparableFromQbo(decoded.success)
  const email = emailKey(customer.email ?? undefined)
  const phone = phoneKey(customer.phone ?? undefined)
  return (email !== "" && email === theirs.email) || (phone !== "" && phone === theirs.phone)
}
