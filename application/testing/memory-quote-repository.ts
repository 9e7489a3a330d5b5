import { Effect, Layer, Option, Ref } from "effect"
import type { Quote, QuoteId, StoredQuoteStatus } from "../../domain/billing/quote.ts"
import { type QuoteQuery, QuoteRepository } from "../ports/quote-repository.ts"
import { keysetPage, MemoryStore, type MemoryState, withMap } from "./memory-store.ts"

/** `expired` is never stored: a sent quote reads as expired once past its date. */
const stored = (quote: Quote): Quote => ({ ...quote, status: storedStatus(quote.status) })
const storedStatus = (status: Quote["status"]): StoredQuoteStatus => status === "expired" ? "sent" : status

const matches = (query: QuoteQuery) => (quote: Quote): boolean =>
  (query.customerId === undefined || quote.customerId === query.customerId) &&
  (query.status === undefined || quote.status === query.status)

export const MemoryQuoteRepository = Layer.effect(
  QuoteRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const findById = (id: QuoteId) => Effect.map(Ref.get(state), (s) => Option.fromNullishOr(s.quotes.get(id)))
    return QuoteRepository.of({
      insert: (record) =>
        Ref.modify(state, (s): readonly [number, MemoryState] => {
          const number = s.lastQuoteNumber + 1
          const quote = stored({ ...record, number })
          return [number, { ...s, lastQuoteNumber: number, quotes: withMap(s.quotes, quote.id, quote) }]
        }),
      update: (quote) =>
        Ref.update(state, (s) => {
          const current = s.quotes.get(quote.id)
          if (current === undefined) return s
          // The number and the creation time are the database's; the rest is rewritten.
          const next = stored({ ...quote, number: current.number, createdAt: current.createdAt })
          return { ...s, quotes: withMap(s.quotes, quote.id, next) }
        }),
      findById,
      findByIdForUpdate: findById,
      list: (query) => Effect.map(Ref.get(state), (s) => keysetPage(s.quotes.values(), query, matches(query)))
    })
  })
)
