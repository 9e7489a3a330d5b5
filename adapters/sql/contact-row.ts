import { DateTime, Effect, Schema } from "effect"
import { type Contact, ContactId, ContactStatus } from "../../domain/contact.ts"

/** The columns of `contacts` that make a Contact, as the driver returns them. */
export const ContactRow = Schema.Struct({
  id: ContactId,
  first_name: Schema.String,
  last_name: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  phone_extension: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Schema.String),
  company: Schema.NullOr(Schema.String),
  address_street: Schema.NullOr(Schema.String),
  address_city: Schema.NullOr(Schema.String),
  address_state: Schema.NullOr(Schema.String),
  address_postal_code: Schema.NullOr(Schema.String),
  tags: Schema.Array(Schema.String),
  notes: Schema.NullOr(Schema.String),
  status: ContactStatus,
  merged_into_id: Schema.NullOr(ContactId),
  source: Schema.NullOr(Schema.String),
  created_at: Schema.Date,
  updated_at: Schema.Date
})
export type ContactRow = typeof ContactRow.Type

export const CONTACT_COLUMNS = [
  "id", "first_name", "last_name", "phone", "phone_extension", "email", "company", "address_street", "address_city",
  "address_state", "address_postal_code", "tags", "notes", "status", "merged_into_id", "source", "created_at", "updated_at"
] as const

/**
 * A row as a Contact. The row's shape and types were decoded just before; the
 * finer domain rules (E.164 phone, lower-case email, non-blank first name,
 * merged ⇔ mergedIntoId) are the table's CHECK constraints, so they are not
 * re-checked for every row of every page.
 */
export const contactFromRow = (row: ContactRow): Contact => ({
  id: row.id,
  firstName: row.first_name,
  lastName: row.last_name,
  phone: row.phone,
  phoneExtension: row.phone_extension,
  email: row.email,
  company: row.company,
  address: row.address_street === null && row.address_city === null && row.address_state === null &&
      row.address_postal_code === null
    ? null
    : { street: row.address_street, city: row.address_city, state: row.address_state, postalCode: row.address_postal_code },
  tags: row.tags,
  notes: row.notes,
  status: row.status,
  mergedIntoId: row.merged_into_id,
  source: row.source,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at)
})

export const contactToRow = (contact: Contact): ContactRow => ({
  id: contact.id,
  first_name: contact.firstName,
  last_name: contact.lastName,
  phone: contact.phone,
  phone_extension: contact.phoneExtension,
  email: contact.email,
  company: contact.company,
  address_street: contact.address?.street ?? null,
  address_city: contact.address?.city ?? null,
  address_state: contact.address?.state ?? null,
  address_postal_code: contact.address?.postalCode ?? null,
  tags: contact.tags,
  notes: contact.notes,
  status: contact.status,
  merged_into_id: contact.mergedIntoId,
  source: contact.source,
  created_at: DateTime.toDate(contact.createdAt),
  updated_at: DateTime.toDate(contact.updatedAt)
})

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(ContactRow))

/** Driver rows → Contacts; a row of the wrong shape is a SchemaError (a defect for the caller). */
export const decodeContactRows = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeRows(rows), (list) => list.map(contactFromRow))
