import { Context, type Effect, type Option } from "effect"
import type { CustomerId } from "../../domain/billing/customer.ts"
import type { Quote, QuoteId, StoredQuoteStatus } from "../../domain/billing/quote.ts"

export interface QuoteQuery {
  readonly customerId?: CustomerId | undefined
  readonly status?: StoredQuoteStatus | undefined
  readonly after?: QuoteId | undefined
  readonly limit: number
}

export type NewQuoteRecord = Omit<Quote, "number">

export class QuoteRepository extends Context.Service<QuoteRepository, {
  /** Stores the quote and its lines; answers the number the database gave it. */
  readonly insert: (quote: NewQuoteRecord) => Effect.Effect<number>
  /** Rewrites the quote and replaces its lines. */
  readonly update: (quote: Quote) => Effect.Effect<void>
  readonly findById: (id: QuoteId) => Effect.Effect<Option.Option<Quote>>
  readonly findByIdForUpdate: (id: QuoteId) => Effect.Effect<Option.Option<Quote>>
  readonly list: (query: QuoteQuery) => Effect.Effect<ReadonlyArray<Quote>>
}>()("crm/application/ports/QuoteRepository") {}
