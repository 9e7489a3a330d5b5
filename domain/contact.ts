import { Effect, Schema } from "effect"
import { Email } from "./email.ts"
import { E164 } from "./phone.ts"
import { Uuid } from "./uuid.ts"

export const ContactId = Uuid.pipe(Schema.brand("ContactId"))
export type ContactId = typeof ContactId.Type

export const ContactStatus = Schema.Literals(["active", "merged"])
export type ContactStatus = typeof ContactStatus.Type

// Contacts are plain Structs, not Schema classes: pages of them are built and
// written on every list request, and class instances cost several times more.
export const Address = Schema.Struct({
  street: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  state: Schema.NullOr(Schema.String),
  postalCode: Schema.NullOr(Schema.String)
}).annotate({ identifier: "Address" })
export type Address = typeof Address.Type

/** The fields a person edits; everything a merge combines. */
export const ContactFields = Schema.Struct({
  firstName: Schema.String,
  lastName: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(E164),
  phoneExtension: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Email),
  company: Schema.NullOr(Schema.String),
  address: Schema.NullOr(Address),
  tags: Schema.Array(Schema.String),
  notes: Schema.NullOr(Schema.String)
})
export type ContactFields = typeof ContactFields.Type

export const Contact = Schema.Struct({
  id: ContactId,
  ...ContactFields.fields,
  status: ContactStatus,
  mergedIntoId: Schema.NullOr(ContactId),
  /**
   * Where the contact came from when not typed in, e.g. `openphone` for a lead
   * made from an inbound text; null otherwise. Merge records saved before the
   * field existed hold contacts without it, hence the default.
   */
  source: Schema.NullOr(Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed(null))),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}).annotate({ identifier: "Contact" })
export type Contact = typeof Contact.Type

export const contactFields = (contact: ContactFields): ContactFields => ({
  firstName: contact.firstName,
  lastName: contact.lastName,
  phone: contact.phone,
  phoneExtension: contact.phoneExtension,
  email: contact.email,
  company: contact.company,
  address: contact.address,
  tags: contact.tags,
  notes: contact.notes
})

export const displayName = (contact: Pick<ContactFields, "firstName" | "lastName">): string =>
  contact.lastName === null ? contact.firstName : `${contact.firstName} ${contact.lastName}`

/**
 * Whether two versions of a contact hold the same data. Timestamps are left
 * out: an edit that restores every value leaves the contact as it was.
 */
export const sameContactState = (a: Contact, b: Contact): boolean =>
  a.id === b.id && a.status === b.status && a.mergedIntoId === b.mergedIntoId &&
  JSON.stringify(contactFields(a)) === JSON.stringify(contactFields(b))
