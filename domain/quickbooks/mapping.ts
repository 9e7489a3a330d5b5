import { DateTime, Result, Schema } from "effect"
import type { CatalogService } from "../billing/catalog-service.ts"
import type { Customer } from "../billing/customer.ts"
import type { Invoice } from "../billing/invoice.ts"
import { dateOfEpochMillis } from "../billing/local-date.ts"
import type { Payment } from "../billing/payment.ts"
import { thousandths } from "../billing/quantity.ts"
import { centsToAmount, quantityToQty } from "./amounts.ts"
import { displayNameCandidate, itemNameCandidate } from "./names.ts"
import type { QboEntityKind } from "./qbo-entities.ts"

/**
 * CRM billing records as the JSON bodies QuickBooks Online takes. Every
 * amount is exact: what QuickBooks adds up equals the CRM's figures to the
 * cent (invoice lines, discount and tax give the invoice's total).
 */

type Ref = { readonly value: string }

export type CustomerBody = {
  readonly DisplayName: string
  readonly CompanyName: string
  readonly PrimaryEmailAddr?: { readonly Address: string }
  readonly PrimaryPhone?: { readonly FreeFormNumber: string }
  readonly BillAddr?: {
    readonly Line1?: string
    readonly City?: string
    readonly CountrySubDivisionCode?: string
    readonly PostalCode?: string
  }
  readonly Taxable: boolean
}

export type ItemBody = {
  readonly Name: string
  readonly Type: "Service"
  readonly Description?: string
  readonly UnitPrice: number
  readonly Taxable: boolean
  readonly IncomeAccountRef: Ref
}

export type SalesItemLineBody = {
  readonly Description: string
  readonly Amount: number
  readonly DetailType: "SalesItemLineDetail"
  readonly SalesItemLineDetail: {
    readonly ItemRef: Ref
    readonly Qty: number
    readonly UnitPrice: number
    readonly TaxCodeRef: { readonly value: "TAX" | "NON" }
    readonly ServiceDate?: string
  }
}

export type DiscountLineBody = {
  readonly Description: string
  readonly Amount: number
  readonly DetailType: "DiscountLineDetail"
  readonly DiscountLineDetail: { readonly PercentBased: false }
}

export type InvoiceBody = {
  readonly DocNumber: string
  readonly TxnDate: string
  readonly DueDate?: string
  readonly CustomerRef: Ref
  readonly Line: ReadonlyArray<SalesItemLineBody | DiscountLineBody>
  readonly ApplyTaxAfterDiscount: true
  readonly TxnTaxDetail: { readonly TotalTax: number }
}

export type PaymentBody = {
  readonly TotalAmt: number
  readonly TxnDate: string
  readonly CustomerRef: Ref
  readonly Line: ReadonlyArray<{
    readonly Amount: number
    readonly LinkedTxn: ReadonlyArray<{ readonly TxnId: string; readonly TxnType: "Invoice" }>
  }>
  readonly PaymentRefNum?: string
  readonly PrivateNote: string
}

/** A CRM record that cannot be written to QuickBooks as it stands. */
export class QboMappingError extends Schema.TaggedError<QboMappingError>()("QboMappingError", {
  entity: Schema.String,
  crmId: Schema.String,
  message: Schema.String
}) {}

/** QuickBooks field limits (Intuit's API reference): longer values are refused with code 2050. */
export const QBO_LIMITS = {
  companyName: 100,
  email: 100,
  phone: 30,
  addressLine: 500,
  city: 255,
  subDivision: 255,
  postalCode: 30,
  itemDescription: 4000,
  lineDescription: 4000,
  docNumber: 21,
  paymentRefNum: 21
} as const

const clip = (text: string, max: number): string => Array.from(text).slice(0, max).join("")

/**
 * A Customer body. `displayName` is the candidate being tried (see
 * `displayNameCandidate`). With `mode: "update"`, a phone or address the CRM
 * has emptied is sent empty, so a sparse update clears it in QuickBooks too; a
 * create leaves them out. An email is never sent empty: QuickBooks checks
 * `Address` against RFC 822, so a removed email stays in QuickBooks.
 */
export const customerBody = (
  customer: Customer,
  displayName: string = displayNameCandidate(customer.companyName),
  mode: "create" | "update" = "create"
): CustomerBody => {
  const blank = mode === "update" ? "" : undefined
  const email = customer.email !== null && customer.email.length <= QBO_LIMITS.email ? customer.email : undefined
  const phone = customer.phone ?? blank
  const address = customer.billingAddress
  const part = (value: string | null, max: number): string | undefined => value === null ? blank : clip(value, max)
  const street = part(address?.street ?? null, QBO_LIMITS.addressLine)
  const city = part(address?.city ?? null, QBO_LIMITS.city)
  const state = part(address?.state ?? null, QBO_LIMITS.subDivision)
  const postalCode = part(address?.postalCode ?? null, QBO_LIMITS.postalCode)
  const billAddr = address === null && mode === "create" ? undefined : {
    ...(street === undefined ? {} : { Line1: street }),
    ...(city === undefined ? {} : { City: city }),
    ...(state === undefined ? {} : { CountrySubDivisionCode: state }),
    ...(postalCode === undefined ? {} : { PostalCode: postalCode })
  }
  return {
    DisplayName: displayName,
    CompanyName: clip(customer.companyName, QBO_LIMITS.companyName),
    ...(email === undefined ? {} : { PrimaryEmailAddr: { Address: email } }),
    ...(phone === undefined ? {} : { PrimaryPhone: { FreeFormNumber: phone } }),
    ...(billAddr === undefined ? {} : { BillAddr: billAddr }),
    Taxable: !customer.taxExempt
  }
}

/** An Item of type Service posting to the configured income account. `name` is the candidate being tried. */
export const itemBody = (
  service: CatalogService,
  incomeAccountId: string,
  name: string = itemNameCandidate(service.name)
): ItemBody =>
({
  Name: name,
  Type: "Service",
  ...(service.description === null ? {} : { Description: clip(service.description, QBO_LIMITS.itemDescription) }),
  UnitPrice: centsToAmount(service.unitPriceCents),
  Taxable: service.taxable,
  IncomeAccountRef: { value: incomeAccountId }
})

type CrmLine = Invoice["lines"][number]

/**
 * Whether QuickBooks' Qty × UnitPrice is the line's subtotal exactly. The
 * CRM rounds quantity × price (× days ÷ period days when prorated) to the
 * cent; QuickBooks refuses an Amount that is not Qty × UnitPrice, so such
 * lines are sent as one unit at the subtotal.
 */
export const isExactLine = (line: CrmLine): boolean => {
  const prorated = line.prorationDays !== null && line.periodDays !== null && line.prorationDays !== line.periodDays
  return !prorated && thousandths(line.quantity) * BigInt(line.unitPriceCents) === BigInt(line.subtotalCents) * 1000n
}

/** "$1234.50": no thousands separator (toLocaleString is slow, and QuickBooks shows the text as it is). */
const dollars = (cents: number): string => `$${(BigInt(cents) / 100n).toString()}.${String(cents % 100).padStart(2, "0")}`

/** What a line sent as one unit bills, kept in its description: "2.5 × $33.33, 12 of 30 days". */
const billedAs = (line: CrmLine): string => {
  const days = line.prorationDays !== null && line.periodDays !== null && line.prorationDays !== line.periodDays
    ? `, ${line.prorationDays} of ${line.periodDays} days`
    : ""
  return `${quantityToQty(line.quantity)} × ${dollars(line.unitPriceCents)}${days}`
}

const salesLine = (line: CrmLine, itemId: string): SalesItemLineBody => {
  const exact = isExactLine(line)
  const description = exact ? line.description : `${line.description} (${billedAs(line)})`
  return {
    Description: clip(description, QBO_LIMITS.lineDescription),
    Amount: centsToAmount(line.subtotalCents),
    DetailType: "SalesItemLineDetail",
    SalesItemLineDetail: {
      ItemRef: { value: itemId },
      Qty: exact ? quantityToQty(line.quantity) : 1,
      UnitPrice: centsToAmount(exact ? line.unitPriceCents : line.subtotalCents),
      // QuickBooks US takes TAX or NON per line; the CRM's own tax figure is
      // sent as the invoice's TotalTax.
      TaxCodeRef: { value: line.taxCode !== null && line.taxRatePercent !== null ? "TAX" : "NON" },
      ...(line.periodFrom === null ? {} : { ServiceDate: line.periodFrom })
    }
  }
}

/**
 * An Invoice body: one SalesItemLineDetail line per CRM line (Amount = the
 * line's subtotal), the line discounts and the document discount as one
 * DiscountLineDetail line, the CRM's tax as TxnTaxDetail.TotalTax. So
 * sum(lines) − discount + tax = the CRM's total. Tax is after discount, as
 * the CRM computes it. Lines without a catalogue service (or whose service is
 * not mapped) use `fallbackItemId`, a generic "Services" item.
 */
export const invoiceBody = (
  invoice: Invoice,
  customerQboId: string,
  itemQboIdByServiceId: ReadonlyMap<string, string>,
  fallbackItemId?: string
): Result.Result<InvoiceBody, QboMappingError> => {
  const fail = (message: string) => Result.fail(new QboMappingError({ entity: "invoice", crmId: invoice.id, message }))
  if (invoice.issueDate === null) return fail("A draft invoice has no issue date; only issued invoices go to QuickBooks")
  const docNumber = String(invoice.number)
  if (docNumber.length > QBO_LIMITS.docNumber) return fail(`Invoice number ${docNumber} is longer than ${QBO_LIMITS.docNumber} characters`)
  const lines: Array<SalesItemLineBody | DiscountLineBody> = []
  for (const line of [...invoice.lines].sort((a, b) => a.position - b.position)) {
    const itemId = (line.serviceId === null ? undefined : itemQboIdByServiceId.get(line.serviceId)) ?? fallbackItemId
    if (itemId === undefined) {
      return fail(`Line ${line.position} has no QuickBooks item: its service is not pushed and no fallback item is set`)
    }
    lines.push(salesLine(line, itemId))
  }
  if (invoice.discountCents > 0) {
    lines.push({
      Description: "Discount",
      Amount: centsToAmount(invoice.discountCents),
      DetailType: "DiscountLineDetail",
      DiscountLineDetail: { PercentBased: false }
    })
  }
  return Result.succeed({
    DocNumber: docNumber,
    TxnDate: invoice.issueDate,
    ...(invoice.dueDate === null ? {} : { DueDate: invoice.dueDate }),
    CustomerRef: { value: customerQboId },
    Line: lines,
    ApplyTaxAfterDiscount: true,
    TxnTaxDetail: { TotalTax: centsToAmount(invoice.taxCents) }
  })
}

/** A Payment applied to the invoice it pays; dated the UTC day the money arrived, as CRM reports count it. */
export const paymentBody = (payment: Payment, customerQboId: string, invoiceQboId: string): PaymentBody =>
({
  TotalAmt: centsToAmount(payment.amountCents),
  TxnDate: dateOfEpochMillis(DateTime.toEpochMillis(payment.paidAt)),
  CustomerRef: { value: customerQboId },
  Line: [{ Amount: centsToAmount(payment.amountCents), LinkedTxn: [{ TxnId: invoiceQboId, TxnType: "Invoice" }] }],
  ...(payment.reference === null ? {} : { PaymentRefNum: clip(payment.reference, QBO_LIMITS.paymentRefNum) }),
  PrivateNote: `CRM payment ${payment.id} (${payment.method})`
})

/**
 * A sparse update: only the fields sent change in QuickBooks. `Id` and the
 * stored `SyncToken` say which version is updated; a stale token answers 5010.
 * (An invoice's `Line` array, when sent, replaces all its lines.)
 */
export const sparseBody = <A extends Readonly<Record<string, unknown>>>(
  _kind: QboEntityKind,
  qboId: string,
  syncToken: string,
  fields: A
): A & { readonly Id: string; readonly SyncToken: string; readonly sparse: true } => ({
  ...fields,
  Id: qboId,
  SyncToken: syncToken,
  sparse: true
})
