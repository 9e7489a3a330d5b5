import { Schema } from "effect"

export const PropertyResource = Schema.Literals(["property", "property link"])
export type PropertyResource = typeof PropertyResource.Type

export class PropertyNotFound extends Schema.TaggedError<PropertyNotFound>()("PropertyNotFound", {
  resource: PropertyResource,
  id: Schema.String
}) {}

/** Another property already has this assessor's parcel number (APN is unique when present). */
export class ApnInUse extends Schema.TaggedError<ApnInUse>()("ApnInUse", {
  apn: Schema.String,
  existingId: Schema.NullOr(Schema.String)
}) {}

/** Input that is well formed but wrong: an unknown or merged contact... */
export class InvalidPropertyInput extends Schema.TaggedError<InvalidPropertyInput>()("InvalidPropertyInput", {
  path: Schema.String,
  message: Schema.String
}) {}
