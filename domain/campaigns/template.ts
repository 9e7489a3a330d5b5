import { Result, Schema } from "effect"

/** The values a campaign template may use; anything else is refused when the campaign is written. */
export const TEMPLATE_FIELDS = [
  "first_name",
  "last_name",
  "full_name",
  "company",
  "city",
  "property_address",
  "business_name"
] as const

export const TemplateField = Schema.Literals(TEMPLATE_FIELDS)
export type TemplateField = typeof TemplateField.Type

/** A piece of a parsed template: literal text, or a placeholder with its optional fallback. */
export type TemplatePart =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Field"; readonly field: TemplateField; readonly fallback: string | null }

/** A template parsed once, rendered for every recipient. */
export interface ParsedTemplate {
  readonly source: string
  readonly parts: ReadonlyArray<TemplatePart>
  /** Each field the template uses, once, in order of first use. */
  readonly fields: ReadonlyArray<TemplateField>
}

/** A recipient's values; a missing, null or blank value has no value. */
export type TemplateValues = { readonly [K in TemplateField]?: string | null | undefined }

/** Placeholders whose names are not template fields (the API answers 422 listing both). */
export class UnknownPlaceholders extends Schema.TaggedError<UnknownPlaceholders>()("UnknownPlaceholders", {
  unknown: Schema.Array(Schema.String),
  allowed: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/** A template that cannot be read: an unclosed `{`, a lone `}`, an empty name or fallback, no text. */
export class MalformedTemplate extends Schema.TaggedError<MalformedTemplate>()("MalformedTemplate", {
  /** UTF-16 offset in the template where the problem starts. */
  position: Schema.Int,
  message: Schema.String
}) {}

export type TemplateError = UnknownPlaceholders | MalformedTemplate

/** A recipient without a value for a placeholder that has no fallback: skipped, never texted `Hi ,`. */
export class MissingTemplateField extends Schema.TaggedError<MissingTemplateField>()("MissingTemplateField", {
  reason: Schema.Literal("missing_field"),
  field: TemplateField
}) {}

const isTemplateField = Schema.is(TemplateField)

const malformed = (position: number, message: string) => Result.fail(new MalformedTemplate({ position, message }))

/**
 * Parses a template. `{name}` and `{name|fallback}` are placeholders (blanks around
 * the name and fallback are ignored); `{{` and `}}` are literal braces. Every unknown
 * name is reported at once, so a user fixes them in one go.
 */
export const parseTemplate = (source: string): Result.Result<ParsedTemplate, TemplateError> => {
  const parts: Array<TemplatePart> = []
  const fields: Array<TemplateField> = []
  const unknown: Array<string> = []
  let text = ""
  let i = 0
  while (i < source.length) {
    const char = source[i]
    const next = source[i + 1]
    if (char === "{" && next === "{") {
      text += "{"
      i += 2
    } else if (char === "}" && next === "}") {
      text += "}"
      i += 2
    } else if (char === "}") {
      return malformed(i, `A lone "}" at position ${i}; write "}}" for a literal brace`)
    } else if (char === "{") {
      const close = source.indexOf("}", i + 1)
      const open = source.indexOf("{", i + 1)
      if (close === -1 || (open !== -1 && open < close)) {
        return malformed(i, `An unclosed "{" at position ${i}; write "{{" for a literal brace`)
      }
      const inner = source.slice(i + 1, close)
      const bar = inner.indexOf("|")
      const name = (bar === -1 ? inner : inner.slice(0, bar)).trim()
      const fallback = bar === -1 ? null : inner.slice(bar + 1).trim()
      if (name === "") return malformed(i, `An empty placeholder at position ${i}`)
      // An empty fallback would send the very `Hi ,` a fallback exists to prevent.
      if (fallback === "") return malformed(i, `The placeholder {${name}|} has an empty fallback`)
      if (!isTemplateField(name)) {
        if (!unknown.includes(name)) unknown.push(name)
      } else {
        if (text !== "") parts.push({ _tag: "Text", text })
        text = ""
        parts.push({ _tag: "Field", field: name, fallback })
        if (!fields.includes(name)) fields.push(name)
      }
      i = close + 1
    } else {
      text += char
      i += 1
    }
  }
  if (text !== "") parts.push({ _tag: "Text", text })
  if (unknown.length > 0) {
    return Result.fail(
      new UnknownPlaceholders({
        unknown,
        allowed: [...TEMPLATE_FIELDS],
        message: `Unknown placeholder${unknown.length > 1 ? "s" : ""} ${
          unknown.map((name) => `{${name}}`).join(", ")
        }; allowed: ${TEMPLATE_FIELDS.map((name) => `{${name}}`).join(", ")}`
      })
    )
  }
  if (source.trim() === "") return malformed(0, "The template is empty")
  return Result.succeed({ source, parts, fields })
}

/** A value that counts as present: blanks are trimmed, so a name of spaces is missing. */
const present = (value: string | null | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === "" ? undefined : trimmed
}

/**
 * Renders a parsed template for one recipient: each placeholder takes its value,
 * else its fallback; a placeholder with neither skips the recipient (`missing_field`).
 */
export const renderTemplate = (
  template: ParsedTemplate,
  values: TemplateValues
): Result.Result<string, MissingTemplateField> => {
  let out = ""
  for (const part of template.parts) {
    if (part._tag === "Text") {
      out += part.text
      continue
    }
    const value = present(values[part.field]) ?? part.fallback
    if (value === null) return Result.fail(new MissingTemplateField({ reason: "missing_field", field: part.field }))
    out += value
  }
  return Result.succeed(out)
}

/** The people-facing fields of a recipient, from which the template values are built. */
export interface RecipientFields {
  readonly firstName: string | null
  readonly lastName: string | null
  readonly company: string | null
  readonly city: string | null
  readonly propertyAddress: string | null
  readonly businessName: string | null
}

/** Template values for a recipient; `full_name` joins whichever of the first and last names are present. */
export const templateValues = (fields: RecipientFields): TemplateValues => {
  const fullName = [present(fields.firstName), present(fields.lastName)].filter((name) => name !== undefined).join(" ")
  return {
    first_name: fields.firstName,
    last_name: fields.lastName,
    full_name: fullName,
    company: fields.company,
    city: fields.city,
    property_address: fields.propertyAddress,
    business_name: fields.businessName
  }
}
