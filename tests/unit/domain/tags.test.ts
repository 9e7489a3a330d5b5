import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { normalizeTag, TagInput, unionTags } from "../../../domain/tags.ts"

const decode = Schema.decodeUnknownSync(TagInput)

describe("tags", () => {
  it("decode trimmed and lower-case", () => {
    expect(decode("  VIP ")).toBe("vip")
    expect(normalizeTag(" Lead")).toBe("lead")
  })

  it("encode a tag as it is", () => {
    expect(Schema.encodeSync(TagInput)("vip")).toBe("vip")
  })

  it.each(["", "   ", "\t\n"])("refuse blank input %j saying so", (input) => {
    expect(() => decode(input)).toThrow("Tags must not be blank")
  })

  it("refuse NUL and more than 64 characters", () => {
    expect(() => decode("a\u0000b")).toThrow("Must not contain NUL characters")
    expect(decode("x".repeat(64))).toBe("x".repeat(64))
    expect(() => decode("x".repeat(65))).toThrow()
  })

  it("union lists in first-seen order", () => {
    expect(unionTags(["b", "a"], ["a", "c"], [])).toEqual(["b", "a", "c"])
  })
})
