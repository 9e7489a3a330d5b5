import { DateTime, Schema } from "effect"
import { type ApiToken, TokenRole, TokenSource } from "../../application/auth/api-token.ts"
import type { MergeResult } from "../../application/contacts/contact-merges.ts"
import type { DuplicatePair } from "../../application/contacts/contacts.ts"
import { type Contact, ContactStatus } from "../../domain/contact.ts"
import { Uuid } from "../../domain/uuid.ts"
import { FieldSources } from "../../domain/contact-merge.ts"
import type { Actor, ContactMergeRecord } from "../../domain/contact-merge-record.ts"
import { DuplicateReason } from "../../domain/duplicates.ts"
import { Email } from "../../domain/email.ts"
import { E164 } from "../../domain/phone.ts"

// Response bodies are plain JSON Schemas, and typed functions build them
// from domain values; route() writes them with JSON.stringify. The compiler
// checks each builder against its Schema, the contract tests check every
// response against the OpenAPI document these Schemas generate.

export const Timestamp = Schema.String.annotate({ format: "date-time", description: "ISO 8601 instant, UTC" })
export const iso = (instant: DateTime.Utc) => DateTime.formatIso(instant)

export const AddressJson = Schema.Struct({
  street: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  state: Schema.NullOr(Schema.String),
  postalCode: Schema.NullOr(Schema.String)
}).annotate({ identifier: "Address" })

export const ContactJson = Schema.Struct({
  id: Uuid,
  firstName: Schema.String,
  lastName: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(E164).annotate({ description: "E.164, e.g. +15125550142" }),
  phoneExtension: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Email).annotate({ description: "Lower-case" }),
  company: Schema.NullOr(Schema.String),
  address: Schema.NullOr(AddressJson),
  tags: Schema.Array(Schema.String),
  notes: Schema.NullOr(Schema.String),
  status: ContactStatus,
  mergedIntoId: Schema.NullOr(Uuid).annotate({ description: "The contact this one was merged into" }),
  source: Schema.NullOr(Schema.String).annotate({
    description: "Where the contact came from when not made in the CRM, e.g. openphone for a lead from a text; read-only"
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotate({ identifier: "Contact" })
export type ContactJson = typeof ContactJson.Type

export const contactJson = (contact: Contact): ContactJson => ({
  id: contact.id,
  firstName: contact.firstName,
  lastName: contact.lastName,
  phone: contact.phone,
  phoneExtension: contact.phoneExtension,
  email: contact.email,
  company: contact.company,
  address: contact.address === null
    ? null
    : {
      street: contact.address.street,
      city: contact.address.city,
      state: contact.address.state,
      postalCode: contact.address.postalCode
    },
  tags: contact.tags,
  notes: contact.notes,
  status: contact.status,
  mergedIntoId: contact.mergedIntoId,
  source: contact.source,
  createdAt: iso(contact.createdAt),
  updatedAt: iso(contact.updatedAt)
})

export const ActorJson = Schema.Struct({
  tokenId: Schema.NullOr(Uuid),
  name: Schema.String
}).annotate({ identifier: "Actor", description: "Who acted: an API token, or a named operator such as the CLI" })

const actorJson = (actor: Actor): typeof ActorJson.Type => ({ tokenId: actor.tokenId, name: actor.name })

/** A merge record as clients see it: who, when, what both contacts were, where each field came from. */
export const ContactMergeJson = Schema.Struct({
  id: Uuid,
  primaryId: Uuid,
  secondaryId: Uuid,
  mergedAt: Timestamp,
  mergedBy: ActorJson,
  primarySnapshot: ContactJson.annotate({ description: "The primary just before the merge" }),
  secondarySnapshot: ContactJson.annotate({ description: "The secondary just before the merge" }),
  fieldSources: FieldSources,
  movedReferences: Schema.Array(Schema.Struct({ table: Schema.String, count: Schema.Int })).annotate({
    description: "Rows of other tables that pointed at the secondary and now point at the primary"
  }),
  undoneAt: Schema.NullOr(Timestamp),
  undoneBy: Schema.NullOr(ActorJson)
}).annotate({ identifier: "ContactMerge" })

export const contactMergeJson = (record: ContactMergeRecord): typeof ContactMergeJson.Type => ({
  id: record.id,
  primaryId: record.primaryId,
  secondaryId: record.secondaryId,
  mergedAt: iso(record.mergedAt),
  mergedBy: actorJson(record.mergedBy),
  primarySnapshot: contactJson(record.primaryBefore),
  secondarySnapshot: contactJson(record.secondaryBefore),
  fieldSources: record.fieldSources,
  movedReferences: record.movedReferences.map((move) => ({ table: move.table, count: move.rowIds.length })),
  undoneAt: record.undoneAt === null ? null : iso(record.undoneAt),
  undoneBy: record.undoneBy === null ? null : actorJson(record.undoneBy)
})

export const MergeResultJson = Schema.Struct({
  merge: ContactMergeJson,
  primary: ContactJson,
  secondary: ContactJson
}).annotate({ identifier: "MergeResult" })

export const mergeResultJson = (result: MergeResult): typeof MergeResultJson.Type => ({
  merge: contactMergeJson(result.merge),
  primary: contactJson(result.primary),
  secondary: contactJson(result.secondary)
})

export const DuplicatePairJson = Schema.Struct({
  contacts: Schema.Tuple([ContactJson, ContactJson]),
  reasons: Schema.Array(DuplicateReason)
}).annotate({ identifier: "DuplicatePair" })

export const duplicatePairJson = (pair: DuplicatePair): typeof DuplicatePairJson.Type => ({
  contacts: [contactJson(pair.contacts[0]), contactJson(pair.contacts[1])],
  reasons: pair.reasons
})

export const ApiTokenJson = Schema.Struct({
  id: Uuid,
  name: Schema.String,
  role: TokenRole,
  source: TokenSource,
  createdAt: Timestamp,
  lastUsedAt: Schema.NullOr(Timestamp).annotate({ description: "When it last authenticated a request (to within 30 s); null if never" }),
  revokedAt: Schema.NullOr(Timestamp)
}).annotate({ identifier: "ApiToken" })

export const apiTokenJson = (token: ApiToken): typeof ApiTokenJson.Type => ({
  id: token.id,
  name: token.name,
  role: token.role,
  source: token.source,
  createdAt: iso(token.createdAt),
  lastUsedAt: token.lastUsedAt === null ? null : iso(token.lastUsedAt),
  revokedAt: token.revokedAt === null ? null : iso(token.revokedAt)
})

export const MintedTokenJson = Schema.Struct({
  token: ApiTokenJson,
  secret: Schema.String.annotate({ description: "The bearer token. Shown this once; only its hash is stored." })
}).annotate({ identifier: "MintedToken" })
