import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { ContactId } from "../../domain/contact.ts"
import { NO_DISCOUNT } from "../../domain/billing/discount.ts"
import { plainInvoiceLine } from "../../domain/billing/document-line.ts"
import { type Invoice, InvoiceId } from "../../domain/billing/invoice.ts"
import type { InvalidPricing } from "../../domain/billing/pricing.ts"
import {
  effectiveQuoteStatus,
  type NewQuote,
  type Quote,
  type QuoteAction,
  QuoteId,
  type QuotePatch,
  quoteTransition
} from "../../domain/billing/quote.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { Pricing } from "../../domain/billing/pricing-service.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { CustomerRepository } from "../ports/customer-repository.ts"
import { ServiceRepository } from "../ports/service-repository.ts"
import { Ids } from "../ports/ids.ts"
import { InvoiceRepository } from "../ports/invoice-repository.ts"
import { type QuoteQuery, QuoteRepository } from "../ports/quote-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import { BillingConflict, type BillingNotFound, type InvalidBillingInput } from "./billing-errors.ts"
import { checkActiveContact } from "./contact-check.ts"
import { billableCustomer, lineTermsOf, pricedFromTerms, priceLines } from "./document-pricing.ts"
import { orNotFound } from "./load.ts"
import { today } from "./today.ts"

export type QuoteSearch = Omit<QuoteQuery, "after" | "limit">

type QuoteInputError = InvalidBillingInput | InvalidPricing

/** Quotes: priced offers that, once accepted, become invoices. */
export class Quotes extends Context.Service<Quotes, {
  readonly create: (input: NewQuote) => Effect.Effect<Quote, QuoteInputError>
  readonly get: (id: QuoteId) => Effect.Effect<Quote, BillingNotFound>
  /** Only a draft is edited. */
  readonly update: (id: QuoteId, patch: QuotePatch) => Effect.Effect<Quote, BillingNotFound | BillingConflict | QuoteInputError>
  readonly transition: (id: QuoteId, action: QuoteAction) => Effect.Effect<Quote, BillingNotFound | BillingConflict>
  /**
   * Makes a draft invoice of an accepted quote, copying every line, in one
   * transaction. Converting again answers the same invoice.
   */
  readonly convert: (id: QuoteId) => Effect.Effect<Invoice, BillingNotFound | BillingConflict>
  readonly list: (search: QuoteSearch, page: PageRequest<QuoteId>) => Effect.Effect<Page<Quote, QuoteId>>
}>()("crm/application/billing/Quotes") {
  static readonly layer = Layer.effect(
    Quotes,
    Effect.gen(function*() {
      const repo = yield* QuoteRepository
      const invoices = yield* InvoiceRepository
      const provideContacts = Effect.provideService(ContactRepository, yield* ContactRepository)
      const tx = yield* Transactor
      const ids = yield* Ids
      // Pricing reads the catalogue and the tax table, through these services.
      const context = yield* Effect.context<ServiceRepository | CustomerRepository | Pricing>()

      /** Reads show `expired` for a sent quote past its date. */
      const shown = (quote: Quote) => Effect.map(today, (day): Quote => ({ ...quote, status: effectiveQuoteStatus(quote, day) }))
      const load = (id: QuoteId, forUpdate = false) =>
        orNotFound("quote", id)(forUpdate ? repo.findByIdForUpdate(id) : repo.findById(id))

      const checkContact = (id: ContactId | null | undefined) => checkActiveContact(id, "contactId").pipe(provideContacts)

      const create = Effect.fn("Quotes.create")(function*(input: NewQuote) {
        const customer = yield* billableCustomer(input.customerId)
        yield* checkContact(input.contactId)
        const discount = input.discount ?? NO_DISCOUNT
        const priced = yield* priceLines(input.lines, discount, customer)
        const now = yield* DateTime.now
        const record = {
          id: QuoteId.make(yield* ids.next),
          customerId: customer.id,
          contactId: input.contactId ?? null,
          status: "draft" as const,
          validUntil: input.validUntil ?? null,
          discount,
          notes: input.notes ?? null,
          ...priced,
          invoiceId: null,
          createdAt: now,
          updatedAt: now
        }
        const number = yield* tx.withTransaction(repo.insert(record))
        return { ...record, number }
      }, Effect.provide(context))

      const update = Effect.fn("Quotes.update")(function*(id: QuoteId, patch: QuotePatch) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id, true)
          if (current.status !== "draft") {
            return yield* new BillingConflict({ message: `Quote ${id} is ${current.status}; only a draft is edited` })
          }
          if (patch.contactId !== undefined) yield* checkContact(patch.contactId)
          const customer = yield* billableCustomer(current.customerId)
          const discount = patch.discount ?? current.discount
          // New lines are filled from the catalogue; kept lines keep their
          // terms (their service may have been retired since).
          const priced = patch.lines === undefined
            ? yield* pricedFromTerms(current.lines.map(lineTermsOf), discount, customer.taxExempt)
            : yield* priceLines(patch.lines, discount, customer)
          const updated: Quote = {
            ...current,
            contactId: patch.contactId === undefined ? current.contactId : patch.contactId,
            validUntil: patch.validUntil === undefined ? current.validUntil : patch.validUntil,
            notes: patch.notes === undefined ? current.notes : patch.notes,
            discount,
            ...priced,
            updatedAt: yield* DateTime.now
          }
          yield* repo.update(updated)
          return updated
        }))
      }, Effect.provide(context))

      const transition = Effect.fn("Quotes.transition")(function*(id: QuoteId, action: QuoteAction) {
        const updated = yield* tx.withTransaction(Effect.gen(function*() {
          const current = yield* load(id, true)
          const next = quoteTransition(current, action, yield* today)
          if (!next.ok) return yield* new BillingConflict({ message: next.reason })
          const updated: Quote = { ...current, status: next.status, updatedAt: yield* DateTime.now }
          yield* repo.update(updated)
          return updated
        }))
        return yield* shown(updated)
      })

      const convert = Effect.fn("Quotes.convert")(function*(id: QuoteId) {
        return yield* tx.withTransaction(Effect.gen(function*() {
          const quote = yield* load(id, true)
          if (quote.invoiceId !== null) {
            const existing = yield* invoices.findById(quote.invoiceId)
            if (Option.isSome(existing)) return existing.value
          }
          if (quote.status !== "accepted") {
            return yield* new BillingConflict({ message: `Quote ${id} is ${quote.status}; only an accepted quote is converted` })
          }
          const now = yield* DateTime.now
          const lines = quote.lines.map(plainInvoiceLine)
          const record = {
            id: InvoiceId.make(yield* ids.next),
            customerId: quote.customerId,
            quoteId: quote.id,
            billingPeriod: null,
            status: "draft" as const,
            issueDate: null,
            dueDate: null,
            discount: quote.discount,
            notes: quote.notes,
            lines,
            subtotalCents: quote.subtotalCents,
            discountCents: quote.discountCents,
            taxCents: quote.taxCents,
            totalCents: quote.totalCents,
            paidCents: 0,
            createdAt: now,
            updatedAt: now
          }
          const [number] = yield* invoices.insertMany([record])
          yield* repo.update({ ...quote, invoiceId: record.id, updatedAt: now })
          const invoice: Invoice = { ...record, number: number! }
          return invoice
        }))
      })

      const list = Effect.fn("Quotes.list")(function*(search: QuoteSearch, page: PageRequest<QuoteId>) {
        const rows = yield* repo.list({ ...search, after: page.after, limit: page.limit + 1 })
        const day = yield* today
        const kept = toPage(rows, page.limit, (quote) => quote.id)
        return { ...kept, items: kept.items.map((quote): Quote => ({ ...quote, status: effectiveQuoteStatus(quote, day) })) }
      })

      return Quotes.of({
        create,
        get: (id) => Effect.flatMap(load(id), shown),
        update,
        transition,
        convert,
        list
      })
    })
  )
}
