import { DateTime, Result, Schema } from "effect"
import { ServiceId, type CatalogService } from "../../../domain/billing/catalog-service.ts"
import { type Customer, CustomerId } from "../../../domain/billing/customer.ts"
import { InvoiceId } from "../../../domain/billing/document-ids.ts"
import type { InvoiceLine } from "../../../domain/billing/document-line.ts"
import type { Discount } from "../../../domain/billing/discount.ts"
import type { Invoice } from "../../../domain/billing/invoice.ts"
import { type Payment, PaymentId } from "../../../domain/billing/payment.ts"
import { type PricingLine, priceDocument } from "../../../domain/billing/pricing.ts"
import { type DocumentDiscountSpec, type LineSpec, toLine } from "../domain/billing/billing-arbitraries.ts"

/** CRM billing records for the QuickBooks mapping tests, priced by the domain's own pricing. */

export const CUSTOMER_ID = Schema.decodeSync(CustomerId)("0190a4c2-1111-7000-8000-000000000001")
export const INVOICE_ID = Schema.decodeSync(InvoiceId)("0190a4c2-2222-7000-8000-000000000002")
export const PAYMENT_ID = Schema.decodeSync(PaymentId)("0190a4c2-3333-7000-8000-000000000003")
export const SERVICE_ID = Schema.decodeSync(ServiceId)("0190a4c2-4444-7000-8000-000000000004")
export const OTHER_SERVICE_ID = Schema.decodeSync(ServiceId)("0190a4c2-4444-7000-8000-000000000005")

const AT = DateTime.makeUnsafe("2026-11-21T15:04:05Z")

export const customer = (overrides: Partial<Customer> = {}): Customer => ({
  id: CUSTOMER_ID,
  companyName: "Acme Foundations",
  legalBusinessName: null,
  email: "ap@acme.example",
  phone: "+14155552671",
  billingAddress: { street: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701" },
  primaryContactId: null,
  taxExempt: false,
  paymentTermsDays: 30,
  status: "active",
  createdAt: AT,
  updatedAt: AT,
  ...overrides
})

export const service = (overrides: Partial<CatalogService> = {}): CatalogService => ({
  id: SERVICE_ID,
  name: "Crack injection",
  description: "Epoxy injection per linear foot",
  unit: "linear_foot",
  unitPriceCents: 4550,
  taxable: true,
  recurring: "none",
  active: true,
  createdAt: AT,
  updatedAt: AT,
  ...overrides
})

/** A line as the test states it; pricing fills its figures. */
export interface TestLine extends PricingLine {
  readonly serviceId?: typeof SERVICE_ID | null
  readonly description?: string
  readonly periodFrom?: string | null
}

/** An issued invoice whose figures come from `priceDocument`. */
export const pricedInvoice = (
  lines: ReadonlyArray<TestLine>,
  documentDiscount: Discount = { type: "none" },
  taxExempt = false
): Invoice => {
  const priced = priceDocument({ lines, documentDiscount, taxExempt })
  if (Result.isFailure(priced)) throw new Error(`test invoice does not price: ${priced.failure.message}`)
  const document = priced.success
  const invoiceLines = lines.map((line, index): InvoiceLine => ({
    ...document.lines[index]!,
    position: index + 1,
    serviceId: line.serviceId === undefined ? SERVICE_ID : line.serviceId,
    description: line.description ?? `Line ${index + 1}`,
    quantity: line.quantity,
    unitPriceCents: line.unitPriceCents,
    discount: line.discount,
    taxCode: line.taxRatePercent === null ? null : "standard",
    taxRatePercent: line.taxRatePercent,
    customerServiceId: null,
    periodFrom: line.periodFrom ?? null,
    periodTo: null,
    prorationDays: line.proration?.days ?? null,
    periodDays: line.proration?.periodDays ?? null
  }))
  return {
    id: INVOICE_ID,
    number: 1042,
    customerId: CUSTOMER_ID,
    quoteId: null,
    billingPeriod: null,
    status: "issued",
    issueDate: "2026-11-21",
    dueDate: "2026-12-21",
    discount: documentDiscount,
    notes: null,
    lines: invoiceLines,
    paidCents: 0,
    subtotalCents: document.subtotalCents,
    discountCents: document.discountCents,
    taxCents: document.taxCents,
    totalCents: document.totalCents,
    createdAt: AT,
    updatedAt: AT
  }
}

/**
 * An invoice from generated lines and a document discount spec (a fixed
 * discount is a share of what the lines leave), or undefined when the
 * generated lines do not price (no lines, or a refusal the pricing tests cover).
 */
export const generatedInvoice = (
  specs: ReadonlyArray<LineSpec>,
  discountSpec: DocumentDiscountSpec,
  taxExempt: boolean
): Invoice | undefined => {
  const lines = specs.map(toLine)
  if (lines.length === 0) return undefined
  const undiscounted = priceDocument({ lines, documentDiscount: NO_DISCOUNT, taxExempt })
  if (Result.isFailure(undiscounted)) return undefined
  const documentDiscount: Discount = discountSpec.type === "none"
    ? NO_DISCOUNT
    : discountSpec.type === "percent"
    ? { type: "percent", percent: Number(discountSpec.bp) / 100 }
    : {
      type: "fixed",
      amountCents: Math.floor((undiscounted.success.subtotalCents - undiscounted.success.discountCents) * discountSpec.permille / 1000)
    }
  return pricedInvoice(lines, documentDiscount, taxExempt)
}

export const payment = (overrides: Partial<Payment> = {}): Payment => ({
  id: PAYMENT_ID,
  invoiceId: INVOICE_ID,
  amountCents: 12_345,
  paidAt: DateTime.makeUnsafe("2026-11-22T23:30:00Z"),
  method: "check",
  reference: "Check 1001",
  createdAt: AT,
  ...overrides
})

export const NO_DISCOUNT: Discount = { type: "none" }
