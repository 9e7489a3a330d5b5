import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { normalizePhone, PhoneInput } from "../../../domain/phone.ts"

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
    expect(ok(input)).toEqual({ e164, extension: null })
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
    expect(reason("555-123-4567")).toMatch(/area code/)
  })

  it("rejects a number with too few digits, text and blanks", () => {
    expect(reason("555-2671")).not.toBe("valid")
    expect(reason("12345")).toMatch(/digits/)
    expect(reason("call me")).toBe("Not a phone number")
    expect(reason("   ")).toBe("Phone number is empty")
  })

  it("decodes through the PhoneInput schema with the reason as the message", () => {
    expect(Schema.decodeUnknownSync(PhoneInput)("(415) 555-2671")).toEqual({ e164: "+14155552671", extension: null })
    expect(() => Schema.decodeUnknownSync(PhoneInput)("555-123-4567")).toThrow(/area code/)
  })

  it("encodes a normalised phone back to text it reads again", () => {
    const phone = Schema.decodeUnknownSync(PhoneInput)("415-555-2671 x12")
    const text = Schema.encodeSync(PhoneInput)(phone)
    expect(Schema.decodeUnknownSync(PhoneInput)(text)).toEqual(phone)
  })
})
