import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { v7 } from "uuid"
import { ContactReferences } from "../../../application/ports/contact-references.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { PropertyRepository } from "../../../application/ports/property-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import type { Contact } from "../../../domain/contact.ts"
import {
  EMPTY_PROPERTY_FIELDS,
  type Property,
  type PropertyFields,
  PropertyId,
  type PropertyLink,
  PropertyLinkId,
  withFields
} from "../../../domain/property/property.ts"
import { created, idsOf, makeContact, sortedIds, updated } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

/** A property whose street is unique to the test (rows of other tests share the table). */
export const makeProperty = (fields: Partial<PropertyFields> = {}): Property =>
  withFields({ id: PropertyId.make(v7()), createdAt: created, updatedAt: created }, {
    address: { line1: `${v7()} Main St`, line2: null, city: "Austin", state: "TX", zip: "78701" },
    ...EMPTY_PROPERTY_FIELDS,
    ...fields
  })

export const makeLink = (property: Property, contact: Contact, fields: Partial<PropertyLink> = {}): PropertyLink => ({
  id: PropertyLinkId.make(v7()),
  propertyId: property.id,
  contactId: contact.id,
  role: "owner",
  isPrimary: false,
  createdAt: created,
  ...fields
})

const apn = () => `APN-${v7()}`

export const propertyRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores and reads back every field, updates, and finds by APN and address", () =>
      Effect.gen(function*() {
        const repo = yield* PropertyRepository
        const full = makeProperty({
          address: { line1: `${v7()} North Oak Avenue`, line2: "Apt 4", city: "Denver", state: "CO", zip: "80202-1234" },
          propertyType: "Single Family",
          apn: apn(),
          latitude: 39.7392,
          longitude: -104.9903,
          yearBuilt: 1962,
          squareFeet: 1840,
          beds: 3,
          baths: 2.5,
          estimatedValueCents: 45_000_000,
          estimatedEquityCents: -1_250_050,
          estimatedEquityPercent: -2.75,
          purchaseDate: "2011-06-30",
          ownerOccupied: true,
          listedForSale: false,
          listingStatus: "Off market",
          foreclosure: false,
          mailingAddress: { line1: "PO Box 12", line2: null, city: "Boulder", state: "CO", zip: "80301" },
          notes: "Crack above the garage"
        })
        yield* repo.insert(full)
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(full))
        assert.deepStrictEqual(yield* repo.findByApn(full.apn ?? ""), Option.some(full))
        assert.deepStrictEqual(yield* repo.findByAddressKey({ addressKey: full.addressKey, zip5: "80202" }), [full])
        assert.deepStrictEqual(yield* repo.findByAddressKey({ addressKey: full.addressKey, zip5: "80203" }), [])
        // A partial mailing address stays an address; the creation time is the row's own.
        const changed: Property = {
          ...full,
          mailingAddress: { line1: null, line2: null, city: "Golden", state: null, zip: null },
          apn: null,
          baths: null,
          updatedAt: updated
        }
        yield* repo.update({ ...changed, createdAt: updated })
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(changed))
        assert.deepStrictEqual(yield* (yield* Transactor).withTransaction(repo.findByIdForUpdate(full.id)), Option.some(changed))
        assert.isTrue(Option.isNone(yield* repo.findById(PropertyId.make(v7()))))
        const never = makeProperty()
        yield* repo.update(never)
        assert.isTrue(Option.isNone(yield* repo.findById(never.id)))
        // A property without a ZIP matches on its address alone.
        const noZip = makeProperty({ address: { line1: `${v7()} Elm`, line2: null, city: null, state: null, zip: null } })
        yield* repo.insert(noZip)
        assert.deepStrictEqual(yield* repo.findByAddressKey({ addressKey: noZip.addressKey, zip5: null }), [noZip])
      }))

    it.effect("refuses a second property with the same APN, naming the one that has it", () =>
      Effect.gen(function*() {
        const repo = yield* PropertyRepository
        const shared = apn()
        const first = makeProperty({ apn: shared })
        yield* repo.insert(first)
        const error = yield* Effect.flip(repo.insert(makeProperty({ apn: shared })))
        assert.deepStrictEqual([error._tag, error.apn, error.existingId], ["ApnInUse", shared, first.id])
        const other = makeProperty({ apn: apn() })
        yield* repo.insert(other)
        const moved = yield* Effect.flip(repo.update({ ...other, apn: shared }))
        assert.strictEqual(moved.existingId, first.id)
        assert.deepStrictEqual(yield* repo.findById(other.id), Option.some(other))
        // A batch is all or nothing, and an APN twice in one batch conflicts too.
        const a = makeProperty({ apn: apn() })
        const twice = apn()
        const batch = yield* Effect.flip(repo.insertMany([a, makeProperty({ apn: twice }), makeProperty({ apn: twice })]))
        assert.deepStrictEqual([batch.apn, batch.existingId], [twice, null])
        assert.isTrue(Option.isNone(yield* repo.findById(a.id)))
      }))

    it.effect("lists in id order, by words, ZIP (ZIP+4 too) and linked contact, and deletes with the links", () =>
      Effect.gen(function*() {
        const repo = yield* PropertyRepository
        const word = `q${v7().slice(-8)}`
        const a = makeProperty({ address: { line1: `1 ${word} Rd`, line2: null, city: "Waco", state: "TX", zip: "76701-0001" } })
        const b = makeProperty({ address: { line1: `2 ${word} Rd`, line2: null, city: "Waco", state: "TX", zip: "76702" } })
        const c = makeProperty({ apn: `${word.toUpperCase()}-9`, address: { line1: "3 Other Rd", line2: null, city: null, state: null, zip: null } })
        yield* repo.insertMany([a, b, c])
        const contact = makeContact({ firstName: "Owner" })
        yield* (yield* ContactRepository).insert(contact)
        yield* repo.saveLink(makeLink(b, contact))
        const ids = (query: Parameters<typeof repo.list>[0]) => Effect.map(repo.list(query), idsOf)
        assert.deepStrictEqual(yield* ids({ q: word, limit: 10 }), sortedIds([a.id, b.id, c.id]))
        assert.deepStrictEqual(yield* ids({ q: `${word} waco`, limit: 10 }), sortedIds([a.id, b.id]))
        assert.deepStrictEqual(yield* ids({ q: word, zip: "76701", limit: 10 }), [a.id])
        assert.deepStrictEqual(yield* ids({ contactId: contact.id, limit: 10 }), [b.id])
        assert.deepStrictEqual(yield* ids({ q: word, after: a.id, limit: 1 }), [b.id])
        assert.isTrue(yield* repo.delete(b.id))
        assert.isFalse(yield* repo.delete(b.id))
        assert.deepStrictEqual(yield* repo.linksOf(b.id), [])
        assert.deepStrictEqual(yield* ids({ contactId: contact.id, limit: 10 }), [])
      }))

    it.effect("keeps one link per contact and one primary per property", () =>
      Effect.gen(function*() {
        const repo = yield* PropertyRepository
        const contacts = yield* ContactRepository
        const house = makeProperty()
        yield* repo.insert(house)
        const ann = makeContact({ firstName: "Ann" })
        const bob = makeContact({ firstName: "Bob" })
        yield* contacts.insert(ann)
        yield* contacts.insert(bob)
        const annLink = makeLink(house, ann, { isPrimary: true })
        yield* repo.saveLink(annLink)
        const bobLink = makeLink(house, bob, { role: "tenant" })
        yield* repo.saveLink(bobLink)
        assert.deepStrictEqual(yield* repo.linksOf(house.id), [annLink, bobLink])
        // Bob becomes primary: Ann's flag goes; saving again keeps the link's id.
        yield* repo.saveLink({ ...bobLink, id: PropertyLinkId.make(v7()), role: "property_manager", isPrimary: true })
        const bobNow = { ...bobLink, role: "property_manager" as const, isPrimary: true }
        assert.deepStrictEqual(yield* repo.linksOf(house.id), [bobNow, { ...annLink, isPrimary: false }])
        assert.deepStrictEqual(yield* repo.findLink(house.id, bob.id), Option.some(bobNow))
        assert.deepStrictEqual(yield* repo.listByContact({ contactId: bob.id, limit: 10 }), [{ property: house, link: bobNow }])
        assert.isTrue(yield* repo.unlink(house.id, bob.id))
        assert.isFalse(yield* repo.unlink(house.id, bob.id))
        assert.deepStrictEqual(yield* repo.linksOf(house.id), [{ ...annLink, isPrimary: false }])
      }))

    it.effect("batch: finds by APNs and addresses, updates, and adds only new links, one primary each", () =>
      Effect.gen(function*() {
        const repo = yield* PropertyRepository
        const contacts = yield* ContactRepository
        const a = makeProperty({ apn: apn() })
        const b = makeProperty({ address: { line1: `${v7()} Pine`, line2: null, city: null, state: null, zip: "10001" } })
        const c = makeProperty()
        yield* repo.insertMany([a, b, c])
        assert.deepStrictEqual(yield* repo.findManyByApn([a.apn ?? "", apn()]), [a])
        assert.deepStrictEqual(yield* repo.findManyByApn([]), [])
        assert.deepStrictEqual(
          yield* repo.findManyByAddressKey([{ addressKey: b.addressKey, zip5: "10001" }, { addressKey: c.addressKey, zip5: "78701" }]),
          sortedIds([b.id, c.id]).map((id) => (id === b.id ? b : c))
        )
        const changedA: Property = { ...a, beds: 4, updatedAt: updated }
        const changedB: Property = { ...b, notes: "fixed", updatedAt: updated }
        yield* repo.updateMany([changedA, changedB])
        assert.deepStrictEqual(yield* repo.findById(a.id), Option.some(changedA))
        assert.deepStrictEqual(yield* repo.findById(b.id), Option.some(changedB))

        const [x, y, z] = [makeContact({ firstName: "X" }), makeContact({ firstName: "Y" }), makeContact({ firstName: "Z" })]
        for (const contact of [x, y, z]) yield* contacts.insert(contact)
        const existing = makeLink(a, x, { isPrimary: true })
        yield* repo.saveLink(existing)
        const added = yield* repo.linkMany([
          makeLink(a, x, { role: "tenant" }), // already linked: left as it is
          makeLink(a, y, { isPrimary: true }), // a has a primary already
          makeLink(c, y, { isPrimary: true }),
          makeLink(c, z, { isPrimary: true }), // the first primary of the batch wins
          makeLink(c, z) // twice in the batch
        ])
        assert.strictEqual(added, 3)
        const flags = (property: Property) =>
          Effect.map(repo.linksOf(property.id), (links) => links.map((l) => [l.contactId, l.role, l.isPrimary]))
        assert.deepStrictEqual(yield* flags(a), [[x.id, "owner", true], [y.id, "owner", false]])
        assert.deepStrictEqual(yield* flags(c), [[y.id, "owner", true], [z.id, "owner", false]])
        assert.strictEqual(yield* repo.linkMany([]), 0)
      }))

    it.effect("a contact merge leaves one link per property on the primary; undo restores both", () =>
      Effect.gen(function*() {
        const repo = yield* PropertyRepository
        const contacts = yield* ContactRepository
        const references = yield* ContactReferences
        const shared = makeProperty()
        const own = makeProperty()
        yield* repo.insertMany([shared, own])
        const primary = makeContact({ firstName: "Pat" })
        const secondary = makeContact({ firstName: "Patricia" })
        yield* contacts.insert(primary)
        yield* contacts.insert(secondary)
        const primaryShared = makeLink(shared, primary, { isPrimary: true })
        const secondaryShared = makeLink(shared, secondary, { role: "tenant" })
        const secondaryOwn = makeLink(own, secondary, { isPrimary: true })
        for (const link of [primaryShared, secondaryShared, secondaryOwn]) yield* repo.saveLink(link)

        const moves = yield* references.moveAll(secondary.id, primary.id)
        assert.deepStrictEqual(
          moves.filter((m) => m.table === "contact_properties").map((m) => [m.column, m.rowIds]),
          [["contact_id", [secondaryOwn.id]]]
        )
        const listed = (contact: Contact) =>
          Effect.map(repo.listByContact({ contactId: contact.id, limit: 10 }), (rows) => rows.map((r) => r.link.id))
        assert.deepStrictEqual(yield* listed(primary), sortedIds([shared.id, own.id]).map((id) => (id === shared.id ? primaryShared.id : secondaryOwn.id)))
        assert.deepStrictEqual(
          Option.map(yield* repo.findLink(own.id, primary.id), (l) => l.id),
          Option.some(secondaryOwn.id)
        )

        // Once the secondary is marked merged, the link left behind it no longer shows.
        yield* contacts.update({ ...secondary, status: "merged", mergedIntoId: primary.id })
        assert.deepStrictEqual(idsOf(yield* repo.linksOf(shared.id)), [primaryShared.id])
        yield* contacts.update(secondary)
        yield* references.moveBack(moves, primary.id, secondary.id)
        assert.deepStrictEqual(yield* listed(primary), [primaryShared.id])
        assert.deepStrictEqual(yield* listed(secondary), sortedIds([shared.id, own.id]).map((id) => (id === shared.id ? secondaryShared.id : secondaryOwn.id)))
      }))

    it.effect("after a merge, the primary's link reads as primary when the secondary's left-behind link was", () =>
      Effect.gen(function*() {
        const repo = yield* PropertyRepository
        const contacts = yield* ContactRepository
        const references = yield* ContactReferences
        const house = makeProperty()
        yield* repo.insert(house)
        const primary = makeContact({ firstName: "Lee" })
        const secondary = makeContact({ firstName: "Leigh" })
        yield* contacts.insert(primary)
        yield* contacts.insert(secondary)
        const ours = makeLink(house, primary, { role: "tenant" })
        const theirs = makeLink(house, secondary, { isPrimary: true })
        yield* repo.saveLink(ours)
        yield* repo.saveLink(theirs)
        const moves = yield* references.moveAll(secondary.id, primary.id)
        yield* contacts.update({ ...secondary, status: "merged", mergedIntoId: primary.id })
        const flagged = { ...ours, isPrimary: true }
        assert.deepStrictEqual(yield* repo.linksOf(house.id), [flagged])
        assert.deepStrictEqual(yield* repo.findLink(house.id, primary.id), Option.some(flagged))
        assert.deepStrictEqual(yield* repo.listByContact({ contactId: primary.id, limit: 10 }), [{ property: house, link: flagged }])
        // Made not primary, it drops the inherited flag too.
        yield* repo.saveLink({ ...ours, isPrimary: false })
        assert.deepStrictEqual(yield* repo.linksOf(house.id), [ours])
        yield* repo.saveLink({ ...ours, isPrimary: true })
        yield* contacts.update(secondary)
        yield* references.moveBack(moves, primary.id, secondary.id)
        assert.deepStrictEqual(yield* repo.linksOf(house.id), [flagged, { ...theirs, isPrimary: false }])
      }))
  })
