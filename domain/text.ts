import { Schema, SchemaTransformation } from "effect"

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
 * against pasted novels.
 */
export const OptionalText = (maxLength: number) =>
  Schema.String.check(Schema.isMaxLength(maxLength)).pipe(
    Schema.decodeTo(Schema.NullOr(Schema.String), trimToNull)
  )

/** Required text: trimmed, at least one visible character. */
export const RequiredText = (maxLength: number) =>
  Schema.String.pipe(
    Schema.decodeTo(
      Schema.String.check(Schema.isNonEmpty({ message: "Must not be blank" }), Schema.isMaxLength(maxLength)),
      SchemaTransformation.trim()
    )
  )
