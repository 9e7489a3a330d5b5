import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import {
  type CustomerServiceQuery,
  CustomerServiceRepository
} from "../../application/ports/customer-service-repository.ts"
import { type CustomerService, CustomerServiceId } from "../../domain/billing/customer-service.ts"
import { discountToColumns } from "../../domain/billing/discount.ts"
import { deleteOutcome } from "./billing-row.ts"
import { decodeDetails, SELECT } from "./customer-service-row.ts"

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
