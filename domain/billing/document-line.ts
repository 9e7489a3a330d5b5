import { Schema } from "effect"
import { OptionalText } from "../text.ts"
import { IdInput } from "../uuid.ts"
import { ServiceId } from "./catalog-service.ts"
import { type CustomerServiceId } from "./customer-service.ts"
import { Discount } from "./discount.ts"
import { Cents } from "./money.ts"
import type { PricedLine } from "./pricing.ts"
import { Quantity } from "./quantity.ts"
import { TaxCode } from "./tax-rate.ts"

export const MAX_LINES = 500

/** A line as a client writes it on a quote or an invoice. */
export const LineInput = Schema.Struct({
  // These two are transformations: their JSON Schema is the encoded side, so
  // the description goes there (`.annotate` would document the decoded side).
  serviceId: Schema.optionalKey(
    IdInput(ServiceId).pipe(Schema.annotateEncoded({ description: "A catalogue service; fills the defaults below" }))
  ),
  description: Schema.optionalKey(
    OptionalText(500).pipe(Schema.annotateEncoded({ description: "Required without serviceId; default the service's name" }))
  ),
  quantity: Schema.optionalKey(Quantity.annotate({ description: "Default 1" })),
  unitPriceCents: Schema.optionalKey(Cents.annotate({ description: "Required without serviceId; default the catalogue price" })),
  discount: Schema.optionalKey(Discount),
  taxCode: Schema.optionalKey(Schema.NullOr(TaxCode).annotate({
    description: "Default: `standard` for a taxable service, none (untaxed) otherwise; null: untaxed"
  }))
}).annotate({ identifier: "LineInput" })
export type LineInput = typeof LineInput.Type

export const LinesInput = Schema.Array(LineInput).check(Schema.isMinLength(1), Schema.isMaxLength(MAX_LINES))

/** What a line says before it is priced. */
export interface LineTerms {
  readonly serviceId: ServiceId | null
  readonly description: string
  readonly quantity: number
  readonly unitPriceCents: number
  readonly discount: Discount
  readonly taxCode: string | null
}

/** A priced line of a quote or an invoice. */
export interface DocumentLine extends LineTerms, PricedLine {
  readonly position: number
  /** The rate the line was taxed at, kept so later rate changes leave it alone. */
  readonly taxRatePercent: number | null
}

/** Invoice lines from a billing run also name the purchase and the days billed. */
export interface InvoiceLine extends DocumentLine {
  readonly customerServiceId: CustomerServiceId | null
  readonly periodFrom: string | null
  readonly periodTo: string | null
  /**
   * A prorated line bills `prorationDays` of the `periodDays` days of its
   * service period (subtotal = quantity × unit price × prorationDays ÷
   * periodDays); both are `null` on a line billed whole.
   */
  readonly prorationDays: number | null
  readonly periodDays: number | null
}

/** An invoice line written by hand or copied from a quote: no purchase, no service period. */
export const plainInvoiceLine = (line: DocumentLine): InvoiceLine => ({
  ...line,
  customerServiceId: null,
  periodFrom: null,
  periodTo: null,
  prorationDays: null,
  periodDays: null
})

/** A document's totals, all sums of its lines. */
export interface DocumentTotals {
  readonly subtotalCents: number
  readonly discountCents: number
  readonly taxCents: number
  readonly totalCents: number
}
