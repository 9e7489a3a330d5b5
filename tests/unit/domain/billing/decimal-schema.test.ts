import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { Decimal, parseNumeric } from "../../../../domain/billing/decimal.ts"

const Amount = Decimal({ places: 2, minimum: 0, exclusiveMinimum: true, maximum: 100 })

const decode = (input: unknown): unknown => {
  const result = Schema.decodeUnknownResult(Amount)(input)
  return Result.isSuccess(result) ? result.success : String(result.failure.message)
}

describe("Decimal", () => {
  it("takes a number within its bounds with at most its decimals, and says why it refuses one", () => {
    expect(decode(12.5)).toBe(12.5)
    expect(decode(100)).toBe(100)
    expect(decode(12.345)).toBe("Expected at most 2 decimals")
  })

  it("is, unannotated, a plain number with its bounds in the API document", () => {
    expect(Schema.toJsonSchemaDocument(Amount).schema).toEqual({ type: "number", exclusiveMinimum: 0, maximum: 100 })
  })

  it("keeps the description and examples annotated onto it in the API document", () => {
    expect(Schema.toJsonSchemaDocument(Amount.annotate({ description: "An amount", examples: [12.5] })).schema).toEqual({
      type: "number",
      exclusiveMinimum: 0,
      maximum: 100,
      description: "An amount",
      examples: [12.5]
    })
  })

  it("is marked approximate (the decimals are not in it), so a oneOf holding it exports as anyOf", () => {
    for (const schema of [Amount, Amount.annotate({ description: "An amount" })]) {
      const document = Schema.toJsonSchemaDocument(Schema.Union([schema, Schema.Null], { mode: "oneOf" })).schema
      expect(document).toHaveProperty("anyOf")
      expect(document).not.toHaveProperty("oneOf")
    }
  })
})

describe("parseNumeric on text beyond its places", () => {
  it("drops trailing zeros past the places asked for", () => {
    expect(parseNumeric("2.500", 2)).toBe(250n)
    expect(parseNumeric("-2.500", 2)).toBe(-250n)
  })

  it("refuses text with a minus sign other than in front", () => {
    expect(() => parseNumeric("1-5", 2)).toThrow()
    expect(() => parseNumeric("15-", 2)).toThrow()
  })
})
