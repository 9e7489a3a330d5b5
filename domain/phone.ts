import { Effect, Result, Schema, SchemaIssue, SchemaTransformation } from "effect"
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max"

/**
 * An E.164 number: `+` and at most 15 digits, the pattern OpenPhone validates
 * with (shared/reference/external-apis-facts.md, section 4.1).
 */
export const E164 = Schema.String.check(
  Schema.isPattern(/^\+[1-9]\d{1,14}$/u, { message: "Expected a phone number in E.164 form such as +14155552671" })
)
export type E164 = typeof E164.Type

export const NormalizedPhone = Schema.Struct({
  e164: E164,
  extension: Schema.NullOr(Schema.String)
})
export type NormalizedPhone = typeof NormalizedPhone.Type

export class InvalidPhone extends Schema.TaggedError<InvalidPhone>()("InvalidPhone", {
  input: Schema.String,
  reason: Schema.String
}) {}

export const DEFAULT_PHONE_COUNTRY: CountryCode = "US"

/**
 * The one phone rule of the product; nothing else normalises phones. Input is
 * parsed with libphonenumber-js's full ("max") metadata so that `isValid()`
 * checks real number ranges: an unassigned area code such as 555 is rejected,
 * not only a wrong length. A national number is read in `defaultCountry`; an
 * international one must be written `+CC ...`. An extension (`ext 12`, `x12`,
 * `#12`) is returned apart.
 */
export const normalizePhone = (
  input: string,
  defaultCountry: CountryCode = DEFAULT_PHONE_COUNTRY
): Result.Result<NormalizedPhone, InvalidPhone> => {
  const trimmed = input.trim()
  if (trimmed.length === 0) {
    return Result.fail(new InvalidPhone({ input, reason: "Phone number is empty" }))
  }
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry })
  if (parsed === undefined) {
    return Result.fail(new InvalidPhone({ input, reason: "Not a phone number" }))
  }
  if (!parsed.isValid()) {
    const reason = parsed.isPossible()
      ? "Not an assigned phone number (check the area code)"
      : "Wrong number of digits for a phone number"
    return Result.fail(new InvalidPhone({ input, reason }))
  }
  // An empty extension is no extension.
  const extension = parsed.ext || null
  return Result.succeed({ e164: parsed.number, extension })
}

/** Writes a normalised phone back as text that {@link normalizePhone} reads again. */
export const formatPhone = (phone: NormalizedPhone): string =>
  phone.extension === null ? phone.e164 : `${phone.e164} ext ${phone.extension}`

/**
 * Input form of a phone: free text as people type it; decodes through
 * {@link normalizePhone}, so an invalid number is a schema issue carrying the reason.
 */
export const PhoneInput = Schema.String.annotate({
  description: "Phone number as typed, e.g. (415) 555-2671 ext 12; US is assumed unless written +CC",
  examples: ["(415) 555-2671", "+44 20 7946 0958"]
}).pipe(
  Schema.decodeTo(
    NormalizedPhone,
    SchemaTransformation.transformEffect({
      decode: (input: string) =>
        Effect.fromResult(normalizePhone(input)).pipe(
          Effect.mapError((error) => new SchemaIssue.InvalidValue({ message: error.reason }, input))
        ),
      encode: (phone: NormalizedPhone) => Effect.succeed(formatPhone(phone))
    })
  )
)
