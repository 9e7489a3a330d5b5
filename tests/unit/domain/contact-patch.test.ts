import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import type { Address, ContactFields } from "../../../domain/contact.ts"
import { applyAddress, applyContactPatch, ContactPatch, NewContact } from "../../../domain/contact-input.ts"

const FULL: Address = { street: "1 Main St", city: "Austin", state: "TX", postalCode: "78701" }

const current: ContactFields = {
  firstName: "Ann", lastName: "Lee", phone: "+14155552671", phoneExtension: "12", email: "ann@example.com",
  company: "Acme", address: FULL, tags: ["vip"], notes: "Dog in yard"
}

const patch = (input: object) => applyContactPatch(current, Schema.decodeUnknownSync(ContactPatch)(input))

describe("applyAddress", () => {
  it("merges key by key: absent keeps, null clears, and an address left blank is none", () => {
    expect(applyAddress(FULL, undefined)).toBe(FULL)
    expect(applyAddress(FULL, null)).toBeNull()
    expect(applyAddress(FULL, {})).toStrictEqual(FULL)
    expect(applyAddress(FULL, { street: "9 Elm Rd", state: null })).toStrictEqual({ ...FULL, street: "9 Elm Rd", state: null })
    expect(applyAddress(FULL, { city: "Dallas", postalCode: null })).toStrictEqual({ ...FULL, city: "Dallas", postalCode: null })
    expect(applyAddress(null, { city: "Dallas" })).toStrictEqual({ street: null, city: "Dallas", state: null, postalCode: null })
    for (const part of ["street", "city", "state", "postalCode"] as const) {
      const only: Address = { street: null, city: null, state: null, postalCode: null, [part]: "x" }
      expect(applyAddress(only, {}), part).toStrictEqual(only)
      expect(applyAddress(only, { [part]: null }), part).toBeNull()
    }
  })
})

describe("applyContactPatch", () => {
  it("keeps the phone and its extension when the patch has no phone", () => {
    expect(Result.getOrThrow(patch({ firstName: "Anne" }))).toStrictEqual({ ...current, firstName: "Anne" })
  })

  it("takes a new phone with the extension written in it, or none", () => {
    expect(Result.getOrThrow(patch({ phone: "212 736 5000 x7" }))).toMatchObject({ phone: "+12127365000", phoneExtension: "7" })
    expect(Result.getOrThrow(patch({ phone: "212 736 5000" }))).toMatchObject({ phone: "+12127365000", phoneExtension: null })
    expect(Result.getOrThrow(patch({ phone: null }))).toMatchObject({ phone: null, phoneExtension: null })
  })

  it("refuses an extension without a phone, naming the field", () => {
    const failure = Result.match(patch({ phone: null, phoneExtension: "5" }), { onSuccess: () => undefined, onFailure: (e) => e })
    expect(failure).toMatchObject({ _tag: "InvalidContact", path: "phoneExtension", message: "An extension needs a phone number" })
  })

  it("refuses an extension that differs from the one written in the phone, at phoneExtension", () => {
    for (const schema of [ContactPatch, NewContact]) {
      const result = Schema.decodeUnknownResult(schema as Schema.Decoder<unknown>)(
        { firstName: "Ann", phone: "415 555 2671 ext 1", phoneExtension: "2" }, { errors: "all" }
      )
      expect(Result.isFailure(result)).toBe(true)
      const message = Result.isFailure(result) ? String(result.failure) : ""
      expect(message).toContain("Differs from the extension written in phone")
      expect(message).toContain("phoneExtension")
    }
  })
})
