import { Schema } from "effect"

export class ContactListNotFound extends Schema.TaggedError<ContactListNotFound>()("ContactListNotFound", {
  id: Schema.String
}) {}

/** Another list already has this name (names are compared without regard to case). */
export class ContactListNameTaken extends Schema.TaggedError<ContactListNameTaken>()("ContactListNameTaken", {
  name: Schema.String
}) {}
