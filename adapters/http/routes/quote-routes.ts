import { Effect, Schema } from "effect"
import { Quotes } from "../../../application/billing/quotes.ts"
import { today } from "../../../application/billing/today.ts"
import { CustomerId } from "../../../domain/billing/customer.ts"
import { NewQuote, QuoteId, QuotePatch } from "../../../domain/billing/quote.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { InvoiceJson, invoiceJson, QuoteJson, quoteJson } from "../billing-json.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Quotes"]
const ById = Schema.Struct({ id: IdInput(QuoteId) })
const nextCursor = encodeCursor(QuoteId)

const ListQuery = pageQuery(QuoteId, {
  customerId: Schema.optionalKey(IdInput(CustomerId)),
  status: Schema.optionalKey(Schema.Literals(["draft", "sent", "accepted", "declined"]).annotate({
    description: "The stored status; an expired quote is stored as sent"
  }))
})

const transition = (action: "send" | "accept" | "decline", summary: string, description: string) =>
  route({
    method: "post",
    path: `/api/quotes/{id}/${action}`,
    operationId: `${action}Quote`,
    summary,
    description,
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: QuoteJson, description: "The quote" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => Effect.map(Quotes.use((quotes) => quotes.transition(params.id, action)), quoteJson)
  })

export const quoteRoutes = [
  route({
    method: "post",
    path: "/api/quotes",
    operationId: "createQuote",
    summary: "Draft a quote",
    description: "Each line names a catalogue `serviceId` (which fills description, price and tax code) or gives a " +
      "`description` and `unitPriceCents`. Amounts are computed by the pricing rules (half up to the cent, per line).",
    tags,
    access: "staff",
    body: NewQuote,
    success: { status: 201, schema: QuoteJson, description: "The draft", location: "/api/quotes/{id}" },
    problems: [],
    handler: ({ body }) => Effect.map(Quotes.use((quotes) => quotes.create(body)), quoteJson)
  }),
  route({
    method: "get",
    path: "/api/quotes",
    operationId: "listQuotes",
    summary: "List quotes",
    tags,
    access: "staff",
    query: ListQuery,
    success: { status: 200, schema: PageOf(QuoteJson, "QuotePage"), description: "A page of quotes" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Quotes).list({ customerId: query.customerId, status: query.status }, pageRequest(query))
        return { data: page.items.map(quoteJson), nextCursor: nextCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/quotes/{id}",
    operationId: "getQuote",
    summary: "Get a quote",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: QuoteJson, description: "The quote" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Quotes.use((quotes) => quotes.get(params.id)), quoteJson)
  }),
  route({
    method: "patch",
    path: "/api/quotes/{id}",
    operationId: "updateQuote",
    summary: "Change a draft quote",
    description: "Only a draft is edited (409 otherwise); `lines` replaces every line and the quote is priced again.",
    tags,
    access: "staff",
    params: ById,
    body: QuotePatch,
    success: { status: 200, schema: QuoteJson, description: "The changed quote" },
    problems: ["not-found", "conflict"],
    handler: ({ body, params }) => Effect.map(Quotes.use((quotes) => quotes.update(params.id, body)), quoteJson)
  }),
  transition("send", "Mark a draft quote sent", "draft → sent; the quote can no longer be edited."),
  transition("accept", "Record that the customer accepted", "sent → accepted; an expired quote cannot be accepted (409)."),
  transition("decline", "Record that the customer declined", "sent → declined."),
  route({
    method: "post",
    path: "/api/quotes/{id}/convert",
    operationId: "convertQuote",
    summary: "Turn an accepted quote into an invoice",
    description: "One transaction: a draft invoice with every line copied, and the quote records its id. Converting " +
      "again answers the same invoice; there is never a second one.",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: InvoiceJson, description: "The quote's invoice" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) =>
      Effect.gen(function*() {
        const invoice = yield* Quotes.use((quotes) => quotes.convert(params.id))
        return invoiceJson(yield* today)(invoice)
      })
  })
]
