import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import {
  type ParsedTemplate,
  parseTemplate,
  renderTemplate,
  TEMPLATE_FIELDS,
  type TemplateValues,
  templateValues
} from "../../../../domain/campaigns/template.ts"

const parsed = (source: string): ParsedTemplate => {
  const result = parseTemplate(source)
  if (Result.isFailure(result)) throw new Error(`expected ${source} to parse: ${result.failure.message}`)
  return result.success
}
const render = (source: string, values: TemplateValues) => renderTemplate(parsed(source), values)
const failure = <A, E>(result: Result.Result<A, E>): E | undefined => (Result.isFailure(result) ? result.failure : undefined)

describe("parseTemplate", () => {
  it("reads placeholders, fallbacks and literal braces, and lists the fields used once each", () => {
    const template = parsed("Hi {first_name|there}, {{x}} {company} for {first_name} at { city }")
    expect(template.fields).toEqual(["first_name", "company", "city"])
    expect(template.parts).toEqual([
      { _tag: "Text", text: "Hi " },
      { _tag: "Field", field: "first_name", fallback: "there" },
      { _tag: "Text", text: ", {x} " },
      { _tag: "Field", field: "company", fallback: null },
      { _tag: "Text", text: " for " },
      { _tag: "Field", field: "first_name", fallback: null },
      { _tag: "Text", text: " at " },
      { _tag: "Field", field: "city", fallback: null }
    ])
  })

  it("lists every unknown placeholder with the allowed ones", () => {
    const error = failure(parseTemplate("Hi {firstname}, {Company} and {firstname|x} at {zip}"))
    expect(error).toMatchObject({
      _tag: "UnknownPlaceholders",
      unknown: ["firstname", "Company", "zip"],
      allowed: [...TEMPLATE_FIELDS]
    })
    expect(error?.message).toContain("{firstname}, {Company}, {zip}")
    expect(error?.message).toContain("{first_name}")
  })

  it("refuses an unclosed or lone brace, an empty placeholder or fallback, and an empty template", () => {
    for (const [source, position] of [
      ["Hi {first_name", 3],
      ["Hi {first_name {last_name}", 3],
      ["50% off }", 8],
      ["Hi {}", 3],
      ["Hi {first_name|}", 3],
      ["Hi {first_name|  }", 3],
      ["   ", 0],
      ["", 0]
    ] as const) {
      expect(failure(parseTemplate(source)), source).toMatchObject({ _tag: "MalformedTemplate", position })
    }
  })
})

describe("renderTemplate", () => {
  it("fills each placeholder from the recipient's values", () => {
    expect(render("Hi {first_name}, {business_name} can seal {property_address} in {city}.", {
      first_name: "Ann",
      business_name: "Attack-a-Crack",
      property_address: "12 Elm St",
      city: "Salem"
    })).toEqual(Result.succeed("Hi Ann, Attack-a-Crack can seal 12 Elm St in Salem."))
  })

  it("uses the fallback when the value is missing, null or blank", () => {
    for (const first_name of [undefined, null, "", "   "]) {
      expect(render("Hi {first_name|there}!", { first_name })).toEqual(Result.succeed("Hi there!"))
    }
    expect(render("Hi {first_name|there}!", { first_name: " Bo " })).toEqual(Result.succeed("Hi Bo!"))
  })

  it("skips a recipient whose placeholder has neither value nor fallback, naming the field", () => {
    expect(failure(render("Hi {first_name|there}, about {company}", { first_name: "Ann", company: " " }))).toMatchObject({
      _tag: "MissingTemplateField",
      reason: "missing_field",
      field: "company"
    })
  })

  it("writes literal braces once each and leaves a value's own braces alone", () => {
    expect(render("{{{first_name}}} }}{{", { first_name: "{x}" })).toEqual(Result.succeed("{{x}} }{"))
  })

  it("builds full_name from whichever names are present", () => {
    const values = (firstName: string | null, lastName: string | null) =>
      templateValues({ firstName, lastName, company: null, city: null, propertyAddress: null, businessName: null })
    expect(render("{full_name}", values("Ann", "Lee"))).toEqual(Result.succeed("Ann Lee"))
    expect(render("{full_name}", values(" ", "Lee"))).toEqual(Result.succeed("Lee"))
    expect(failure(render("{full_name}", values(null, null)))).toMatchObject({ field: "full_name" })
  })

  // The promise the old system broke: nothing goes out as `Hi ,` or `Hi {first_name}`.
  it("never renders an empty value or a placeholder left in the text", () => {
    const field = fc.constantFrom(...TEMPLATE_FIELDS)
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,8}$/)
    const piece = fc.oneof(
      word,
      fc.constantFrom("{{", "}}", " ", ", "),
      fc.tuple(field, fc.option(word, { nil: null })).map(([name, fallback]) =>
        fallback === null ? `{${name}}` : `{${name}|${fallback}}`
      )
    )
    const value = fc.option(fc.oneof(word, fc.constantFrom("", "  ", "{oops}")), { nil: null })
    const values = fc.record(Object.fromEntries(TEMPLATE_FIELDS.map((name) => [name, value])))
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), values, (pieces, recipient) => {
      const source = `x${pieces.join("")}`
      const template = parsed(source)
      const result = renderTemplate(template, recipient)
      if (Result.isFailure(result)) {
        // Skipped only for a placeholder that had no fallback and no value.
        const field = result.failure.field
        return template.parts.some((part) => part._tag === "Field" && part.field === field && part.fallback === null) &&
          (recipient[field] ?? "").trim() === ""
      }
      // Each placeholder became its trimmed value or its fallback, never nothing or itself.
      const expected = template.parts.map((part) =>
        part._tag === "Text" ? part.text : (recipient[part.field] ?? "").trim() || part.fallback
      ).join("")
      return result.success === expected && template.parts.every((part) =>
        part._tag === "Text" || ((recipient[part.field] ?? "").trim() || part.fallback || "") !== ""
      )
    }))
  })
})
