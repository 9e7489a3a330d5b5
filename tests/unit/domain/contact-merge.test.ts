import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { Address, ContactFields } from "../../../domain/contact.ts"
import { mergeContactFields } from "../../../domain/contact-merge.ts"

const SECONDARY_ID = "0190a0b0-0000-7000-8000-0000000000b2"

// Small pools make the two contacts share and clash on values often.
const maybe = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: null })
// Distinctive values: none is a substring of another, of an id, of a phone or of the note's wording.
const text = fc.constantFrom("Annabel", "Bartholomew", "Acme Foundations", "Smithers", "Quill")
const phone = fc.constantFrom("+14155552671", "+12127365000", "+442079460958")
const address = fc.record({
  street: maybe(fc.constantFrom("1 Main St", "9 Elm Rd")),
  city: maybe(fc.constantFrom("Austin", "Dallas")),
  state: maybe(fc.constantFrom("TX", "CA")),
  postalCode: maybe(fc.constantFrom("78701", "75001"))
}).map((parts): Address => parts)

const contactFields: fc.Arbitrary<ContactFields> = fc
  .record({
    firstName: text,
    lastName: maybe(text),
    phone: maybe(phone),
    phoneExtension: maybe(fc.constantFrom("901", "902")),
    email: maybe(fc.constantFrom("ann@example.com", "bob@example.com")),
    company: maybe(text),
    address: maybe(address),
    tags: fc.uniqueArray(fc.constantFrom("vip", "lead", "basement", "slab"), { maxLength: 4 }),
    notes: maybe(fc.constantFrom("Prefers mornings", "Dog in yard", "Call first"))
  })
  .map((c) => (c.phone === null ? { ...c, phoneExtension: null } : c))

const merge = (primary: ContactFields, secondary: ContactFields) =>
  mergeContactFields(primary, secondary, SECONDARY_ID)

const SCALARS = ["lastName", "email", "company", "phone", "phoneExtension", "address"] as const

describe("mergeContactFields", () => {
  it("keeps every field the primary has set", () => {
    fc.assert(
      fc.property(contactFields, contactFields, (primary, secondary) => {
        const { fields } = merge(primary, secondary)
        expect(fields.firstName).toBe(primary.firstName)
        for (const key of SCALARS) {
          if (primary[key] !== null) expect(fields[key]).toEqual(primary[key])
        }
        expect(fields.tags.slice(0, primary.tags.length)).toEqual(primary.tags)
        if (primary.notes !== null) expect(fields.notes?.startsWith(primary.notes)).toBe(true)
      })
    )
  })

  it("loses no value that either contact held", () => {
    fc.assert(
      fc.property(contactFields, contactFields, (primary, secondary) => {
        const { fields } = merge(primary, secondary)
        const notes = fields.notes ?? ""
        // What the merge could not place sits in one labelled line of the notes.
        const leftOver = notes.split("\n").find((line) => line.startsWith("Merged from ")) ?? ""
        const entry = (label: string) => leftOver.split("; ").find((part) => part.includes(`${label}: `)) ?? ""
        const kept = (value: string, field: string | null, label: string) => field === value || entry(label).includes(value)
        for (const contact of [primary, secondary]) {
          expect(kept(contact.firstName, fields.firstName, "first name")).toBe(true)
          for (const [key, label] of [["lastName", "last name"], ["email", "email"], ["company", "company"], ["phone", "phone"]] as const) {
            const value = contact[key]
            if (value !== null) expect(kept(value, fields[key], label), `${key} ${value}`).toBe(true)
          }
          if (contact.phoneExtension !== null) {
            const extension = `ext ${contact.phoneExtension}`
            expect(fields.phoneExtension === contact.phoneExtension || entry("phone").endsWith(extension)).toBe(true)
          }
          for (const part of ["street", "city", "state", "postalCode"] as const) {
            const value = contact.address?.[part] ?? null
            if (value !== null) expect(kept(value, fields.address?.[part] ?? null, "address"), `${part} ${value}`).toBe(true)
          }
          for (const tag of contact.tags) expect(fields.tags).toContain(tag)
          if (contact.notes !== null) expect(notes.split("\n\n")).toContain(contact.notes)
        }
      })
    )
  })

  it("is deterministic", () => {
    fc.assert(
      fc.property(contactFields, contactFields, (primary, secondary) => {
        expect(merge(primary, secondary)).toEqual(merge(structuredClone(primary), structuredClone(secondary)))
      })
    )
  })

  it("names the source of each field truthfully", () => {
    fc.assert(
      fc.property(contactFields, contactFields, (primary, secondary) => {
        const { fields, sources } = merge(primary, secondary)
        for (const key of SCALARS) {
          if (sources[key] === "primary") expect(fields[key]).toEqual(primary[key])
          if (sources[key] === "secondary") expect(fields[key]).toEqual(secondary[key])
          if (sources[key] === "none") expect(fields[key]).toBeNull()
        }
      })
    )
  })

  it("fills empty primary fields, unions tags and joins notes", () => {
    const primary: ContactFields = {
      firstName: "Ann", lastName: null, phone: "+14155552671", phoneExtension: null, email: null,
      company: "Acme", address: null, tags: ["vip"], notes: "Prefers mornings"
    }
    const secondary: ContactFields = {
      firstName: "Annie", lastName: "Lee", phone: "+12127365000", phoneExtension: "7", email: "ann@example.com",
      company: "Acme", address: { street: "1 Main St", city: "Austin", state: "TX", postalCode: null },
      tags: ["lead", "vip"], notes: "Dog in yard"
    }
    const { fields, sources } = merge(primary, secondary)
    expect(fields).toEqual({
      firstName: "Ann",
      lastName: "Lee",
      phone: "+14155552671",
      phoneExtension: null,
      email: "ann@example.com",
      company: "Acme",
      address: secondary.address,
      tags: ["vip", "lead"],
      notes: `Prefers mornings\n\nDog in yard\n\nMerged from Annie Lee (${SECONDARY_ID}): first name: Annie; phone: +12127365000 ext 7`
    })
    expect(sources).toEqual({
      firstName: "primary", lastName: "secondary", phone: "primary", phoneExtension: "none", email: "secondary",
      company: "primary", address: "secondary", tags: "both", notes: "both"
    })
  })

  it("takes the secondary's extension onto the same number", () => {
    const base: ContactFields = {
      firstName: "Ann", lastName: null, phone: "+14155552671", phoneExtension: null, email: null,
      company: null, address: null, tags: [], notes: null
    }
    const { fields, sources } = merge(base, { ...base, phoneExtension: "12" })
    expect(fields.phoneExtension).toBe("12")
    expect(sources.phoneExtension).toBe("secondary")
    expect(fields.notes).toBeNull()
  })
})
