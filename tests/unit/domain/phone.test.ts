import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { E164, formatPhone, NormalizedPhone, normalizePhone, PhoneInput } from "../../../domain/phone.ts"

const ok = (input: string) => Result.getOrThrow(normalizePhone(input))
const reason = (input: string) => Result.match(normalizePhone(input), { onSuccess: () => "valid", onFailure: (e) => e.reason })

describe("normalizePhone", () => {
  it.each([
    ["(415) 555-2671", "+14155552671"],
    ["415.555.2671", "+14155552671"],
    ["1-415-555-2671", "+14155552671"],
    ["+1 415 555 2671", "+14155552671"],
    ["  212 736 5000  ", "+12127365000"]
  ])("reads the US number %s as %s", (input, e164) => {
    expect(ok(input)).toStrictEqual({ e164, extension: null })
  })

  it.each([
    ["415-555-2671 ext 123", "123"],
    ["415 555 2671 #45", "45"],
    ["4155552671x9", "9"],
    ["(212) 736-5000 extension 7", "7"]
  ])("keeps the extension of %s apart", (input, extension) => {
    expect(ok(input)).toEqual({ e164: input.startsWith("(212)") ? "+12127365000" : "+14155552671", extension })
  })

  it("accepts international numbers written with +CC", () => {
    expect(ok("+44 20 7946 0958").e164).toBe("+442079460958")
    expect(ok("+33 1 42 68 53 00").e164).toBe("+33142685300")
  })

  it("rejects an unassigned area code such as 555", () => {
    expect(reason("555-123-4567")).toBe("Not an assigned phone number (check the area code)")
  })

  it("rejects a number with too few digits, text and blanks", () => {
    expect(reason("555-2671")).toBe("Wrong number of digits for a phone number")
    expect(reason("12345")).toBe("Wrong number of digits for a phone number")
    expect(reason("call me")).toBe("Not a phone number")
    expect(reason("   ")).toBe("Phone number is empty")
  })

  it("decodes through the PhoneInput schema with the reason as the message", () => {
    expect(Schema.decodeUnknownSync(PhoneInput)("(415) 555-2671")).toStrictEqual({ e164: "+14155552671", extension: null })
    expect(() => Schema.decodeUnknownSync(PhoneInput)("555-123-4567")).toThrow(/area code/)
  })

  it("encodes a normalised phone back to text it reads again", () => {
    const phone = Schema.decodeUnknownSync(PhoneInput)("415-555-2671 x12")
    const text = Schema.encodeSync(PhoneInput)(phone)
    expect(Schema.decodeUnknownSync(PhoneInput)(text)).toEqual(phone)
  })

  it("names a failure InvalidPhone and keeps what was typed", () => {
    const failure = Result.match(normalizePhone(" call me "), { onSuccess: () => undefined, onFailure: (e) => e })
    expect(failure?._tag).toBe("InvalidPhone")
    expect(failure?.input).toBe(" call me ")
  })

  it("writes a phone without extension as the bare E.164 number", () => {
    expect(formatPhone({ e164: "+14155552671", extension: null })).toBe("+14155552671")
    expect(formatPhone({ e164: "+14155552671", extension: "12" })).toBe("+14155552671 ext 12")
    expect(Schema.encodeSync(PhoneInput)({ e164: "+12127365000", extension: null })).toBe("+12127365000")
  })
})

describe("E164", () => {
  const isE164 = Schema.is(E164)

  it("accepts + and 2 to 15 digits, the first not 0", () => {
    expect(["+14155552671", "+12", "+123456789012345"].filter(isE164)).toHaveLength(3)
    expect(["14155552671", "+0123", "+1", "+1234567890123456", "+1 415 555 2671"].filter(isE164)).toEqual([])
  })

  it("accepts nothing before the + or after the last digit", () => {
    expect(isE164("tel:+14155552671")).toBe(false)
    expect(isE164("+14155552671 ext 12")).toBe(false)
    expect(isE164("+14155552671\n")).toBe(false)
  })

  it("says what form it expects", () => {
    expect(() => Schema.decodeUnknownSync(E164)("4155552671")).toThrow(
      "Expected a phone number in E.164 form such as +14155552671"
    )
  })
})

describe("NormalizedPhone", () => {
  it("holds an E.164 number and an optional extension", () => {
    const decode = Schema.decodeUnknownSync(NormalizedPhone)
    expect(decode({ e164: "+14155552671", extension: "12" })).toStrictEqual({ e164: "+14155552671", extension: "12" })
    expect(() => decode({ e164: "(415) 555-2671", extension: null })).toThrow(/E\.164/)
    expect(() => decode({ e164: "+14155552671" })).toThrow(/extension/)
  })
})
