import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { noNul, OptionalText, RequiredText } from "../../../domain/text.ts"

const NoNul = Schema.String.check(noNul)

describe("NUL characters", () => {
  it.each(["\u0000", "\u0000abc", "abc\u0000", "ab\u0000cd"])("are refused anywhere: %j", (input) => {
    expect(() => Schema.decodeUnknownSync(NoNul)(input)).toThrow("Must not contain NUL characters")
    expect(() => Schema.decodeUnknownSync(OptionalText(20))(input)).toThrow("Must not contain NUL characters")
    expect(() => Schema.decodeUnknownSync(RequiredText(20))(input)).toThrow("Must not contain NUL characters")
  })

  it("leave other text alone", () => {
    expect(Schema.decodeUnknownSync(NoNul)("")).toBe("")
    expect(Schema.decodeUnknownSync(NoNul)("ab cd\n")).toBe("ab cd\n")
  })
})

describe("optional text", () => {
  it("is trimmed, and blank text is no value", () => {
    expect(Schema.decodeUnknownSync(OptionalText(10))("  hi ")).toBe("hi")
    expect(Schema.decodeUnknownSync(OptionalText(10))("   ")).toBeNull()
    expect(() => Schema.decodeUnknownSync(OptionalText(3))("abcd")).toThrow()
  })
})

describe("required text", () => {
  it("is trimmed and must not be blank", () => {
    expect(Schema.decodeUnknownSync(RequiredText(10))(" hi ")).toBe("hi")
    expect(() => Schema.decodeUnknownSync(RequiredText(10))("  ")).toThrow("Must not be blank")
    expect(() => Schema.decodeUnknownSync(RequiredText(3))("abcd")).toThrow()
  })
})
