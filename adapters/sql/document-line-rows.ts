import { Schema } from "effect"
import { ServiceId } from "../../domain/billing/catalog-service.ts"
import { CustomerServiceId } from "../../domain/billing/customer-service.ts"
import { type Discount, discountFromColumns, discountToColumns } from "../../domain/billing/discount.ts"
import type { DocumentLine, DocumentTotals, InvoiceLine } from "../../domain/billing/document-line.ts"
import { QUANTITY_PLACES } from "../../domain/billing/quantity.ts"
import { DateText, dateText, DiscountType, Int8, Numeric } from "./billing-row.ts"

/** Decimals of `tax_rate_percent` (numeric(7, 4)) and `tax_rates.rate_percent`. */
export const RATE_PLACES = 4

/**
 * The columns every quote and invoice line has, as selected: numerics as
 * text, so their exact decimal spelling reaches `Numeric`.
 */
export const LINE_SELECT = [
  "position", "service_id", "description", "quantity::text AS quantity", "unit_price_cents", "discount_type",
  "discount_value", "tax_code", "tax_rate_percent::text AS tax_rate_percent", "subtotal_cents", "discount_cents",
  "total_cents", "document_discount_cents", "tax_cents", "amount_cents"
].join(", ")

/** An invoice line's extra columns, as selected. */
export const INVOICE_LINE_EXTRA_SELECT = [
  "customer_service_id", dateText("period_from"), dateText("period_to"), "proration_days", "period_days"
].join(", ")

export const LineRow = Schema.Struct({
  position: Schema.Int,
  service_id: Schema.NullOr(ServiceId),
  description: Schema.String,
  quantity: Numeric(QUANTITY_PLACES),
  unit_price_cents: Int8,
  discount_type: DiscountType,
  discount_value: Int8,
  tax_code: Schema.NullOr(Schema.String),
  tax_rate_percent: Schema.NullOr(Numeric(RATE_PLACES)),
  subtotal_cents: Int8,
  discount_cents: Int8,
  total_cents: Int8,
  document_discount_cents: Int8,
  tax_cents: Int8,
  amount_cents: Int8
})
export type LineRow = typeof LineRow.Type

export const InvoiceLineRow = Schema.Struct({
  ...LineRow.fields,
  customer_service_id: Schema.NullOr(CustomerServiceId),
  period_from: Schema.NullOr(DateText),
  period_to: Schema.NullOr(DateText),
  proration_days: Schema.NullOr(Schema.Int),
  period_days: Schema.NullOr(Schema.Int)
})
export type InvoiceLineRow = typeof InvoiceLineRow.Type

export const lineFromRow = (row: LineRow): DocumentLine => ({
  position: row.position,
  serviceId: row.service_id,
  description: row.description,
  quantity: row.quantity,
  unitPriceCents: row.unit_price_cents,
  discount: discountFromColumns(row.discount_type, row.discount_value),
  taxCode: row.tax_code,
  taxRatePercent: row.tax_rate_percent,
  subtotalCents: row.subtotal_cents,
  discountCents: row.discount_cents,
  totalCents: row.total_cents,
  documentDiscountCents: row.document_discount_cents,
  taxCents: row.tax_cents,
  amountCents: row.amount_cents
})

export const invoiceLineFromRow = (row: InvoiceLineRow): InvoiceLine => ({
  ...lineFromRow(row),
  customerServiceId: row.customer_service_id,
  periodFrom: row.period_from,
  periodTo: row.period_to,
  prorationDays: row.proration_days,
  periodDays: row.period_days
})

/**
 * A line's columns for an insert. Decimals go as strings: the parameter is
 * then typed by the column (numeric), and the domain keeps quantities to 3
 * and rates to 4 decimals, which the columns hold exactly.
 */
export const lineColumns = (line: DocumentLine) => {
  const discount = discountToColumns(line.discount)
  return {
    position: line.position,
    service_id: line.serviceId,
    description: line.description,
    quantity: String(line.quantity),
    unit_price_cents: line.unitPriceCents,
    discount_type: discount.type,
    discount_value: discount.value,
    tax_code: line.taxCode,
    tax_rate_percent: line.taxRatePercent === null ? null : String(line.taxRatePercent),
    subtotal_cents: line.subtotalCents,
    discount_cents: line.discountCents,
    total_cents: line.totalCents,
    document_discount_cents: line.documentDiscountCents,
    tax_cents: line.taxCents,
    amount_cents: line.amountCents
  }
}

export const invoiceLineColumns = (line: InvoiceLine) => ({
  ...lineColumns(line),
  customer_service_id: line.customerServiceId,
  period_from: line.periodFrom,
  period_to: line.periodTo,
  proration_days: line.prorationDays,
  period_days: line.periodDays
})

/** Columns bound per line row, with the document id; see the chunk sizes of the repositories. */
export const INVOICE_LINE_PARAMS = 1 + Object.keys(InvoiceLineRow.fields).length

/** The totals columns of quotes and invoices: the document discount and the sums of the lines. */
export const TOTALS_SELECT =
  "discount_type, discount_value, subtotal_cents, discount_cents, tax_cents, total_cents"

export const TotalsRow = Schema.Struct({
  discount_type: DiscountType,
  discount_value: Int8,
  subtotal_cents: Int8,
  discount_cents: Int8,
  tax_cents: Int8,
  total_cents: Int8
})
export type TotalsRow = typeof TotalsRow.Type

export const totalsFromRow = (row: TotalsRow): DocumentTotals & { readonly discount: Discount } => ({
  discount: discountFromColumns(row.discount_type, row.discount_value),
  subtotalCents: row.subtotal_cents,
  discountCents: row.discount_cents,
  taxCents: row.tax_cents,
  totalCents: row.total_cents
})

export const totalsColumns = (document: DocumentTotals & { readonly discount: Discount }) => {
  const discount = discountToColumns(document.discount)
  return {
    discount_type: discount.type,
    discount_value: discount.value,
    subtotal_cents: document.subtotalCents,
    discount_cents: document.discountCents,
    tax_cents: document.taxCents,
    total_cents: document.totalCents
  }
}

/** Lines of many documents, in the order given, by document id. */
export const groupBy = <Row, Line>(
  rows: ReadonlyArray<Row>,
  key: (row: Row) => string,
  toLine: (row: Row) => Line
): ReadonlyMap<string, ReadonlyArray<Line>> => {
  const groups = new Map<string, Array<Line>>()
  for (const row of rows) {
    const id = key(row)
    const group = groups.get(id)
    if (group === undefined) groups.set(id, [toLine(row)])
    else group.push(toLine(row))
  }
  return groups
}
