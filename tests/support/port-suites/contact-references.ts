import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { ContactReferences } from "../../../application/ports/contact-references.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { QuoteRepository } from "../../../application/ports/quote-repository.ts"
import type { Contact } from "../../../domain/contact.ts"
import type { ReferenceMove } from "../../../domain/contact-merge-record.ts"
import { line, makeContact, makeCustomer, makeQuote } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

/** Moves as comparable data, in table order (the port promises no order). */
const plain = (moves: ReadonlyArray<ReferenceMove>) =>
  moves
    .map((move) => ({ at: `${move.table}.${move.column}`, rowIds: [...move.rowIds].sort() }))
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))

export const contactReferencesSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("moves every row that points at a contact, and moves exactly those back", () =>
      Effect.gen(function*() {
        const references = yield* ContactReferences
        const contacts = yield* ContactRepository
        const customers = yield* CustomerRepository
        const quotes = yield* QuoteRepository
        const primary = makeContact({ firstName: "Pat" })
        const secondary = makeContact({ firstName: "Patricia" })
        yield* contacts.insert(primary)
        yield* contacts.insert(secondary)
        // A contact merged into the secondary earlier now hangs on the primary.
        const earlier = makeContact({ firstName: "Patty", status: "merged", mergedIntoId: secondary.id })
        yield* contacts.insert(earlier)
        const theirs = makeCustomer({ primaryContactId: secondary.id })
        const ours = makeCustomer({ primaryContactId: primary.id })
        yield* customers.insert(theirs)
        yield* customers.insert(ours)
        const quote = makeQuote(theirs, [line(0)], { contactId: secondary.id })
        const quoteNumber = yield* quotes.insert(quote)

        const moves = yield* references.moveAll(secondary.id, primary.id)
        assert.deepStrictEqual(plain(moves), [
          { at: "contacts.merged_into_id", rowIds: [earlier.id] },
          { at: "customers.primary_contact_id", rowIds: [theirs.id] },
          { at: "quotes.contact_id", rowIds: [quote.id] }
        ])
        const contactOf = (c: Contact) => Effect.map(contacts.findById(c.id), Option.map((found) => found.mergedIntoId))
        assert.deepStrictEqual(yield* contactOf(earlier), Option.some(primary.id))
        assert.deepStrictEqual(yield* customers.findById(theirs.id), Option.some({ ...theirs, primaryContactId: primary.id }))
        assert.deepStrictEqual(yield* quotes.findById(quote.id), Option.some({ ...quote, number: quoteNumber, contactId: primary.id }))

        // A row that came to point at the primary after the merge stays where it is.
        const later = makeCustomer({ primaryContactId: primary.id })
        yield* customers.insert(later)
        yield* references.moveBack(moves, primary.id, secondary.id)
        assert.deepStrictEqual(yield* contactOf(earlier), Option.some(secondary.id))
        assert.deepStrictEqual(yield* customers.findById(theirs.id), Option.some(theirs))
        assert.deepStrictEqual(yield* customers.findById(ours.id), Option.some(ours))
        assert.deepStrictEqual(yield* customers.findById(later.id), Option.some(later))
        assert.deepStrictEqual(yield* quotes.findById(quote.id), Option.some({ ...quote, number: quoteNumber }))
      }))

    it.effect("moves nothing when nothing points at the contact", () =>
      Effect.gen(function*() {
        const references = yield* ContactReferences
        const contacts = yield* ContactRepository
        const lonely = makeContact({ firstName: "Lonely" })
        const target = makeContact({ firstName: "Target" })
        yield* contacts.insert(lonely)
        yield* contacts.insert(target)
        assert.deepStrictEqual(yield* references.moveAll(lonely.id, target.id), [])
      }))
  })
