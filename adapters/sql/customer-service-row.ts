import { DateTime, Effect, Schema } from "effect"
import type { BillableService } from "../../application/ports/billing-run-repository.ts"
import { Recurring } from "../../domain/billing/billing-period.ts"
import { ServiceId } from "../../domain/billing/catalog-service.ts"
import { CustomerId, CustomerStatus } from "../../domain/billing/customer.ts"
import { type CustomerServiceDetails, CustomerServiceId, CustomerServiceStatus } from "../../domain/billing/customer-service.ts"
import { discountFromColumns } from "../../domain/billing/discount.ts"
import { QUANTITY_PLACES } from "../../domain/billing/quantity.ts"
import { DateText, dateText, DiscountType, Int8, Numeric } from "./billing-row.ts"

export const DetailsRow = Schema.Struct({
  id: CustomerServiceId,
  customer_id: CustomerId,
  service_id: ServiceId,
  quantity: Numeric(QUANTITY_PLACES),
  unit_price_cents: Int8,
  discount_type: DiscountType,
  discount_value: Int8,
  start_date: DateText,
  end_date: Schema.NullOr(DateText),
  status: CustomerServiceStatus,
  created_at: Schema.Date,
  updated_at: Schema.Date,
  company_name: Schema.String,
  service_name: Schema.String,
  recurring: Recurring,
  customer_status: CustomerStatus,
  tax_exempt: Schema.Boolean,
  taxable: Schema.Boolean
})
type DetailsRow = typeof DetailsRow.Type

/** A purchase with its customer's and service's names and what billing needs of them (aliases cs, c, s). */
export const SELECT = `
  SELECT cs.id, cs.customer_id, cs.service_id, cs.quantity::text AS quantity, cs.unit_price_cents, cs.discount_type,
         cs.discount_value, ${dateText("cs.start_date")}, ${dateText("cs.end_date")}, cs.status, cs.created_at,
         cs.updated_at, c.company_name, s.name AS service_name, s.recurring,
         c.status AS customer_status, c.tax_exempt, s.taxable
    FROM customer_services cs
    JOIN customers c ON c.id = cs.customer_id
    JOIN services s ON s.id = cs.service_id`

export const detailsFromRow = (row: DetailsRow): CustomerServiceDetails => ({
  id: row.id,
  customerId: row.customer_id,
  serviceId: row.service_id,
  quantity: row.quantity,
  unitPriceCents: row.unit_price_cents,
  discount: discountFromColumns(row.discount_type, row.discount_value),
  startDate: row.start_date,
  endDate: row.end_date,
  status: row.status,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at),
  companyName: row.company_name,
  serviceName: row.service_name,
  recurring: row.recurring
})

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(DetailsRow))

export const decodeDetails = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => list.map(detailsFromRow))

export const decodeBillable = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeRows(rows), (list) =>
    list.map((row): BillableService => ({
      ...detailsFromRow(row),
      customerStatus: row.customer_status,
      taxExempt: row.tax_exempt,
      taxable: row.taxable
    })))
