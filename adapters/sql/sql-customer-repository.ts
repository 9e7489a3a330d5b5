import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { searchWords } from "../../application/contacts/search-words.ts"
import { type CustomerQuery, CustomerRepository } from "../../application/ports/customer-repository.ts"
import { type Customer, CustomerId, CustomerStatus } from "../../domain/billing/customer.ts"
import { ContactId } from "../../domain/contact.ts"
import { deleteOutcome } from "./billing-row.ts"
import { likePattern } from "./like-pattern.ts"

const CustomerRow = Schema.Struct({
  id: CustomerId,
  company_name: Schema.String,
  legal_business_name: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  billing_street: Schema.NullOr(Schema.String),
  billing_city: Schema.NullOr(Schema.String),
  billing_state: Schema.NullOr(Schema.String),
  billing_postal_code: Schema.NullOr(Schema.String),
  primary_contact_id: Schema.NullOr(ContactId),
  tax_exempt: Schema.Boolean,
  payment_terms_days: Schema.Int,
  status: CustomerStatus,
  created_at: Schema.Date,
  updated_at: Schema.Date
})
type CustomerRow = typeof CustomerRow.Type

const COLUMNS = Object.keys(CustomerRow.fields).join(", ")

/** The table's CHECK constraints hold the finer rules (lower-case email, E.164 phone, terms range). */
const customerFromRow = (row: CustomerRow): Customer => ({
  id: row.id,
  companyName: row.company_name,
  legalBusinessName: row.legal_business_name,
  email: row.email,
  phone: row.phone,
  billingAddress: row.billing_street === null && row.billing_city === null && row.billing_state === null &&
      row.billing_postal_code === null
    ? null
    : { street: row.billing_street, city: row.billing_city, state: row.billing_state, postalCode: row.billing_postal_code },
  primaryContactId: row.primary_contact_id,
  taxExempt: row.tax_exempt,
  paymentTermsDays: row.payment_terms_days,
  status: row.status,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at)
})

const customerToRow = (customer: Customer): CustomerRow => ({
  id: customer.id,
  company_name: customer.companyName,
  legal_business_name: customer.legalBusinessName,
  email: customer.email,
  phone: customer.phone,
  billing_street: customer.billingAddress?.street ?? null,
  billing_city: customer.billingAddress?.city ?? null,
  billing_state: customer.billingAddress?.state ?? null,
  billing_postal_code: customer.billingAddress?.postalCode ?? null,
  primary_contact_id: customer.primaryContactId,
  tax_exempt: customer.taxExempt,
  payment_terms_days: customer.paymentTermsDays,
  status: customer.status,
  created_at: DateTime.toDateUtc(customer.createdAt),
  updated_at: DateTime.toDateUtc(customer.updatedAt)
})

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(CustomerRow))
const decodeCustomers = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => list.map(customerFromRow))
const decodeCount = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ count: Schema.Int })))

export const SqlCustomerRepository = Layer.effect(
  CustomerRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal(COLUMNS)

    const one = (rows: ReadonlyArray<unknown>) => Effect.map(decodeCustomers(rows), (list) => Option.fromNullishOr(list[0]))

    const insert = (customer: Customer) =>
      sql`INSERT INTO customers ${sql.insert(customerToRow(customer))}`.pipe(Effect.asVoid, Effect.orDie)

    const update = (customer: Customer) => {
      const { id, created_at: _createdAt, ...changes } = customerToRow(customer)
      return sql`UPDATE customers SET ${sql.update(changes)} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie)
    }

    const findById = (id: CustomerId) =>
      sql`SELECT ${columns} FROM customers WHERE id = ${id}`.pipe(Effect.flatMap(one), Effect.orDie)

    const findByIdForUpdate = (id: CustomerId) =>
      sql`SELECT ${columns} FROM customers WHERE id = ${id} FOR UPDATE`.pipe(Effect.flatMap(one), Effect.orDie)

    // Purchases, quotes and invoices reference customers ON DELETE RESTRICT.
    const remove = (id: CustomerId) => deleteOutcome(sql, sql`DELETE FROM customers WHERE id = ${id} RETURNING id`)

    const list = (query: CustomerQuery) => {
      const status = query.status ?? "active"
      const conditions = [
        status === "all" ? sql`TRUE` : sql`status = ${status}`,
        query.after === undefined ? sql`TRUE` : sql`id > ${query.after}`,
        query.phone === undefined ? sql`TRUE` : sql`phone = ${query.phone}`,
        query.email === undefined ? sql`TRUE` : sql`email = ${query.email}`,
        query.primaryContactId === undefined ? sql`TRUE` : sql`primary_contact_id = ${query.primaryContactId}`,
        // search_text is lower-cased and trigram-indexed.
        ...searchWords(query.q ?? "").map((word) => sql`search_text ILIKE ${likePattern(word)}`)
      ]
      return sql`SELECT ${columns} FROM customers WHERE ${sql.and(conditions)} ORDER BY id LIMIT ${query.limit}`.pipe(
        Effect.flatMap(decodeCustomers),
        Effect.orDie
      )
    }

    const openInvoiceCount = (id: CustomerId) =>
      sql`
        SELECT count(*)::int AS count FROM invoices
         WHERE customer_id = ${id} AND status IN ('issued', 'partially_paid')`.pipe(
        Effect.flatMap(decodeCount),
        Effect.map((rows) => rows[0]?.count ?? 0),
        Effect.orDie
      )

    return CustomerRepository.of({
      insert,
      update,
      findById,
      findByIdForUpdate,
      delete: remove,
      list,
      openInvoiceCount
    })
  })
)
