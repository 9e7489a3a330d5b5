import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import fc from "fast-check"
import type { Address, ContactFields } from "../../../domain/contact.ts"
import { FieldSources, mergeContactFields } from "../../../domain/contact-merge.ts"

const SECONDARY_ID = "0190a0b0-0000-7000-8000-0000000000b2"

// Small pools make the two contacts share and clash on values often.
// Half the values are missing, so each branch of the rule is met in every run.
const maybe = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: null, freq: 2 })
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
          // The primary keeps what it has, so a value it lacked came from the secondary.
          expect(sources[key], key).toBe(fields[key] === null ? "none" : primary[key] !== null ? "primary" : "secondary")
        }
        const addsTags = secondary.tags.some((tag) => !primary.tags.includes(tag))
        expect(sources.tags).toBe(primary.tags.length > 0 ? (addsTags ? "both" : "primary") : (addsTags ? "secondary" : "none"))
        const addsNotes = fields.notes !== primary.notes
        expect(sources.notes).toBe(primary.notes !== null ? (addsNotes ? "both" : "primary") : (addsNotes ? "secondary" : "none"))
        expect(sources.firstName).toBe("primary")
      })
    )
  })

  it("fills each empty primary field with the secondary's value", () => {
    fc.assert(
      fc.property(contactFields, contactFields, (primary, secondary) => {
        const { fields } = merge(primary, secondary)
        for (const key of ["lastName", "email", "company", "phone", "address"] as const) {
          if (primary[key] === null) expect(fields[key], key).toEqual(secondary[key])
        }
        // The extension moves with the secondary's number.
        if (primary.phone === null) expect(fields.phoneExtension).toBe(secondary.phoneExtension)
      })
    )
  })

  it("writes no missing value into the notes", () => {
    fc.assert(
      fc.property(contactFields, contactFields, (primary, secondary) => {
        const notes = merge(primary, secondary).fields.notes
        expect(notes ?? "").not.toMatch(/null|undefined|, ,|, $|^, /mu)
        // Notes are joined by blank lines, and none of the parts is empty.
        for (const part of notes?.split("\n\n") ?? []) expect(part.trim()).not.toBe("")
      })
    )
  })

  it("changes nothing when both contacts hold the same data", () => {
    fc.assert(
      fc.property(contactFields, (contact) => {
        const { fields, sources } = merge(contact, structuredClone(contact))
        expect(fields).toEqual(contact)
        for (const key of SCALARS) expect(sources[key]).toBe(contact[key] === null ? "none" : "primary")
        expect(sources.tags).toBe(contact.tags.length === 0 ? "none" : "primary")
        expect(sources.notes).toBe(contact.notes === null ? "none" : "primary")
      })
    )
  })

  it("notes only the values that differ", () => {
    fc.assert(
      fc.property(contactFields, contactFields, (primary, secondary) => {
        const notes = merge(primary, structuredClone(secondary)).fields.notes ?? ""
        const leftOver = notes.split("\n").find((line) => line.startsWith("Merged from ")) ?? ""
        const noted = (label: string) => leftOver.includes(`: ${label}: `) || leftOver.includes(`; ${label}: `)
        expect(noted("first name")).toBe(primary.firstName !== secondary.firstName)
        for (const [key, label] of [["lastName", "last name"], ["email", "email"], ["company", "company"], ["address", "address"]] as const) {
          const clash = primary[key] !== null && secondary[key] !== null && JSON.stringify(primary[key]) !== JSON.stringify(secondary[key])
          expect(noted(label), label).toBe(clash)
        }
        // The secondary's number is noted unless it was taken, or matches with no clashing extension.
        const phoneClash = primary.phone !== null && secondary.phone !== null && (primary.phone !== secondary.phone ||
          (primary.phoneExtension !== null && secondary.phoneExtension !== null && primary.phoneExtension !== secondary.phoneExtension))
        expect(noted("phone")).toBe(phoneClash)
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

  it("describes the sources with the FieldSources schema", () => {
    const sources = {
      firstName: "primary", lastName: "secondary", phone: "primary", phoneExtension: "none", email: "secondary",
      company: "primary", address: "secondary", tags: "both", notes: "both"
    }
    expect(Schema.decodeUnknownSync(FieldSources)(sources)).toStrictEqual(sources)
    expect(() => Schema.decodeUnknownSync(FieldSources)({ ...sources, tags: "neither" })).toThrow(/tags/)
    expect(() => Schema.decodeUnknownSync(FieldSources)({ ...sources, notes: undefined })).toThrow(/notes/)
  })

  it("writes a clashing address as one line of its set parts", () => {
    const base: ContactFields = {
      firstName: "Ann", lastName: null, phone: null, phoneExtension: null, email: null, company: null,
      address: { street: "1 Main St", city: "Austin", state: "TX", postalCode: "78701" }, tags: [], notes: null
    }
    const noteFor = (address: Address) => merge(base, { ...base, address }).fields.notes
    const prefix = `Merged from Ann (${SECONDARY_ID}): address: `
    expect(noteFor({ street: "9 Elm Rd", city: "Dallas", state: "TX", postalCode: "75001" })).toBe(`${prefix}9 Elm Rd, Dallas, TX 75001`)
    expect(noteFor({ street: null, city: "Dallas", state: null, postalCode: "75001" })).toBe(`${prefix}Dallas, 75001`)
    expect(noteFor({ street: "9 Elm Rd", city: "", state: "CA", postalCode: null })).toBe(`${prefix}9 Elm Rd, CA`)
    expect(noteFor({ street: "9 Elm Rd", city: null, state: null, postalCode: null })).toBe(`${prefix}9 Elm Rd`)
  })

  it("takes addresses that differ in any one part as a clash", () => {
    const address: Address = { street: "1 Main St", city: "Austin", state: "TX", postalCode: "78701" }
    const base: ContactFields = {
      firstName: "Ann", lastName: null, phone: null, phoneExtension: null, email: null, company: null,
      address, tags: [], notes: null
    }
    for (const part of ["street", "city", "state", "postalCode"] as const) {
      const { fields, sources } = merge(base, { ...base, address: { ...address, [part]: "Other" } })
      expect(fields.address, part).toEqual(address)
      expect(sources.address).toBe("primary")
      expect(fields.notes, part).toMatch(/address: .*Other/u)
    }
    expect(merge(base, { ...base, address: { ...address } }).fields.notes).toBeNull()
  })

  it("notes a clashing number with its extension, and one without as the bare number", () => {
    const base: ContactFields = {
      firstName: "Ann", lastName: null, phone: "+14155552671", phoneExtension: null, email: null, company: null,
      address: null, tags: [], notes: null
    }
    const prefix = `Merged from Ann (${SECONDARY_ID}): phone: `
    expect(merge(base, { ...base, phone: "+12127365000" }).fields.notes).toBe(`${prefix}+12127365000`)
    expect(merge(base, { ...base, phone: "+12127365000", phoneExtension: "7" }).fields.notes).toBe(`${prefix}+12127365000 ext 7`)
    expect(merge({ ...base, phoneExtension: "1" }, { ...base, phoneExtension: "2" }).fields.notes).toBe(`${prefix}+14155552671 ext 2`)
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
