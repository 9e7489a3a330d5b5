import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { v7 } from "uuid"
import { ContactMergeRepository } from "../../../application/ports/contact-merge-repository.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { Actor, ContactMergeId, ContactMergeRecord } from "../../../domain/contact-merge-record.ts"
import { at, idsOf, makeContact, makeMerge, sortedIds } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const contactMergeRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    const contacts = (count: number) =>
      Effect.gen(function*() {
        const repo = yield* ContactRepository
        const made = Array.from({ length: count }, (_, i) => makeContact({ firstName: `Merge ${i}`, tags: [`t${i}`] }))
        for (const contact of made) yield* repo.insert(contact)
        return made
      })
    const findForUpdate = (id: ContactMergeId) =>
      Effect.gen(function*() {
        const repo = yield* ContactMergeRepository
        return yield* (yield* Transactor).withTransaction(repo.findByIdForUpdate(id))
      })

    it.effect("stores a merge record and reads every field back; none for an unknown id", () =>
      Effect.gen(function*() {
        const repo = yield* ContactMergeRepository
        const [primary, secondary] = yield* contacts(2)
        const full = makeMerge(
          { ...primary!, lastName: "Moss", address: { street: "1 Main St", city: null, state: "TX", postalCode: null } },
          { ...secondary!, email: "pat@moss.example", phone: "+13035550188", phoneExtension: "7" },
          { mergedBy: new Actor({ tokenId: v7(), name: "ops token" }) }
        )
        yield* repo.insert(full)
        assert.deepStrictEqual(yield* findForUpdate(full.id), Option.some(full))
        assert.isTrue(Option.isNone(yield* findForUpdate(ContactMergeId.make(v7()))))
      }))

    it.effect("marks a merge undone, with when and by whom", () =>
      Effect.gen(function*() {
        const repo = yield* ContactMergeRepository
        const [primary, secondary] = yield* contacts(2)
        const merge = makeMerge(primary!, secondary!)
        yield* repo.insert(merge)
        const by = new Actor({ tokenId: null, name: "cli" })
        const when = at("2026-04-05T06:07:08.009Z")
        yield* repo.markUndone(merge.id, when, by)
        assert.deepStrictEqual(yield* findForUpdate(merge.id), Option.some(new ContactMergeRecord({ ...merge, undoneAt: when, undoneBy: by })))
      }))

    it.effect("lists a contact's merges, as primary or secondary, in id order, a page at a time", () =>
      Effect.gen(function*() {
        const repo = yield* ContactMergeRepository
        const [a, b, c, d] = yield* contacts(4)
        const first = makeMerge(a!, b!)
        const second = makeMerge(c!, a!)
        const third = makeMerge(a!, d!)
        const unrelated = makeMerge(c!, d!)
        for (const merge of [third, unrelated, first, second]) yield* repo.insert(merge)
        const order = sortedIds([first.id, second.id, third.id])
        const list = (after: ContactMergeId | undefined, limit: number) => Effect.map(repo.listForContact(a!.id, { after, limit }), idsOf)
        assert.deepStrictEqual(yield* list(undefined, 10), order)
        assert.deepStrictEqual(yield* list(undefined, 2), order.slice(0, 2))
        assert.deepStrictEqual(yield* list(order[1], 2), order.slice(2))
        assert.deepStrictEqual(yield* list(order[2], 2), [])
        assert.deepStrictEqual(idsOf(yield* repo.listForContact(d!.id, { after: undefined, limit: 10 })), sortedIds([third.id, unrelated.id]))
        assert.deepStrictEqual(yield* repo.listForContact(b!.id, { after: undefined, limit: 10 }), [first])
      }))
  })
