import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { type ContactFields } from "../../../domain/contact.ts"
import { applyContactPatch, ContactPatch, NewContact, newContactFields } from "../../../domain/contact-input.ts"
import { duplicateReasons } from "../../../domain/duplicates.ts"
import { searchWords } from "../../../application/contacts/search-words.ts"

const decodeNew = Schema.decodeUnknownSync(NewContact)
const decodePatch = Schema.decodeUnknownSync(ContactPatch)
const fields = (input: unknown) => Result.getOrThrow(newContactFields(decodeNew(input)))

describe("contact input", () => {
  it("trims text, turns blank text into null and lower-cases emails and tags", () => {
    expect(fields({ firstName: "  Ann ", lastName: "   ", company: " Acme ", email: " A@B.Co ", tags: [" VIP ", "vip", "Lead"] }))
      .toMatchObject({ firstName: "Ann", lastName: null, company: "Acme", email: "a@b.co", tags: ["vip", "lead"] })
  })

  it("refuses a blank first name, a bad email and an extension that contradicts the phone", () => {
    expect(() => decodeNew({ firstName: "   " })).toThrow(/blank/)
    expect(() => decodeNew({ firstName: "A", email: "not-an-email" })).toThrow(/email address/)
    expect(() => decodeNew({ firstName: "A", phone: "415 555 2671 x1", phoneExtension: "2" })).toThrow(/Differs/)
    expect(() => decodeNew({ firstName: "A", phone: "415 555 2671 x1", phoneExtension: null })).toThrow(/Differs/)
    expect(fields({ firstName: "A", phone: "415 555 2671 x1", phoneExtension: "1" }).phoneExtension).toBe("1")
  })

  it("drops an address whose parts are all blank", () => {
    expect(fields({ firstName: "A", address: { street: " ", city: "" } }).address).toBeNull()
  })

  it("applies a merge patch: absent keeps, null clears, address merges, new phone brings its extension", () => {
    const current = fields({ firstName: "Ann", lastName: "Lee", phone: "415 555 2671 x7", address: { city: "Austin" } })
    const next = Result.getOrThrow(applyContactPatch(current, decodePatch({ lastName: null, address: { postalCode: "78701" }, phone: "212 736 5000" })))
    expect(next).toMatchObject({
      firstName: "Ann",
      lastName: null,
      phone: "+12127365000",
      phoneExtension: null,
      address: { street: null, city: "Austin", state: null, postalCode: "78701" }
    })
  })

  it("refuses an extension without a phone", () => {
    const current: ContactFields = fields({ firstName: "Ann" })
    expect(Result.isFailure(applyContactPatch(current, decodePatch({ phoneExtension: "12" })))).toBe(true)
  })
})

describe("duplicate reasons and search words", () => {
  it("flags the same phone, email, or full name in any case, but not a bare first name", () => {
    const a = fields({ firstName: "Ann", lastName: "Lee", phone: "4155552671", email: "a@x.co" })
    expect(duplicateReasons(a, fields({ firstName: "ANN", lastName: "lee", phone: "+1 415 555 2671", email: "A@X.CO" })))
      .toEqual(["phone", "email", "name"])
    expect(duplicateReasons(fields({ firstName: "Ann" }), fields({ firstName: "Ann" }))).toEqual([])
  })

  it("reduces phone-like words to digits", () => {
    expect(searchWords("  Sam (503) 555-0142 ")).toEqual(["sam", "503", "5550142"])
  })
})
