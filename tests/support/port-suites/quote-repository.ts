import { assert } from "@effect/vitest"
import { Effect, Option } from "effect"
import { v7 } from "uuid"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import { QuoteRepository } from "../../../application/ports/quote-repository.ts"
import { ServiceRepository } from "../../../application/ports/service-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { type Quote, QuoteId } from "../../../domain/billing/quote.ts"
import { idsOf, line, makeContact, makeCustomer, makeQuote, makeService, richLine, smallLine, sortedIds, totals, updated } from "./fixtures.ts"
import { allPages } from "./paging.ts"
import { type MakePorts, portSuite } from "./ports.ts"

export const quoteRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    const customers = (count: number) =>
      Effect.gen(function*() {
        const made = Array.from({ length: count }, () => makeCustomer())
        for (const customer of made) yield* (yield* CustomerRepository).insert(customer)
        return made
      })

    it.effect("numbers quotes in order and reads them back with their lines; none for an unknown id", () =>
      Effect.gen(function*() {
        const repo = yield* QuoteRepository
        const [customer] = yield* customers(1)
        const service = makeService()
        yield* (yield* ServiceRepository).insert(service)
        const contact = makeContact({ firstName: "Quinn" })
        yield* (yield* ContactRepository).insert(contact)
        const record = makeQuote(customer!, [richLine(0, service.id), smallLine(1), line(2)], {
          contactId: contact.id,
          validUntil: "2026-04-30",
          discount: { type: "fixed", amountCents: 1_000 },
          notes: "Includes cleanup"
        })
        const number = yield* repo.insert(record)
        assert.deepStrictEqual(yield* repo.findById(record.id), Option.some({ ...record, number }))
        const second = makeQuote(customer!, [line(0)], { status: "sent", discount: { type: "percent", percent: 12.5 } })
        const secondNumber = yield* repo.insert(second)
        assert.isAbove(secondNumber, number)
        assert.deepStrictEqual(yield* repo.findById(second.id), Option.some({ ...second, number: secondNumber }))
        assert.isTrue(Option.isNone(yield* repo.findById(QuoteId.make(v7()))))
        // `expired` is how a sent quote reads; it is stored as sent.
        const expired = makeQuote(customer!, [line(0)], { status: "expired", validUntil: "2020-01-01" })
        const expiredNumber = yield* repo.insert(expired)
        assert.deepStrictEqual(yield* repo.findById(expired.id), Option.some({ ...expired, number: expiredNumber, status: "sent" as const }))
      }))

    it.effect("update rewrites the quote and replaces its lines, keeping its number and creation time", () =>
      Effect.gen(function*() {
        const repo = yield* QuoteRepository
        const [customer] = yield* customers(1)
        const record = makeQuote(customer!, [line(0), line(1), line(2)], { notes: "Draft" })
        const number = yield* repo.insert(record)
        const replaced = [smallLine(0)]
        const changed: Quote = {
          ...record,
          ...totals(replaced),
          number,
          status: "accepted",
          validUntil: null,
          discount: { type: "none" },
          notes: null,
          lines: replaced,
          updatedAt: updated
        }
        yield* repo.update({ ...changed, number: number + 1_000, createdAt: updated })
        assert.deepStrictEqual(yield* (yield* Transactor).withTransaction(repo.findByIdForUpdate(record.id)), Option.some(changed))
        yield* repo.update({ ...changed, status: "expired" })
        assert.strictEqual(Option.getOrThrow(yield* repo.findById(record.id)).status, "sent")
      }))

    it.effect("filters by customer and status and pages in id order, with every quote's lines", () =>
      Effect.gen(function*() {
        const repo = yield* QuoteRepository
        const [customer, other] = yield* customers(2)
        const mine = [
          makeQuote(customer!, [line(0)]),
          makeQuote(customer!, [line(0), line(1, { description: "Second" })], { status: "sent" }),
          makeQuote(customer!, [smallLine(0)], { status: "declined" })
        ]
        const theirs = makeQuote(other!, [line(0)])
        const numbers = new Map<string, number>()
        for (const quote of [...mine, theirs].reverse()) numbers.set(quote.id, yield* repo.insert(quote))
        const stored = (quote: (typeof mine)[number]) => ({ ...quote, number: numbers.get(quote.id)! })
        const byId = [...mine].sort((a, b) => (a.id < b.id ? -1 : 1)).map(stored)
        assert.deepStrictEqual(yield* repo.list({ customerId: customer!.id, limit: 10 }), byId)
        assert.deepStrictEqual(idsOf(yield* repo.list({ customerId: customer!.id, status: "sent", limit: 10 })), [mine[1]!.id])
        assert.deepStrictEqual(yield* repo.list({ customerId: other!.id, limit: 10 }), [stored(theirs)])
        const pages = yield* allPages((after: Quote | undefined) => repo.list({ customerId: customer!.id, limit: 2, after: after?.id }), 2)
        assert.deepStrictEqual(pages, [byId.slice(0, 2), byId.slice(2)])
        assert.deepStrictEqual(sortedIds(idsOf(pages.flat())), idsOf(byId))
      }))
  })
