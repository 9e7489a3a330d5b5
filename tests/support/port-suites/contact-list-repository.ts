import { assert } from "@effect/vitest"
import { DateTime, Effect, Option } from "effect"
import { v7 } from "uuid"
import { ContactListRepository } from "../../../application/ports/contact-list-repository.ts"
import { ContactReferences } from "../../../application/ports/contact-references.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { OptOutLog } from "../../../application/ports/opt-out-log.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { type Contact, ContactId } from "../../../domain/contact.ts"
import { type ContactList, ContactListId, dayRange, ImportId } from "../../../domain/list/contact-list.ts"
import { at, created, idsOf, makeContact, sortedIds, updated } from "./fixtures.ts"
import { freshPhone, optOutEvent } from "./opt-out-log.ts"
import { allPages } from "./paging.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const makeList = (fields: Partial<ContactList> = {}): ContactList => ({
  id: ContactListId.make(v7()),
  name: `List ${v7()}`,
  description: null,
  createdAt: created,
  updatedAt: created,
  ...fields
})

/** A tag no other test uses, to keep a filter to this test's contacts (the suites of a file share one database). */
const freshTag = () => `t-${v7()}`

const insertContacts = (contacts: ReadonlyArray<Contact>) =>
  Effect.flatMap(ContactRepository, (repo) => Effect.forEach(contacts, repo.insert, { discard: true }))

const memberIds = (listId: ContactListId) =>
  Effect.flatMap(ContactListRepository, (lists) => Effect.map(lists.members(listId, { after: undefined, limit: 200 }), idsOf))

export const contactListRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores, renames and deletes lists, and lists them in id order a page at a time", () =>
      Effect.gen(function*() {
        const lists = yield* ContactListRepository
        const first = makeList({ description: "Spring leads" })
        const second = makeList()
        yield* lists.insert(first)
        yield* lists.insert(second)
        assert.deepStrictEqual(yield* lists.findById(first.id), Option.some({ list: first, memberCount: 0 }))
        const renamed = { ...first, name: `${first.name} (renamed)`, description: null, updatedAt: updated }
        // The creation time is the row's own.
        assert.isTrue(yield* lists.update({ ...renamed, createdAt: updated }))
        assert.deepStrictEqual(yield* lists.findById(first.id), Option.some({ list: renamed, memberCount: 0 }))
        assert.isFalse(yield* lists.update(makeList()))

        const pages = yield* allPages((after: ContactListId | undefined) =>
          Effect.map(lists.list({ after, limit: 1 }), (rows) => rows.map((row) => row.list.id)), 1)
        const seen = pages.flat()
        assert.deepStrictEqual(seen.filter((id) => id === first.id || id === second.id), sortedIds([first.id, second.id]))
        assert.deepStrictEqual(seen, [...seen].sort())

        assert.isTrue(yield* lists.delete(second.id))
        assert.isFalse(yield* lists.delete(second.id))
        assert.isTrue(Option.isNone(yield* lists.findById(second.id)))
      }))

    it.effect("refuses a name another list has, whatever its case", () =>
      Effect.gen(function*() {
        const lists = yield* ContactListRepository
        const taken = makeList()
        const other = makeList()
        yield* lists.insert(taken)
        yield* lists.insert(other)
        const insert = yield* Effect.flip(lists.insert(makeList({ name: taken.name.toUpperCase() })))
        assert.strictEqual(insert._tag, "ContactListNameTaken")
        const update = yield* Effect.flip(lists.update({ ...other, name: taken.name }))
        assert.strictEqual(update._tag, "ContactListNameTaken")
        // A list may keep its own name in another case.
        assert.isTrue(yield* lists.update({ ...taken, name: taken.name.toUpperCase() }))
      }))

    it.effect("adds active contacts once, pages the members in id order and removes them", () =>
      Effect.gen(function*() {
        const lists = yield* ContactListRepository
        const list = makeList()
        yield* lists.insert(list)
        const [a, b, c] = [makeContact({ firstName: "A" }), makeContact({ firstName: "B" }), makeContact({ firstName: "C" })]
        const merged = makeContact({ firstName: "M", status: "merged", mergedIntoId: a.id })
        yield* insertContacts([a, b, c, merged])
        const addedAt = at("2026-06-01T00:00:00.000Z")
        const unknown = ContactId.make(v7())
        assert.strictEqual(yield* lists.addMembers(list.id, [c.id, a.id, merged.id, unknown, a.id], { addedAt }), 2)
        assert.strictEqual(yield* lists.addMembers(list.id, [a.id, b.id], { addedAt, importId: ImportId.make(v7()) }), 1)
        assert.strictEqual(yield* lists.addMembers(list.id, [], { addedAt }), 0)
        assert.deepStrictEqual(Option.map(yield* lists.findById(list.id), (s) => s.memberCount), Option.some(3))

        const pages = yield* allPages((after: Contact | undefined) => lists.members(list.id, { after: after?.id, limit: 2 }), 2)
        assert.deepStrictEqual(pages.map((page) => page.length), [2, 1])
        assert.deepStrictEqual(idsOf(pages.flat()), sortedIds([a.id, b.id, c.id]))
        assert.deepStrictEqual(pages.flat().find((m) => m.id === b.id), b)

        assert.strictEqual(yield* lists.removeMembers(list.id, [b.id, unknown, b.id]), 1)
        assert.deepStrictEqual(yield* memberIds(list.id), sortedIds([a.id, c.id]))
        // A deleted contact leaves its lists with it.
        assert.isTrue(yield* (yield* ContactRepository).delete(c.id))
        assert.deepStrictEqual(yield* memberIds(list.id), [a.id])
        assert.deepStrictEqual(Option.map(yield* lists.findById(list.id), (s) => s.memberCount), Option.some(1))
        assert.strictEqual(yield* lists.removeMembers(list.id, [c.id]), 0)
        // Another list is untouched; deleting a list leaves its contacts.
        const other = makeList()
        yield* lists.insert(other)
        assert.deepStrictEqual(yield* memberIds(other.id), [])
        assert.isTrue(yield* lists.delete(list.id))
        assert.deepStrictEqual(yield* memberIds(list.id), [])
        assert.isTrue(Option.isSome(yield* (yield* ContactRepository).findById(a.id)))
      }))

    it.effect("refuses to add to an absent list, and a failed transaction adds nobody", () =>
      Effect.gen(function*() {
        const lists = yield* ContactListRepository
        const tx = yield* Transactor
        const contact = makeContact()
        yield* insertContacts([contact])
        const absent = ContactListId.make(v7())
        const byId = yield* Effect.flip(lists.addMembers(absent, [contact.id], { addedAt: updated }))
        assert.deepStrictEqual([byId._tag, byId.id], ["ContactListNotFound", absent])
        const byFilter = yield* Effect.flip(lists.addByFilter(absent, {}, updated))
        assert.strictEqual(byFilter._tag, "ContactListNotFound")
        const list = makeList()
        yield* lists.insert(list)
        yield* Effect.exit(tx.withTransaction(Effect.andThen(lists.addMembers(list.id, [contact.id], { addedAt: updated }), Effect.die("boom"))))
        assert.deepStrictEqual(yield* memberIds(list.id), [])
      }))

    it.effect("adds by tag, creation days and phone, all conditions together", () =>
      Effect.gen(function*() {
        const lists = yield* ContactListRepository
        const tag = freshTag()
        const early = makeContact({ tags: [tag], phone: freshPhone(), createdAt: at("2026-01-31T23:59:59.999Z") })
        const inRange = makeContact({ tags: [tag, "vip"], phone: freshPhone(), createdAt: at("2026-02-01T00:00:00.000Z") })
        const lastDay = makeContact({ tags: [tag], createdAt: at("2026-02-28T23:59:59.999Z") })
        const late = makeContact({ tags: [tag], phone: freshPhone(), createdAt: at("2026-03-01T00:00:00.000Z") })
        const untagged = makeContact({ createdAt: at("2026-02-10T00:00:00.000Z") })
        const merged = makeContact({ tags: [tag], status: "merged", mergedIntoId: early.id, createdAt: at("2026-02-10T00:00:00.000Z") })
        yield* insertContacts([early, inRange, lastDay, late, untagged, merged])
        const february = dayRange("2026-02-01", "2026-02-28")

        const byDays = makeList()
        yield* lists.insert(byDays)
        assert.strictEqual(yield* lists.addByFilter(byDays.id, { tag, created: february }, updated), 2)
        assert.deepStrictEqual(yield* memberIds(byDays.id), sortedIds([inRange.id, lastDay.id]))
        // Run again, it adds nobody twice.
        assert.strictEqual(yield* lists.addByFilter(byDays.id, { tag, created: february }, updated), 0)

        const withPhone = makeList()
        yield* lists.insert(withPhone)
        assert.strictEqual(yield* lists.addByFilter(withPhone.id, { tag, hasPhone: true }, updated), 3)
        assert.deepStrictEqual(yield* memberIds(withPhone.id), sortedIds([early.id, inRange.id, late.id]))
        const withoutPhone = makeList()
        yield* lists.insert(withoutPhone)
        assert.strictEqual(yield* lists.addByFilter(withoutPhone.id, { tag, hasPhone: false, created: dayRange("2026-02-28", undefined) }, updated), 1)
        assert.deepStrictEqual(yield* memberIds(withoutPhone.id), [lastDay.id])

        const everyone = makeList()
        yield* lists.insert(everyone)
        // No condition: every active contact (other tests' too, on a shared database).
        assert.isAtLeast(yield* lists.addByFilter(everyone.id, {}, updated), 5)
        const all = new Set(yield* Effect.map(
          allPages((after: Contact | undefined) => lists.members(everyone.id, { after: after?.id, limit: 200 }), 200),
          (pages) => idsOf(pages.flat())
        ))
        assert.isTrue([early, inRange, lastDay, late, untagged].every((c) => all.has(c.id)) && !all.has(merged.id))
      }))

    it.effect("leaves out contacts whose latest opt-out entry, or a merged contact's, is an opt-out", () =>
      Effect.gen(function*() {
        const lists = yield* ContactListRepository
        const log = yield* OptOutLog
        const tag = freshTag()
        const [stopped, returned, clean, absorbed] = [freshPhone(), freshPhone(), freshPhone(), freshPhone()]
        const optedOut = makeContact({ tags: [tag], phone: stopped })
        const optedBackIn = makeContact({ tags: [tag], phone: returned })
        const fine = makeContact({ tags: [tag], phone: clean })
        const noPhone = makeContact({ tags: [tag] })
        const primary = makeContact({ tags: [tag] })
        const secondary = makeContact({ phone: absorbed, status: "merged", mergedIntoId: primary.id })
        yield* insertContacts([optedOut, optedBackIn, fine, noPhone, primary, secondary])
        yield* log.record(optOutEvent(stopped))
        yield* log.record(optOutEvent(returned))
        yield* log.record(optOutEvent(returned, { action: "opt-in", source: "api", keyword: null, messageId: null, occurredAt: at("2026-05-02T00:00:00.000Z") }))
        yield* log.record(optOutEvent(absorbed))
        const list = makeList()
        yield* lists.insert(list)
        assert.strictEqual(yield* lists.addByFilter(list.id, { tag, notOptedOut: true }, updated), 3)
        assert.deepStrictEqual(yield* memberIds(list.id), sortedIds([optedBackIn.id, fine.id, noPhone.id]))
      }))

    it.effect("adds the contacts an import touched, by import id and import days", () =>
      Effect.gen(function*() {
        const lists = yield* ContactListRepository
        const [first, second] = [ImportId.make(v7()), ImportId.make(v7())]
        const [a, b, c] = [makeContact({ firstName: "A" }), makeContact({ firstName: "B" }), makeContact({ firstName: "C" })]
        yield* insertContacts([a, b, c])
        const march = at("2026-03-10T12:00:00.000Z")
        const april = at("2026-04-10T12:00:00.000Z")
        yield* lists.recordImported([
          { importId: first, contactId: a.id, importedAt: march },
          { importId: first, contactId: b.id, importedAt: march },
          { importId: second, contactId: b.id, importedAt: april },
          { importId: second, contactId: c.id, importedAt: april }
        ])
        // Noted again (a resumed batch): kept as it was.
        yield* lists.recordImported([{ importId: first, contactId: c.id, importedAt: april }, { importId: first, contactId: a.id, importedAt: april }])
        yield* lists.recordImported([])

        const byImport = makeList()
        yield* lists.insert(byImport)
        assert.strictEqual(yield* lists.addByFilter(byImport.id, { importId: first }, updated), 3)
        assert.deepStrictEqual(yield* memberIds(byImport.id), sortedIds([a.id, b.id, c.id]))

        // One import row must meet both the id and the days: `first` touched c only in April.
        const byBoth = makeList()
        yield* lists.insert(byBoth)
        assert.strictEqual(yield* lists.addByFilter(byBoth.id, { importId: first, imported: dayRange("2026-03-10", "2026-03-10") }, updated), 2)
        assert.deepStrictEqual(yield* memberIds(byBoth.id), sortedIds([a.id, b.id]))

        const byDays = makeList()
        yield* lists.insert(byDays)
        const added = yield* lists.addByFilter(byDays.id, { imported: dayRange("2026-04-10", "2026-04-10") }, updated)
        const ids = new Set(yield* memberIds(byDays.id))
        assert.isTrue(added >= 2 && ids.has(b.id) && ids.has(c.id) && !ids.has(a.id))
      }))

    it.effect("keeps one membership per list through a contact merge, and its undo", () =>
      Effect.gen(function*() {
        const lists = yield* ContactListRepository
        const contacts = yield* ContactRepository
        const references = yield* ContactReferences
        const primary = makeContact({ firstName: "Pat" })
        const secondary = makeContact({ firstName: "Patricia" })
        yield* insertContacts([primary, secondary])
        const [both, onlySecondary, onlyPrimary] = [makeList(), makeList(), makeList()]
        yield* Effect.forEach([both, onlySecondary, onlyPrimary], lists.insert, { discard: true })
        const addedAt = updated
        yield* lists.addMembers(both.id, [primary.id, secondary.id], { addedAt })
        yield* lists.addMembers(onlySecondary.id, [secondary.id], { addedAt })
        yield* lists.addMembers(onlyPrimary.id, [primary.id], { addedAt })

        // What a merge does to the data: references move, then the secondary is marked merged.
        const moves = yield* references.moveAll(secondary.id, primary.id)
        const mergedAt = DateTime.makeUnsafe("2026-06-01T00:00:00.000Z")
        yield* contacts.update({ ...secondary, status: "merged", mergedIntoId: primary.id, updatedAt: mergedAt })
        for (const list of [both, onlySecondary, onlyPrimary]) assert.deepStrictEqual(yield* memberIds(list.id), [primary.id])
        assert.deepStrictEqual(Option.map(yield* lists.findById(both.id), (s) => s.memberCount), Option.some(1))

        // The undo: the moved memberships go back, the one that stayed is there again.
        yield* contacts.update(secondary)
        yield* references.moveBack(moves, primary.id, secondary.id)
        assert.deepStrictEqual(yield* memberIds(both.id), sortedIds([primary.id, secondary.id]))
        assert.deepStrictEqual(yield* memberIds(onlySecondary.id), [secondary.id])
        assert.deepStrictEqual(yield* memberIds(onlyPrimary.id), [primary.id])
      }))
  })
