import { Schema } from "effect"

/** The number asked not to be texted (a keyword or the business's opt-out); nothing is sent to it. */
export class OptedOut extends Schema.TaggedError<OptedOut>()("OptedOut", {
  message: Schema.String,
  contactId: Schema.NullOr(Schema.String)
}) {}

/** The contact has no phone number, so it cannot be texted nor opted in or out. */
export class ContactHasNoPhone extends Schema.TaggedError<ContactHasNoPhone>()("ContactHasNoPhone", {
  contactId: Schema.String
}) {}

/** A text the provider would refuse: empty, or over its 1600-character limit (shared/reference/openphone-facts.md). */
export class InvalidMessage extends Schema.TaggedError<InvalidMessage>()("InvalidMessage", {
  path: Schema.String,
  message: Schema.String
}) {}
