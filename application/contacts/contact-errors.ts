import { Schema } from "effect"

export class ContactNotFound extends Schema.TaggedError<ContactNotFound>()("ContactNotFound", {
  id: Schema.String
}) {}

/** Another active contact already has this phone number or email. */
export class DuplicateContact extends Schema.TaggedError<DuplicateContact>()("DuplicateContact", {
  existingId: Schema.String,
  field: Schema.Literals(["phone", "email"])
}) {}

export class ContactMergeNotFound extends Schema.TaggedError<ContactMergeNotFound>()("ContactMergeNotFound", {
  id: Schema.String
}) {}

/** A merge that makes no sense whatever the data, such as a contact into itself. */
export class InvalidMerge extends Schema.TaggedError<InvalidMerge>()("InvalidMerge", {
  path: Schema.String,
  message: Schema.String
}) {}

/** A merge or undo that the current state of the data forbids. */
export class MergeConflict extends Schema.TaggedError<MergeConflict>()("MergeConflict", {
  message: Schema.String,
  contactId: Schema.NullOr(Schema.String)
}) {}
