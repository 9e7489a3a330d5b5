import { Schema, SchemaTransformation } from "effect"

/**
 * PostgreSQL text cannot hold NUL, and no person types one: refusing it here
 * turns a would-be database error into a clear validation message.
 */
export const noNul = Schema.isPattern(/^[^\u0000]*$/u, { message: "Must not contain NUL characters" })

/** Trims input text; blank text means "no value", so it decodes to `null`. */
const trimToNull = SchemaTransformation.transform<string | null, string>({
  decode: (input) => {
    const trimmed = input.trim()
    return trimmed.length === 0 ? null : trimmed
  },
  encode: (value) => value ?? ""
})

/**
 * Optional free text as clients send it: surrounding blanks are dropped and
 * blank text clears the field. `maxLength` guards the database and the UI
 * against pasted novels. The checks sit on the input side, so the OpenAPI
 * document shows them.
 */
export const OptionalText = (maxLength: number) =>
  Schema.String.check(Schema.isMaxLength(maxLength), noNul).pipe(
    Schema.decodeTo(Schema.NullOr(Schema.String), trimToNull)
  )

/** Required text: trimmed, at least one visible character. */
export const RequiredText = (maxLength: number) =>
  Schema.String.check(
    Schema.isMaxLength(maxLength),
    Schema.isPattern(/\S/u, { message: "Must not be blank" }),
    noNul
  ).pipe(Schema.decodeTo(Schema.String, SchemaTransformation.trim()))
