import { Schema } from "effect"
import { Contact, ContactId } from "./contact.ts"
import { FieldSources } from "./contact-merge.ts"
import { Uuid } from "./uuid.ts"

// Stryker disable next-line StringLiteral: brand names exist only in the type system (no error message or JSON Schema shows them)
export const ContactMergeId = Uuid.pipe(Schema.brand("ContactMergeId"))
export type ContactMergeId = typeof ContactMergeId.Type

/** Who did something: an API token (by id and name) or a named operator such as the CLI. */
export class Actor extends Schema.Class<Actor>("Actor")({
  tokenId: Schema.NullOr(Schema.String),
  name: Schema.String
}) {}

/**
 * Rows of another table that pointed at the secondary and were moved to the
 * primary, kept so an undo can move exactly those rows back.
 */
export class ReferenceMove extends Schema.Class<ReferenceMove>("ReferenceMove")({
  table: Schema.String,
  column: Schema.String,
  rowIds: Schema.Array(Schema.String)
}) {}

/** What a merge did, enough to explain it and to undo it. */
export class ContactMergeRecord extends Schema.Class<ContactMergeRecord>("ContactMergeRecord")({
  id: ContactMergeId,
  primaryId: ContactId,
  secondaryId: ContactId,
  mergedAt: Schema.DateTimeUtc,
  mergedBy: Actor,
  /** Both contacts as they were just before the merge: what an undo restores. */
  primaryBefore: Contact,
  secondaryBefore: Contact,
  /** Both contacts as the merge left them; if either differs now, undo is refused. */
  primaryAfter: Contact,
  secondaryAfter: Contact,
  fieldSources: FieldSources,
  movedReferences: Schema.Array(ReferenceMove),
  undoneAt: Schema.NullOr(Schema.DateTimeUtc),
  undoneBy: Schema.NullOr(Actor)
}) {}
