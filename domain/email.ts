import { Schema, SchemaTransformation } from "effect"

/**
 * A deliberately loose check (one `@`, a dot in the domain, no blanks): strict
 * RFC 5322 parsing rejects addresses people really use, and only delivery
 * proves an address anyway. 254 is the longest address SMTP can carry (RFC 5321).
 */
const EMAIL_PATTERN = /^[^\s@\u0000]+@[^\s@\u0000]+\.[^\s@\u0000]+$/u

/** An email address as the product stores it: trimmed and lower-case. */
export const Email = Schema.String.check(
  Schema.isPattern(EMAIL_PATTERN, { message: "Expected an email address such as name@example.com" }),
  Schema.isMaxLength(254),
  Schema.isLowercased()
)
export type Email = typeof Email.Type

/** The one email rule: trim, lower-case, then check. */
export const normalizeEmail = (input: string): string => input.trim().toLowerCase()

/** Input form of an email: any case, surrounding blanks; decodes to {@link Email}. */
export const EmailInput = Schema.String.annotate({ description: "Email address; stored trimmed and lower-case", examples: ["jane@example.com"] }).pipe(
  Schema.decodeTo(Email, SchemaTransformation.transform({ decode: normalizeEmail, encode: (email) => email }))
)
