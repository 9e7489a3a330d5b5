import { Schema, SchemaTransformation } from "effect"

/**
 * A UUID in its canonical, lower-case form. Ids are compared as strings
 * (self-merge checks, lock order), so one id must have one spelling.
 */
export const Uuid = Schema.String.check(Schema.isUUID(), Schema.isLowercased())

/**
 * An id as a client may write it: UUIDs are case-insensitive (RFC 9562), so
 * input is lower-cased into the canonical form before it is checked.
 */
export const IdInput = <
  S extends Schema.Top & { readonly Encoded: string; readonly DecodingServices: never; readonly EncodingServices: never }
>(id: S) =>
  Schema.String.pipe(
    Schema.decodeTo(id, SchemaTransformation.transform({ decode: (s: string) => s.toLowerCase(), encode: (s: string) => s }))
  )
