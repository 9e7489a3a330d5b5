import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import {
  type CustomerServiceQuery,
  CustomerServiceRepository
} from "../../application/ports/customer-service-repository.ts"
import { Recurring } from "../../domain/billing/billing-period.ts"
import { ServiceId } from "../../domain/billing/catalog-service.ts"
import { CustomerId } from "../../domain/billing/customer.ts"
import {
  type CustomerService,
  type CustomerServiceDetails,
  CustomerServiceId,
  CustomerServiceStatus
} from "../../domain/billing/customer-service.ts"
import { discountFromColumns, discountToColumns } from "../../domain/billing/discount.ts"
import { QUANTITY_PLACES } from "../../domain/billing/quantity.ts"
import { DateText, dateText, deleteOutcome, DiscountType, Int8, Numeric } from "./billing-row.ts"

const DetailsRow = Schema.Struct({
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
  recurring: Recurring
})
type DetailsRow = typeof DetailsRow.Type

/** A purchase with its customer's and service's names (aliases cs, c, s). */
const SELECT = `
  SELECT cs.id, cs.customer_id, cs.service_id, cs.quantity::text AS quantity, cs.unit_price_cents, cs.discount_type,
         cs.discount_value, ${dateText("cs.start_date")}, ${dateText("cs.end_date")}, cs.status, cs.created_at,
         cs.updated_at, c.company_name, s.name AS service_name, s.recurring
    FROM customer_services cs
    JOIN customers c ON c.id = cs.customer_id
    JOIN services s ON s.id = cs.service_id`

const detailsFromRow = (row: DetailsRow): CustomerServiceDetails => ({
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

/** Quantities have at most 3 decimals, which numeric(12, 3) holds exactly; a string binds as numeric. */
const purchaseToColumns = (purchase: CustomerService) => {
  const discount = discountToColumns(purchase.discount)
  return {
    id: purchase.id,
    customer_id: purchase.customerId,
    service_id: purchase.serviceId,
    quantity: String(purchase.quantity),
    unit_price_cents: purchase.unitPriceCents,
    discount_type: discount.type,
    discount_value: discount.value,
    start_date: purchase.startDate,
    end_date: purchase.endDate,
    status: purchase.status,
    created_at: DateTime.toDateUtc(purchase.createdAt),
    updated_at: DateTime.toDateUtc(purchase.updatedAt)
  }
}

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(DetailsRow))
const decodeDetails = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => list.map(detailsFromRow))

export const SqlCustomerServiceRepository = Layer.effect(
  CustomerServiceRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const select = sql.literal(SELECT)

    const insert = (purchase: CustomerService) =>
      sql`INSERT INTO customer_services ${sql.insert(purchaseToColumns(purchase))}`.pipe(Effect.asVoid, Effect.orDie)

    // The customer and the service are fixed at purchase.
    const update = (purchase: CustomerService) => {
      const {
        id,
        customer_id: _customerId,
        service_id: _serviceId,
        created_at: _createdAt,
        ...changes
      } = purchaseToColumns(purchase)
      return sql`UPDATE customer_services SET ${sql.update(changes)} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie)
    }

    const findById = (id: CustomerServiceId) =>
      sql`${select} WHERE cs.id = ${id}`.pipe(
        Effect.flatMap(decodeDetails),
        Effect.map((list) => Option.fromNullishOr(list[0])),
        Effect.orDie
      )

    // Invoice lines reference purchases ON DELETE RESTRICT.
    const remove = (id: CustomerServiceId) =>
      deleteOutcome(sql, sql`DELETE FROM customer_services WHERE id = ${id} RETURNING id`)

    const list = (query: CustomerServiceQuery) => {
      const conditions = [
        query.customerId === undefined ? sql`TRUE` : sql`cs.customer_id = ${query.customerId}`,
        query.serviceId === undefined ? sql`TRUE` : sql`cs.service_id = ${query.serviceId}`,
        query.status === undefined ? sql`TRUE` : sql`cs.status = ${query.status}`,
        query.after === undefined ? sql`TRUE` : sql`cs.id > ${query.after}`
      ]
      return sql`${select} WHERE ${sql.and(conditions)} ORDER BY cs.id LIMIT ${query.limit}`.pipe(
        Effect.flatMap(decodeDetails),
        Effect.orDie
      )
    }

    return CustomerServiceRepository.of({ insert, update, findById, delete: remove, list })
  })
)
