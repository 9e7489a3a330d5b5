import { DateTime, Effect, Layer, Option, Schema } from "effect"
import type { SqlError } from "effect/sql"
import { SqlClient } from "effect/sql"
import { type ServiceQuery, ServiceRepository } from "../../application/ports/service-repository.ts"
import { Recurring } from "../../domain/billing/billing-period.ts"
import { type CatalogService, ServiceId } from "../../domain/billing/catalog-service.ts"
import { searchWords } from "../../application/contacts/search-words.ts"
import { deleteOutcome, Int8 } from "./billing-row.ts"
import { likePattern } from "./like-pattern.ts"

const ServiceRow = Schema.Struct({
  id: ServiceId,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  unit: Schema.String,
  unit_price_cents: Int8,
  taxable: Schema.Boolean,
  recurring: Recurring,
  active: Schema.Boolean,
  created_at: Schema.Date,
  updated_at: Schema.Date
})
type ServiceRow = typeof ServiceRow.Type

const COLUMNS = Object.keys(ServiceRow.fields).join(", ")

/** The unique index that keeps active services' names apart (case-insensitive). */
const ACTIVE_NAME_INDEX = "services_active_name"

const serviceFromRow = (row: ServiceRow): CatalogService => ({
  id: row.id,
  name: row.name,
  description: row.description,
  unit: row.unit,
  unitPriceCents: row.unit_price_cents,
  taxable: row.taxable,
  recurring: row.recurring,
  active: row.active,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at)
})

const serviceToColumns = (service: CatalogService) => ({
  id: service.id,
  name: service.name,
  description: service.description,
  unit: service.unit,
  unit_price_cents: service.unitPriceCents,
  taxable: service.taxable,
  recurring: service.recurring,
  active: service.active,
  created_at: DateTime.toDateUtc(service.createdAt),
  updated_at: DateTime.toDateUtc(service.updatedAt)
})

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(ServiceRow))
const decodeServices = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => list.map(serviceFromRow))

export const SqlServiceRepository = Layer.effect(
  ServiceRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal(COLUMNS)

    /**
     * Runs a write in a transaction of its own (a savepoint inside an outer
     * one, so the outer transaction stays usable) and answers `name-taken`
     * when the active-name index refuses it.
     */
    const unlessNameTaken = (statement: Effect.Effect<unknown, SqlError.SqlError>) =>
      sql.withTransaction(statement).pipe(
        Effect.as<"ok" | "name-taken">("ok"),
        Effect.catchReason("SqlError", "UniqueViolation", (reason) =>
          reason.constraint === ACTIVE_NAME_INDEX ? Effect.succeed("name-taken" as const) : Effect.die(reason)),
        Effect.orDie
      )

    const insert = (service: CatalogService) =>
      unlessNameTaken(sql`INSERT INTO services ${sql.insert(serviceToColumns(service))}`)

    const update = (service: CatalogService) => {
      const { id, created_at: _createdAt, ...changes } = serviceToColumns(service)
      return unlessNameTaken(sql`UPDATE services SET ${sql.update(changes)} WHERE id = ${id}`)
    }

    const findById = (id: ServiceId) =>
      sql`SELECT ${columns} FROM services WHERE id = ${id}`.pipe(
        Effect.flatMap(decodeServices),
        Effect.map((list) => Option.fromNullishOr(list[0])),
        Effect.orDie
      )

    const findByIds = (ids: ReadonlyArray<ServiceId>) =>
      ids.length === 0
        ? Effect.succeed([])
        : sql`SELECT ${columns} FROM services WHERE id = ANY(${[...ids]}::uuid[])`.pipe(
          Effect.flatMap(decodeServices),
          Effect.orDie
        )

    // Purchases and quote and invoice lines reference services ON DELETE RESTRICT.
    const remove = (id: ServiceId) => deleteOutcome(sql, sql`DELETE FROM services WHERE id = ${id} RETURNING id`)

    const list = (query: ServiceQuery) => {
      const conditions = [
        query.active === undefined ? sql`TRUE` : sql`active = ${query.active}`,
        query.after === undefined ? sql`TRUE` : sql`id > ${query.after}`,
        ...searchWords(query.q ?? "").map((word) => sql`name ILIKE ${likePattern(word)}`)
      ]
      return sql`SELECT ${columns} FROM services WHERE ${sql.and(conditions)} ORDER BY id LIMIT ${query.limit}`.pipe(
        Effect.flatMap(decodeServices),
        Effect.orDie
      )
    }

    return ServiceRepository.of({ insert, update, findById, findByIds, delete: remove, list })
  })
)
