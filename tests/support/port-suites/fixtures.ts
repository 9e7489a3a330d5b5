import { DateTime } from "effect"
import { v7 } from "uuid"
import { ApiToken, ApiTokenId } from "../../../application/auth/api-token.ts"
import type { StoredToken } from "../../../application/ports/token-repository.ts"
import type { NewInvoiceRecord } from "../../../application/ports/invoice-repository.ts"
import type { NewQuoteRecord } from "../../../application/ports/quote-repository.ts"
import { type BillingRun, BillingRunId } from "../../../domain/billing/billing-run.ts"
import { type CatalogService, ServiceId } from "../../../domain/billing/catalog-service.ts"
import { type Customer, CustomerId } from "../../../domain/billing/customer.ts"
import { type CustomerService, CustomerServiceId } from "../../../domain/billing/customer-service.ts"
import type { DocumentLine, InvoiceLine } from "../../../domain/billing/document-line.ts"
import { InvoiceId } from "../../../domain/billing/invoice.ts"
import { type Payment, PaymentId } from "../../../domain/billing/payment.ts"
import { QuoteId } from "../../../domain/billing/quote.ts"
import { type Contact, ContactId } from "../../../domain/contact.ts"
import { Actor, ContactMergeId, ContactMergeRecord, ReferenceMove } from "../../../domain/contact-merge-record.ts"

// Rows as the use cases would hand them to a port. Ids are fresh UUIDv7s, so
// rows made later sort later, in memory and in PostgreSQL alike.

export const at = (iso: string) => DateTime.fromDateUnsafe(new Date(iso))
export const created = at("2026-03-01T10:11:12.345Z")
export const updated = at("2026-03-02T08:00:00.001Z")

/** Ids in the order a keyset page lists them. */
export const sortedIds = <A extends string>(ids: ReadonlyArray<A>): Array<A> => [...ids].sort()
export const idsOf = <A extends string>(rows: ReadonlyArray<{ readonly id: A }>): Array<A> => rows.map((row) => row.id)

export const makeContact = (fields: Partial<Contact> = {}): Contact => ({
  id: ContactId.make(v7()),
  firstName: "Ann",
  lastName: null,
  phone: null,
  phoneExtension: null,
  email: null,
  company: null,
  address: null,
  tags: [],
  notes: null,
  status: "active",
  mergedIntoId: null,
  source: null,
  createdAt: created,
  updatedAt: created,
  ...fields
})

export const makeMerge = (primary: Contact, secondary: Contact, fields: Partial<ContactMergeRecord> = {}) =>
  new ContactMergeRecord({
    id: ContactMergeId.make(v7()),
    primaryId: primary.id,
    secondaryId: secondary.id,
    mergedAt: updated,
    mergedBy: new Actor({ tokenId: null, name: "port suite" }),
    primaryBefore: primary,
    secondaryBefore: secondary,
    primaryAfter: { ...primary, tags: [...primary.tags, ...secondary.tags], updatedAt: updated },
    secondaryAfter: { ...secondary, status: "merged", mergedIntoId: primary.id, updatedAt: updated },
    fieldSources: {
      firstName: "primary",
      lastName: "secondary",
      phone: "primary",
      phoneExtension: "none",
      email: "secondary",
      company: "none",
      address: "none",
      tags: "both",
      notes: "none"
    },
    movedReferences: [new ReferenceMove({ table: "customers", column: "primary_contact_id", rowIds: [v7()] })],
    undoneAt: null,
    undoneBy: null,
    ...fields
  })

export const makeToken = (fields: Partial<ApiToken> = {}, secretHash = `sha256-${v7()}`): StoredToken => ({
  token: new ApiToken({
    id: ApiTokenId.make(v7()),
    name: "ops",
    role: "staff",
    source: "api",
    createdAt: created,
    lastUsedAt: null,
    revokedAt: null,
    ...fields
  }),
  secretHash
})

export const makeCustomer = (fields: Partial<Customer> = {}): Customer => ({
  id: CustomerId.make(v7()),
  companyName: "Acme Foundations",
  legalBusinessName: null,
  email: null,
  phone: null,
  billingAddress: null,
  primaryContactId: null,
  taxExempt: false,
  paymentTermsDays: 30,
  status: "active",
  createdAt: created,
  updatedAt: created,
  ...fields
})

export const makeService = (fields: Partial<CatalogService> = {}): CatalogService => ({
  id: ServiceId.make(v7()),
  name: `Service ${v7()}`,
  description: null,
  unit: "each",
  unitPriceCents: 10_000,
  taxable: true,
  recurring: "none",
  active: true,
  createdAt: created,
  updatedAt: created,
  ...fields
})

export const makePurchase = (customer: Customer, service: CatalogService, fields: Partial<CustomerService> = {}): CustomerService => ({
  id: CustomerServiceId.make(v7()),
  customerId: customer.id,
  serviceId: service.id,
  quantity: 1,
  unitPriceCents: service.unitPriceCents,
  discount: { type: "none" },
  startDate: "2026-01-01",
  endDate: null,
  status: "active",
  createdAt: created,
  updatedAt: created,
  ...fields
})

/** Lines whose figures satisfy the tables' CHECKs (amount = total − document share + tax). */
export const line = (position: number, fields: Partial<DocumentLine> = {}): DocumentLine => ({
  position,
  serviceId: null,
  description: `Line ${position}`,
  quantity: 1,
  unitPriceCents: 5_000,
  discount: { type: "none" },
  taxCode: null,
  taxRatePercent: null,
  subtotalCents: 5_000,
  discountCents: 0,
  totalCents: 5_000,
  documentDiscountCents: 0,
  taxCents: 0,
  amountCents: 5_000,
  ...fields
})

export const invoiceLine = (position: number, fields: Partial<InvoiceLine> = {}): InvoiceLine => ({
  ...line(position),
  customerServiceId: null,
  periodFrom: null,
  periodTo: null,
  prorationDays: null,
  periodDays: null,
  ...fields
})

/** Totals as the sums of the lines' figures. */
export const totals = (lines: ReadonlyArray<DocumentLine>) => {
  const sum = (f: (l: DocumentLine) => number) => lines.reduce((total, l) => total + f(l), 0)
  return {
    subtotalCents: sum((l) => l.subtotalCents),
    discountCents: sum((l) => l.discountCents + l.documentDiscountCents),
    taxCents: sum((l) => l.taxCents),
    totalCents: sum((l) => l.amountCents)
  }
}

export const makeQuote = (customer: Customer, lines: ReadonlyArray<DocumentLine>, fields: Partial<NewQuoteRecord> = {}): NewQuoteRecord => ({
  id: QuoteId.make(v7()),
  customerId: customer.id,
  contactId: null,
  status: "draft",
  validUntil: null,
  discount: { type: "none" },
  notes: null,
  ...totals(lines),
  lines,
  invoiceId: null,
  createdAt: created,
  updatedAt: created,
  ...fields
})

export const makeInvoice = (
  customer: Customer,
  lines: ReadonlyArray<InvoiceLine>,
  fields: Partial<NewInvoiceRecord> = {}
): NewInvoiceRecord => ({
  id: InvoiceId.make(v7()),
  customerId: customer.id,
  quoteId: null,
  billingPeriod: null,
  status: "draft",
  issueDate: null,
  dueDate: null,
  discount: { type: "none" },
  notes: null,
  ...totals(lines),
  lines,
  paidCents: 0,
  createdAt: created,
  updatedAt: created,
  ...fields
})

export const makePayment = (invoiceId: InvoiceId, amountCents: number, paidAt: string, fields: Partial<Payment> = {}): Payment => ({
  id: PaymentId.make(v7()),
  invoiceId,
  amountCents,
  paidAt: at(paidAt),
  method: "check",
  reference: null,
  createdAt: updated,
  ...fields
})

export const makeRun = (fields: Partial<BillingRun> = {}): BillingRun => ({
  id: BillingRunId.make(v7()),
  period: "2026-11",
  ranAt: at("2026-11-01T06:00:00.123Z"),
  customersBilled: 0,
  invoicesCreated: 0,
  invoicesExisting: 0,
  lines: 0,
  totalCents: 0,
  skippedByReason: {},
  skipped: [],
  ...fields
})

/** A line with a quantity of 2.5 hours, a 12.5% line discount, a document share and 8.875% tax. */
export const richLine = (position: number, serviceId: ServiceId | null): DocumentLine =>
  line(position, {
    serviceId,
    description: "Crack injection",
    quantity: 2.5,
    unitPriceCents: 12_345,
    discount: { type: "percent", percent: 12.5 },
    taxCode: "nyc",
    taxRatePercent: 8.875,
    subtotalCents: 30_863,
    discountCents: 3_858,
    totalCents: 27_005,
    documentDiscountCents: 1_000,
    taxCents: 2_308,
    amountCents: 28_313
  })

/** A small quantity (0.125) with a fixed discount and no tax. */
export const smallLine = (position: number): DocumentLine =>
  line(position, {
    description: "Sealant, partial tube",
    quantity: 0.125,
    unitPriceCents: 800,
    discount: { type: "fixed", amountCents: 50 },
    subtotalCents: 100,
    discountCents: 50,
    totalCents: 50,
    amountCents: 50
  })
