import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { LocalDate } from "../../../../domain/billing/local-date.ts"

/** The decoded value, or the message of the first issue. */
const decode = (input: unknown): unknown => {
  const result = Schema.decodeUnknownResult(LocalDate)(input)
  return Result.isSuccess(result) ? result.success : String(result.failure.message)
}

describe("LocalDate as a client writes it", () => {
  it("takes exactly YYYY-MM-DD", () => {
    expect(decode("2026-11-21")).toBe("2026-11-21")
  })

  it.each([
    "x2026-11-21",
    " 2026-11-21",
    "2026-11-21x",
    "2026-11-21 ",
    "2026-11-21T00:00:00Z",
    "26-11-21",
    "2026-1-21",
    "21/11/2026"
  ])("refuses %j, saying the form it expects", (text) => {
    expect(decode(text)).toBe("Expected a date as YYYY-MM-DD")
  })

  it("refuses a day that does not exist, and one outside the business calendar, saying why", () => {
    expect(decode("2026-02-30")).toBe("Not a real calendar date")
    expect(decode("2200-01-01")).toBe("Expected a date from 1900-01-01 to 2199-12-31")
  })
})

describe("LocalDate in the API document", () => {
  it("is a string of format date, its pattern, description and example", () => {
    expect(Schema.toJsonSchemaDocument(LocalDate).schema).toEqual({
      type: "string",
      format: "date",
      pattern: "^\\d{4}-\\d{2}-\\d{2}$",
      description: "A date, YYYY-MM-DD, from 1900-01-01 to 2199-12-31",
      examples: ["2026-11-21"]
    })
  })

  it("is marked approximate (real days and calendar range are not in it), so a oneOf holding it exports as anyOf", () => {
    const schema = Schema.toJsonSchemaDocument(Schema.Union([LocalDate, Schema.Null], { mode: "oneOf" })).schema
    expect(schema).toHaveProperty("anyOf")
    expect(schema).not.toHaveProperty("oneOf")
  })
})
