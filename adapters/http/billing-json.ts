import { Schema } from "effect"
import type { ServiceRemoval } from "../../application/billing/catalog.ts"
import type { RecordedPayment } from "../../application/billing/invoices.ts"
import type { ReceivablesReport, RevenueReport } from "../../application/billing/reports.ts"
import { Recurring } from "../../domain/billing/billing-period.ts"
import { type BillingRun, BillingSkipReason } from "../../domain/billing/billing-run.ts"
import type { CatalogService } from "../../domain/billing/catalog-service.ts"
import { type Customer, CustomerStatus } from "../../domain/billing/customer.ts"
import { type CustomerServiceDetails, CustomerServiceStatus } from "../../domain/billing/customer-service.ts"
import type { Discount } from "../../domain/billing/discount.ts"
import type { DocumentLine, InvoiceLine } from "../../domain/billing/document-line.ts"
import { balanceCents, type Invoice, InvoiceStatus, isOverdue } from "../../domain/billing/invoice.ts"
import type { LocalDate } from "../../domain/billing/local-date.ts"
import { type Payment, PaymentMethod } from "../../domain/billing/payment.ts"
import { type Quote, QuoteStatus } from "../../domain/billing/quote.ts"
import type { TaxRate } from "../../domain/billing/tax-rate.ts"
import { Email } from "../../domain/email.ts"
import { E164 } from "../../domain/phone.ts"
import { Uuid } from "../../domain/uuid.ts"
import { AddressJson, iso, Timestamp } from "./json-views.ts"

// Billing response bodies: plain JSON Schemas and the functions that build
// them (see json-views.ts). Every amount is a whole number of cents.

const Day = Schema.String.annotate({ format: "date", description: "YYYY-MM-DD" })
const Cents = Schema.Int.annotate({ description: "Cents" })

export const CustomerJson = Schema.Struct({
  id: Uuid,
  companyName: Schema.String,
  legalBusinessName: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Email),
  phone: Schema.NullOr(E164),
  billingAddress: Schema.NullOr(AddressJson),
  primaryContactId: Schema.NullOr(Uuid),
  taxExempt: Schema.Boolean,
  paymentTermsDays: Schema.Int,
  status: CustomerStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotate({ identifier: "Customer" })
export type CustomerJson = typeof CustomerJson.Type

export const customerJson = (customer: Customer): CustomerJson => ({
  id: customer.id,
  companyName: customer.companyName,
  legalBusinessName: customer.legalBusinessName,
  email: customer.email,
  phone: customer.phone,
  billingAddress: customer.billingAddress === null ? null : { ...customer.billingAddress },
  primaryContactId: customer.primaryContactId,
  taxExempt: customer.taxExempt,
  paymentTermsDays: customer.paymentTermsDays,
  status: customer.status,
  createdAt: iso(customer.createdAt),
  updatedAt: iso(customer.updatedAt)
})

export const ServiceJson = Schema.Struct({
  id: Uuid,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  unit: Schema.String,
  unitPriceCents: Cents,
  taxable: Schema.Boolean,
  recurring: Recurring,
  active: Schema.Boolean,
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotate({ identifier: "Service" })
export type ServiceJson = typeof ServiceJson.Type

export const serviceJson = (service: CatalogService): ServiceJson => ({
  id: service.id,
  name: service.name,
  description: service.description,
  unit: service.unit,
  unitPriceCents: service.unitPriceCents,
  taxable: service.taxable,
  recurring: service.recurring,
  active: service.active,
  createdAt: iso(service.createdAt),
  updatedAt: iso(service.updatedAt)
})

export const ServiceRemovalJson = Schema.Struct({
  outcome: Schema.Literals(["deleted", "deactivated"]).annotate({
    description: "`deactivated`: purchases, quotes or invoices name the service, so it is kept, inactive"
  }),
  service: ServiceJson
}).annotate({ identifier: "ServiceRemoval" })

export const serviceRemovalJson = (removal: ServiceRemoval): typeof ServiceRemovalJson.Type => ({
  outcome: removal.outcome,
  service: serviceJson(removal.service)
})

export const DiscountJson = Schema.Union([
  Schema.Struct({ type: Schema.Literal("none") }),
  Schema.Struct({ type: Schema.Literal("percent"), percent: Schema.Number }),
  Schema.Struct({ type: Schema.Literal("fixed"), amountCents: Cents })
]).annotate({ identifier: "DiscountView" })

const discountJson = (discount: Discount): typeof DiscountJson.Type => ({ ...discount })

export const CustomerServiceJson = Schema.Struct({
  id: Uuid,
  customerId: Uuid,
  companyName: Schema.String,
  serviceId: Uuid,
  serviceName: Schema.String,
  recurring: Recurring,
  quantity: Schema.Number,
  unitPriceCents: Cents,
  discount: DiscountJson,
  startDate: Day,
  endDate: Schema.NullOr(Day),
  status: CustomerServiceStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotate({ identifier: "CustomerService" })
export type CustomerServiceJson = typeof CustomerServiceJson.Type

export const customerServiceJson = (purchase: CustomerServiceDetails): CustomerServiceJson => ({
  id: purchase.id,
  customerId: purchase.customerId,
  companyName: purchase.companyName,
  serviceId: purchase.serviceId,
  serviceName: purchase.serviceName,
  recurring: purchase.recurring,
  quantity: purchase.quantity,
  unitPriceCents: purchase.unitPriceCents,
  discount: discountJson(purchase.discount),
  startDate: purchase.startDate,
  endDate: purchase.endDate,
  status: purchase.status,
  createdAt: iso(purchase.createdAt),
  updatedAt: iso(purchase.updatedAt)
})

const lineFields = {
  position: Schema.Int,
  serviceId: Schema.NullOr(Uuid),
  description: Schema.String,
  quantity: Schema.Number,
  unitPriceCents: Cents,
  discount: DiscountJson,
  taxCode: Schema.NullOr(Schema.String),
  taxRatePercent: Schema.NullOr(Schema.Number).annotate({ description: "The rate the line was taxed at" }),
  subtotalCents: Cents.annotate({ description: "quantity × unit price (prorated), rounded half up" }),
  discountCents: Cents.annotate({ description: "The line's own discount" }),
  totalCents: Cents.annotate({ description: "subtotal − discount" }),
  documentDiscountCents: Cents.annotate({ description: "This line's share of the document discount" }),
  taxCents: Cents,
  amountCents: Cents.annotate({ description: "total − document discount share + tax" })
}

export const QuoteLineJson = Schema.Struct(lineFields).annotate({ identifier: "QuoteLine" })
export const InvoiceLineJson = Schema.Struct({
  ...lineFields,
  customerServiceId: Schema.NullOr(Uuid).annotate({ description: "The purchase a billing run billed" }),
  periodFrom: Schema.NullOr(Day),
  periodTo: Schema.NullOr(Day),
  prorationDays: Schema.NullOr(Schema.Int).annotate({
    description: "A prorated line bills this many days of its service period: subtotal = quantity × unit price × " +
      "prorationDays ÷ periodDays, rounded half up. Null on a line billed whole"
  }),
  periodDays: Schema.NullOr(Schema.Int).annotate({
    description: "The days of the prorated line's service period (periodFrom to periodTo, both included); null on a line billed whole"
  })
}).annotate({ identifier: "InvoiceLine" })

const documentLineJson = (line: DocumentLine): typeof QuoteLineJson.Type => ({
  position: line.position,
  serviceId: line.serviceId,
  description: line.description,
  quantity: line.quantity,
  unitPriceCents: line.unitPriceCents,
  discount: discountJson(line.discount),
  taxCode: line.taxCode,
  taxRatePercent: line.taxRatePercent,
  subtotalCents: line.subtotalCents,
  discountCents: line.discountCents,
  totalCents: line.totalCents,
  documentDiscountCents: line.documentDiscountCents,
  taxCents: line.taxCents,
  amountCents: line.amountCents
})

const totalFields = {
  discount: DiscountJson.annotate({ description: "The document discount, shared among the lines before tax" }),
  subtotalCents: Cents.annotate({ description: "Sum of the lines' subtotals" }),
  discountCents: Cents.annotate({ description: "Line discounts plus the document discount" }),
  taxCents: Cents.annotate({ description: "Sum of the lines' tax" }),
  totalCents: Cents.annotate({ description: "subtotal − discount + tax" })
}

export const QuoteJson = Schema.Struct({
  id: Uuid,
  number: Schema.Int,
  customerId: Uuid,
  contactId: Schema.NullOr(Uuid),
  status: QuoteStatus.annotate({ description: "`expired`: sent, and past validUntil" }),
  validUntil: Schema.NullOr(Day),
  notes: Schema.NullOr(Schema.String),
  ...totalFields,
  lines: Schema.Array(QuoteLineJson),
  invoiceId: Schema.NullOr(Uuid).annotate({ description: "The invoice the quote was converted into" }),
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotate({ identifier: "Quote" })
export type QuoteJson = typeof QuoteJson.Type

export const quoteJson = (quote: Quote): QuoteJson => ({
  id: quote.id,
  number: quote.number,
  customerId: quote.customerId,
  contactId: quote.contactId,
  status: quote.status,
  validUntil: quote.validUntil,
  notes: quote.notes,
  discount: discountJson(quote.discount),
  subtotalCents: quote.subtotalCents,
  discountCents: quote.discountCents,
  taxCents: quote.taxCents,
  totalCents: quote.totalCents,
  lines: quote.lines.map(documentLineJson),
  invoiceId: quote.invoiceId,
  createdAt: iso(quote.createdAt),
  updatedAt: iso(quote.updatedAt)
})

export const InvoiceJson = Schema.Struct({
  id: Uuid,
  number: Schema.Int,
  customerId: Uuid,
  quoteId: Schema.NullOr(Uuid),
  billingPeriod: Schema.NullOr(Schema.String).annotate({ description: "YYYY-MM, for invoices made by a billing run" }),
  status: InvoiceStatus,
  overdue: Schema.Boolean.annotate({ description: "Past the due date with a balance left (today, UTC)" }),
  issueDate: Schema.NullOr(Day),
  dueDate: Schema.NullOr(Day),
  notes: Schema.NullOr(Schema.String),
  ...totalFields,
  paidCents: Cents,
  balanceCents: Cents.annotate({ description: "total − payments" }),
  lines: Schema.Array(InvoiceLineJson),
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotate({ identifier: "Invoice" })
export type InvoiceJson = typeof InvoiceJson.Type

export const invoiceJson = (today: LocalDate) => (invoice: Invoice): InvoiceJson => ({
  id: invoice.id,
  number: invoice.number,
  customerId: invoice.customerId,
  quoteId: invoice.quoteId,
  billingPeriod: invoice.billingPeriod,
  status: invoice.status,
  overdue: isOverdue(invoice, today),
  issueDate: invoice.issueDate,
  dueDate: invoice.dueDate,
  notes: invoice.notes,
  discount: discountJson(invoice.discount),
  subtotalCents: invoice.subtotalCents,
  discountCents: invoice.discountCents,
  taxCents: invoice.taxCents,
  totalCents: invoice.totalCents,
  paidCents: invoice.paidCents,
  balanceCents: balanceCents(invoice),
  lines: invoice.lines.map((line: InvoiceLine) => ({
    ...documentLineJson(line),
    customerServiceId: line.customerServiceId,
    periodFrom: line.periodFrom,
    periodTo: line.periodTo,
    prorationDays: line.prorationDays,
    periodDays: line.periodDays
  })),
  createdAt: iso(invoice.createdAt),
  updatedAt: iso(invoice.updatedAt)
})

export const PaymentJson = Schema.Struct({
  id: Uuid,
  invoiceId: Uuid,
  amountCents: Cents,
  paidAt: Timestamp,
  method: PaymentMethod,
  reference: Schema.NullOr(Schema.String),
  createdAt: Timestamp
}).annotate({ identifier: "Payment" })

export const paymentJson = (payment: Payment): typeof PaymentJson.Type => ({
  id: payment.id,
  invoiceId: payment.invoiceId,
  amountCents: payment.amountCents,
  paidAt: iso(payment.paidAt),
  method: payment.method,
  reference: payment.reference,
  createdAt: iso(payment.createdAt)
})

export const RecordedPaymentJson = Schema.Struct({ payment: PaymentJson, invoice: InvoiceJson })
  .annotate({ identifier: "RecordedPayment" })

export const recordedPaymentJson = (today: LocalDate) => (recorded: RecordedPayment): typeof RecordedPaymentJson.Type => ({
  payment: paymentJson(recorded.payment),
  invoice: invoiceJson(today)(recorded.invoice)
})

export const TaxRateJson = Schema.Struct({ code: Schema.String, name: Schema.String, ratePercent: Schema.Number })
  .annotate({ identifier: "TaxRateView" })
export const taxRateJson = (rate: TaxRate): typeof TaxRateJson.Type => ({ code: rate.code, name: rate.name, ratePercent: rate.ratePercent })

export const BillingRunJson = Schema.Struct({
  id: Uuid,
  period: Schema.String,
  ranAt: Timestamp,
  customersBilled: Schema.Int.annotate({ description: "Customers with something due this period, invoiced now or before" }),
  invoicesCreated: Schema.Int,
  invoicesExisting: Schema.Int.annotate({ description: "Customers already invoiced for the period" }),
  lines: Schema.Int,
  totalCents: Cents.annotate({ description: "Total of the invoices this run created" }),
  skippedByReason: Schema.Record(Schema.String, Schema.Int),
  skipped: Schema.Array(Schema.Struct({ customerServiceId: Uuid, customerId: Uuid, reason: BillingSkipReason }))
    .annotate({ description: "The skipped purchases (the first 1,000)" })
}).annotate({ identifier: "BillingRun" })

export const billingRunJson = (run: BillingRun): typeof BillingRunJson.Type => ({
  id: run.id,
  period: run.period,
  ranAt: iso(run.ranAt),
  customersBilled: run.customersBilled,
  invoicesCreated: run.invoicesCreated,
  invoicesExisting: run.invoicesExisting,
  lines: run.lines,
  totalCents: run.totalCents,
  skippedByReason: { ...run.skippedByReason },
  skipped: run.skipped.map((entry) => ({ ...entry }))
})

export const RevenueReportJson = Schema.Struct({
  from: Day,
  to: Day,
  groupBy: Schema.Literals(["service", "customer", "month"]),
  rows: Schema.Array(Schema.Struct({
    key: Schema.NullOr(Schema.String).annotate({ description: "Service id, customer id or YYYY-MM; null for lines without a service" }),
    label: Schema.String,
    invoicedCents: Cents,
    paidCents: Cents
  })),
  invoicedCents: Cents.annotate({ description: "Issued invoices' totals, by issue date, over the whole range" }),
  paidCents: Cents.annotate({ description: "Payments, by payment date (UTC), over the whole range" }),
  nextCursor: Schema.NullOr(Schema.String).annotate({
    description: "groupBy=customer: pass as `cursor` for the next page; null on the last page and for the other groupings"
  })
}).annotate({ identifier: "RevenueReport" })

export const revenueReportJson = (report: RevenueReport, nextCursor: string | null): typeof RevenueReportJson.Type => ({
  from: report.from,
  to: report.to,
  groupBy: report.groupBy,
  rows: report.rows.map((row) => ({ ...row })),
  invoicedCents: report.invoicedCents,
  paidCents: report.paidCents,
  nextCursor
})

const agingFields = {
  currentCents: Cents.annotate({ description: "Not yet due" }),
  days1to30Cents: Cents,
  days31to60Cents: Cents,
  days61to90Cents: Cents,
  days90PlusCents: Cents,
  totalCents: Cents
}

export const ReceivablesReportJson = Schema.Struct({
  asOf: Day,
  customers: Schema.Array(Schema.Struct({ customerId: Uuid, companyName: Schema.String, ...agingFields })),
  total: Schema.Struct(agingFields)
}).annotate({ identifier: "ReceivablesReport" })

export const receivablesReportJson = (report: ReceivablesReport): typeof ReceivablesReportJson.Type => ({
  asOf: report.asOf,
  customers: report.customers.map((row) => ({ ...row })),
  total: { ...report.total }
})
