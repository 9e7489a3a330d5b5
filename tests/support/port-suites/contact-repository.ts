import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { v7 } from "uuid"
import { ContactMergeRepository } from "../../../application/ports/contact-merge-repository.ts"
import { ContactRepository, type ContactQuery, type DuplicatePairRow } from "../../../application/ports/contact-repository.ts"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { type Contact, ContactId } from "../../../domain/contact.ts"
import { allPages } from "./paging.ts"
import { idsOf, makeContact, makeCustomer, makeMerge, sortedIds, updated } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const contactRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores and reads back every field, updates, finds by ids and answers none for an unknown id", () =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const full = makeContact({
          firstName: "Ann",
          lastName: "Lee",
          phone: "+14155552671",
          phoneExtension: "12",
          email: "ann@example.com",
          company: "Acme Foundations",
          address: { street: "1 Main St", city: "Austin", state: "TX", postalCode: "78701" },
          tags: ["roundtrip", "vip"],
          notes: "Prefers mornings"
        })
        const bare = makeContact({ firstName: "Bo" })
        yield* repo.insert(full)
        yield* repo.insert(bare)
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(full))
        assert.deepStrictEqual(yield* repo.findById(bare.id), Option.some(bare))
        // A partial address stays an address.
        const changed = {
          ...full,
          lastName: null,
          phone: null,
          phoneExtension: null,
          address: { street: null, city: "Dallas", state: null, postalCode: null },
          tags: [],
          updatedAt: updated
        }
        // The creation time is the row's own: an update leaves it.
        yield* repo.update({ ...changed, createdAt: updated })
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(changed))
        assert.isTrue(Option.isNone(yield* repo.findById(ContactId.make(v7()))))
        const never = makeContact()
        yield* repo.update(never)
        assert.isTrue(Option.isNone(yield* repo.findById(never.id)))
        const found = yield* repo.findByIds([bare.id, ContactId.make(v7()), full.id, bare.id])
        assert.deepStrictEqual(sortedIds(idsOf(found)), sortedIds([full.id, bare.id]))
        assert.deepStrictEqual(found.find((c) => c.id === full.id), changed)
        assert.deepStrictEqual(yield* repo.findByIds([]), [])
        const locked = yield* (yield* Transactor).withTransaction(repo.findByIdForUpdate(bare.id))
        assert.deepStrictEqual(locked, Option.some(bare))
      }))

    it.effect("finds the active owner of a phone before an owner of the email, skipping excluded and merged contacts", () =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const emailOwner = makeContact({ firstName: "Eve", email: "owner@identity.example" })
        const phoneOwner = makeContact({ firstName: "Phil", phone: "+17205550111" })
        const merged = makeContact({ firstName: "Mo", phone: "+17205550122", status: "merged", mergedIntoId: phoneOwner.id })
        for (const contact of [emailOwner, phoneOwner, merged]) yield* repo.insert(contact)
        const owner = (phone: string | null, email: string | null, excluding: ReadonlyArray<ContactId> = []) =>
          repo.findIdentityOwner({ phone, email, excluding })
        // The email's owner sorts first, yet the phone is what names the owner.
        assert.deepStrictEqual(
          yield* owner("+17205550111", "owner@identity.example"),
          Option.some({ id: phoneOwner.id, field: "phone" as const })
        )
        assert.deepStrictEqual(
          yield* owner("+17205550111", "owner@identity.example", [phoneOwner.id]),
          Option.some({ id: emailOwner.id, field: "email" as const })
        )
        assert.deepStrictEqual(yield* owner(null, "owner@identity.example"), Option.some({ id: emailOwner.id, field: "email" as const }))
        assert.isTrue(Option.isNone(yield* owner("+17205550122", null)))
        assert.isTrue(Option.isNone(yield* owner(null, null)))
        assert.isTrue(Option.isNone(yield* owner("+17205550199", "nobody@identity.example")))
        yield* repo.lockIdentity({ phone: "+17205550111", email: null }).pipe((yield* Transactor).withTransaction)
      }))

    it.effect("filters by status, phone, email, tag and search words", () =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const sam = makeContact({
          firstName: "Sam",
          lastName: "Rivera",
          company: "Slab Masters",
          phone: "+15035550142",
          tags: ["filters", "vip"]
        })
        const samantha = makeContact({ firstName: "Samantha", email: "sam@rivera.example", tags: ["filters"] })
        const other = makeContact({ firstName: "Other", company: "100%_ Co", tags: ["filters"] })
        const gone = makeContact({ firstName: "Sammy", tags: ["filters"], status: "merged", mergedIntoId: sam.id })
        for (const contact of [sam, samantha, other, gone]) yield* repo.insert(contact)
        const ids = (query: Omit<ContactQuery, "limit">) => Effect.map(repo.list({ limit: 50, ...query }), idsOf)
        assert.deepStrictEqual(yield* ids({ tag: "filters" }), sortedIds([sam.id, samantha.id, other.id]))
        assert.deepStrictEqual(yield* ids({ tag: "filters", status: "merged" }), [gone.id])
        assert.deepStrictEqual(yield* ids({ tag: "filters", status: "all" }), sortedIds([sam.id, samantha.id, other.id, gone.id]))
        assert.deepStrictEqual(yield* ids({ tag: "vip" }), [sam.id])
        assert.deepStrictEqual(yield* ids({ tag: "nope" }), [])
        assert.deepStrictEqual(yield* ids({ phone: "+15035550142" }), [sam.id])
        assert.deepStrictEqual(yield* ids({ email: "sam@rivera.example" }), [samantha.id])
        assert.deepStrictEqual(yield* ids({ tag: "filters", q: "SAM" }), sortedIds([sam.id, samantha.id]))
        assert.deepStrictEqual(yield* ids({ tag: "filters", q: "rivera" }), sortedIds([sam.id, samantha.id]))
        assert.deepStrictEqual(yield* ids({ tag: "filters", q: "slab sam" }), [sam.id])
        assert.deepStrictEqual(yield* ids({ q: "(503) 555-0142" }), [sam.id])
        assert.deepStrictEqual(yield* ids({ q: "100%_" }), [other.id])
        assert.deepStrictEqual(yield* ids({ q: "0%_x" }), [])
        assert.deepStrictEqual(yield* ids({ tag: "filters", q: "sammy", status: "all" }), [gone.id])
      }))

    it.effect("pages in id order: exact pages, every contact once, then nothing", () =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const contacts = Array.from({ length: 5 }, (_, i) => makeContact({ firstName: `Page ${i}`, tags: ["paging"] }))
        // Inserted out of order: the listing orders by id, not by insertion.
        for (const contact of [...contacts].reverse()) yield* repo.insert(contact)
        const order = sortedIds(idsOf(contacts))
        const pages = yield* allPages((after: Contact | undefined) => repo.list({ tag: "paging", limit: 2, after: after?.id }), 2)
        assert.deepStrictEqual(pages.map(idsOf), [order.slice(0, 2), order.slice(2, 4), order.slice(4)])
        assert.deepStrictEqual(idsOf(yield* repo.list({ tag: "paging", limit: 50, after: order[1] })), order.slice(2))
      }))

    it.effect("lists duplicate pairs of active contacts with their reasons, a page at a time, each pair once", () =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const a = makeContact({ firstName: "Dana", lastName: "Cho", email: "dana@cho.example" })
        const b = makeContact({ firstName: "dana", lastName: "CHO" })
        const c = makeContact({ firstName: "Dee", phone: "+17205550101" })
        const d = makeContact({ firstName: "Dee", phone: "+17205550101", email: "dana@cho.example" })
        // No last name, no name key: a first name alone is not a duplicate.
        const e = makeContact({ firstName: "Dee" })
        const merged = makeContact({ firstName: "Dana", lastName: "Cho", status: "merged", mergedIntoId: a.id })
        for (const contact of [a, b, c, d, e, merged]) yield* repo.insert(contact)
        const mine = new Set<string>([a.id, b.id, c.id, d.id, e.id, merged.id])
        const key = (row: DuplicatePairRow) => `${row.firstId} ${row.secondId}`
        const everything = yield* repo.duplicatePairs({ after: undefined, limit: 1_000 })
        assert.deepStrictEqual(
          everything.filter((row) => mine.has(row.firstId) || mine.has(row.secondId)),
          [
            { firstId: a.id, secondId: b.id, reasons: ["name"] },
            { firstId: a.id, secondId: d.id, reasons: ["email"] },
            { firstId: c.id, secondId: d.id, reasons: ["phone"] }
          ]
        )
        assert.deepStrictEqual(everything.map(key), [...everything.map(key)].sort())
        const pages = yield* allPages(
          (after: DuplicatePairRow | undefined) => repo.duplicatePairs({ after: after && { firstId: after.firstId, secondId: after.secondId }, limit: 2 }),
          2
        )
        assert.deepStrictEqual(pages.flat(), everything)
      }))

    it.effect("lists the contacts merged into a contact, in id order", () =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const primary = makeContact({ firstName: "Pia" })
        const first = makeContact({ firstName: "Pi", status: "merged", mergedIntoId: primary.id })
        const second = makeContact({ firstName: "P.", status: "merged", mergedIntoId: primary.id })
        const elsewhere = makeContact({ firstName: "Po", status: "merged", mergedIntoId: first.id })
        for (const contact of [primary, second, first, elsewhere]) yield* repo.insert(contact)
        assert.deepStrictEqual(yield* repo.listMergedInto(primary.id), [first, second])
        assert.deepStrictEqual(yield* repo.listMergedInto(second.id), [])
      }))

    it.effect("deletes a contact with the contacts and merge records that hang on it, and clears customers' links", () =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const merges = yield* ContactMergeRepository
        const customers = yield* CustomerRepository
        const primary = makeContact({ firstName: "Ola" })
        const secondary = makeContact({ firstName: "Olaf", status: "merged", mergedIntoId: primary.id })
        const bystander = makeContact({ firstName: "Oli" })
        for (const contact of [primary, secondary, bystander]) yield* repo.insert(contact)
        const merge = makeMerge(primary, { ...secondary, status: "active", mergedIntoId: null })
        yield* merges.insert(merge)
        const customer = makeCustomer({ primaryContactId: primary.id })
        yield* customers.insert(customer)
        assert.isTrue(yield* repo.delete(primary.id))
        assert.isFalse(yield* repo.delete(primary.id))
        assert.deepStrictEqual(yield* repo.findByIds([primary.id, secondary.id, bystander.id]), [bystander])
        assert.deepStrictEqual(yield* merges.findByIdForUpdate(merge.id).pipe((yield* Transactor).withTransaction), Option.none())
        assert.deepStrictEqual(yield* customers.findById(customer.id), Option.some({ ...customer, primaryContactId: null }))
      }))

    it.effect("inserts and updates many at once, and finds active contacts by many phones or emails", () =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const full = makeContact({
          firstName: "Batch",
          lastName: "One",
          phone: "+17205550301",
          email: "batch.one@example.com",
          address: { street: "2 Oak Ave", city: null, state: "CO", postalCode: "80202" },
          tags: ["imported"],
          notes: "from a file"
        })
        const bare = makeContact({ firstName: "Batch", email: "batch.two@example.com" })
        const merged = makeContact({ firstName: "Gone", phone: "+17205550302", status: "merged", mergedIntoId: full.id })
        yield* repo.insertMany([full, bare, merged])
        yield* repo.insertMany([])
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(full))
        assert.deepStrictEqual(yield* repo.findById(bare.id), Option.some(bare))
        assert.deepStrictEqual(
          idsOf(yield* repo.findManyByPhones(["+17205550301", "+17205550302", "+17205550301", "+17205550399"])),
          [full.id]
        )
        assert.deepStrictEqual(
          sortedIds(idsOf(yield* repo.findManyByEmails(["batch.two@example.com", "batch.one@example.com"]))),
          sortedIds([full.id, bare.id])
        )
        assert.deepStrictEqual(yield* repo.findManyByPhones([]), [])
        const changedFull = { ...full, lastName: null, address: null, tags: [], updatedAt: updated }
        const changedBare = { ...bare, phone: "+17205550303", company: "Acme", updatedAt: updated }
        const never = makeContact({ firstName: "Never" })
        yield* repo.updateMany([{ ...changedFull, createdAt: updated }, changedBare, never])
        assert.deepStrictEqual(yield* repo.findById(full.id), Option.some(changedFull))
        assert.deepStrictEqual(yield* repo.findById(bare.id), Option.some(changedBare))
        assert.isTrue(Option.isNone(yield* repo.findById(never.id)))
        assert.deepStrictEqual(idsOf(yield* repo.findManyByPhones(["+17205550303"])), [bare.id])
      }))
  })
