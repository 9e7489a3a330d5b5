import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Catalog } from "../../../../application/billing/catalog.ts"
import { Invoices } from "../../../../application/billing/invoices.ts"
import { Quotes } from "../../../../application/billing/quotes.ts"
import { TaxRates } from "../../../../application/billing/tax-rates.ts"
import { TestApplication, testUuid } from "../../../../application/testing/index.ts"
import { QuoteId } from "../../../../domain/billing/quote.ts"
import { aCustomer, aService, DAY_MS, newQuote, page, quotePatch, setNow } from "./billing-fixtures.ts"
import { TestClock } from "effect/testing"

const pathOf = (error: { readonly _tag: string }) => ("path" in error ? `${error._tag}:${String(error.path)}` : error._tag)

/** A customer, a taxable $100 service at 8.25% tax, and a draft quote for two of them plus a $50 untaxed line. */
const draftQuote = (extra: Record<string, unknown> = {}) =>
  Effect.gen(function*() {
    yield* (yield* TaxRates).put({ code: "standard", name: "Standard sales tax", ratePercent: 8.25 })
    const customer = yield* aCustomer("Acme")
    const service = yield* aService("Gutter cleaning", { unitPriceCents: 10_000 })
    const quote = yield* (yield* Quotes).create(newQuote({
      customerId: customer.id,
      lines: [{ serviceId: service.id, quantity: 2 }, { description: "Haul-away", unitPriceCents: 5_000 }],
      ...extra
    }))
    return { customer, service, quote, quotes: yield* Quotes }
  })

describe("Quotes", () => {
  it.effect("prices a draft from the catalogue and the tax table, and numbers quotes in order", () =>
    Effect.gen(function*() {
      const { customer, quote, quotes, service } = yield* draftQuote()
      assert.deepInclude(quote, {
        number: 1,
        customerId: customer.id,
        status: "draft",
        subtotalCents: 25_000,
        discountCents: 0,
        taxCents: 1_650,
        totalCents: 26_650,
        invoiceId: null
      })
      assert.deepStrictEqual(quote.lines.map((l) => [l.serviceId, l.description, l.taxCode, l.taxRatePercent, l.amountCents]), [
        [service.id, "Gutter cleaning", "standard", 8.25, 21_650],
        [null, "Haul-away", null, null, 5_000]
      ])
      assert.deepStrictEqual(yield* quotes.get(quote.id), quote)
      const second = yield* quotes.create(newQuote({ customerId: customer.id, lines: [{ description: "x", unitPriceCents: 1 }] }))
      assert.strictEqual(second.number, 2)
    }).pipe(Effect.provide(TestApplication)))

  it.effect("refuses unknown customers, contacts and services, and lines without a price, naming the field", () =>
    Effect.gen(function*() {
      const quotes = yield* Quotes
      const customer = yield* aCustomer("Acme")
      const failures = yield* Effect.forEach([
        { customerId: testUuid(999), lines: [{ description: "x", unitPriceCents: 1 }] },
        { customerId: customer.id, contactId: testUuid(998), lines: [{ description: "x", unitPriceCents: 1 }] },
        { customerId: customer.id, lines: [{ description: "x", unitPriceCents: 1 }, { serviceId: testUuid(997) }] },
        { customerId: customer.id, lines: [{ description: "x" }] },
        { customerId: customer.id, lines: [{ description: "x", unitPriceCents: 100, discount: { type: "fixed", amountCents: 101 } }] }
      ], (input) => Effect.flip(quotes.create(newQuote(input))))
      assert.deepStrictEqual(failures.map(pathOf), [
        "InvalidBillingInput:customerId",
        "InvalidBillingInput:contactId",
        "InvalidBillingInput:lines.1.serviceId",
        "InvalidBillingInput:lines.0.unitPriceCents",
        "InvalidPricing:lines.0.discount"
      ])
      assert.deepStrictEqual((yield* quotes.list({}, page)).items, [])
    }).pipe(Effect.provide(TestApplication)))

  it.effect("edits only a draft: lines are replaced and repriced", () =>
    Effect.gen(function*() {
      const { quote, quotes } = yield* draftQuote()
      const edited = yield* quotes.update(quote.id, quotePatch({
        notes: "Back gate code 1234",
        discount: { type: "percent", percent: 10 },
        lines: [{ description: "Haul-away", unitPriceCents: 5_000 }]
      }))
      assert.deepInclude(edited, { number: 1, notes: "Back gate code 1234", subtotalCents: 5_000, discountCents: 500, totalCents: 4_500 })
      assert.strictEqual(edited.lines.length, 1)
      // Without lines, the current lines are kept and priced again.
      const notesOnly = yield* quotes.update(quote.id, quotePatch({ notes: null }))
      assert.deepInclude(notesOnly, { notes: null, totalCents: 4_500 })
      assert.deepStrictEqual(notesOnly.lines, edited.lines)
      yield* quotes.transition(quote.id, "send")
      const refused = yield* Effect.flip(quotes.update(quote.id, quotePatch({ notes: "late" })))
      assert.strictEqual(refused._tag, "BillingConflict")
      assert.include(refused.message, "only a draft")
      assert.isNull((yield* quotes.get(quote.id)).notes)
    }).pipe(Effect.provide(TestApplication)))

  // BUG (application/billing/quotes.ts, Quotes.update): without `lines` in the patch, the kept lines go
  // through priceLines again, which re-checks their catalogue services as if they were new lines. Once a
  // quoted service is retired (Catalog.remove deactivates it because the quote names it), every edit of
  // the draft fails with InvalidBillingInput on lines.0.serviceId, a field the patch never touched.
  // Settled lines should be repriced with pricedFromTerms (document-pricing.ts), which exists for this.
  it.effect("still edits a draft's notes after one of its services was retired from the catalogue", () =>
    Effect.gen(function*() {
      const { quote, quotes, service } = yield* draftQuote()
      const removal = yield* (yield* Catalog).remove(service.id)
      assert.strictEqual(removal.outcome, "deactivated")
      const edited = yield* Effect.result(quotes.update(quote.id, quotePatch({ notes: "Gate code 1234" })))
      assert.deepStrictEqual(
        edited._tag === "Success" ? { notes: edited.success.notes, totalCents: edited.success.totalCents } : edited.failure,
        { notes: "Gate code 1234", totalCents: quote.totalCents }
      )
    }).pipe(Effect.provide(TestApplication)))

  it.effect("moves draft → sent → accepted or declined, and refuses every other move", () =>
    Effect.gen(function*() {
      const { customer, quote, quotes } = yield* draftQuote()
      assert.strictEqual((yield* Effect.flip(quotes.transition(quote.id, "accept")))._tag, "BillingConflict")
      assert.strictEqual((yield* Effect.flip(quotes.transition(quote.id, "decline")))._tag, "BillingConflict")
      assert.strictEqual((yield* quotes.transition(quote.id, "send")).status, "sent")
      assert.strictEqual((yield* Effect.flip(quotes.transition(quote.id, "send")))._tag, "BillingConflict")
      assert.strictEqual((yield* quotes.transition(quote.id, "accept")).status, "accepted")
      assert.strictEqual((yield* Effect.flip(quotes.transition(quote.id, "decline")))._tag, "BillingConflict")

      const other = yield* quotes.create(newQuote({ customerId: customer.id, lines: [{ description: "x", unitPriceCents: 1 }] }))
      yield* quotes.transition(other.id, "send")
      assert.strictEqual((yield* quotes.transition(other.id, "decline")).status, "declined")
      assert.strictEqual((yield* Effect.flip(quotes.transition(other.id, "accept")))._tag, "BillingConflict")
      assert.deepStrictEqual((yield* quotes.list({ status: "declined" }, page)).items.map((q) => q.id), [other.id])
      const missing = yield* Effect.flip(quotes.transition(QuoteId.make(testUuid(999)), "send"))
      assert.deepInclude(missing, { _tag: "BillingNotFound", resource: "quote" })
    }).pipe(Effect.provide(TestApplication)))

  it.effect("reads a sent quote as expired after its validUntil day (UTC), and then refuses to accept it", () =>
    Effect.gen(function*() {
      yield* setNow("2026-11-21T09:00:00Z")
      const { quote, quotes } = yield* draftQuote({ validUntil: "2026-11-30" })
      yield* quotes.transition(quote.id, "send")
      yield* setNow("2026-11-30T23:59:59Z")
      assert.strictEqual((yield* quotes.get(quote.id)).status, "sent")
      yield* TestClock.adjust(1000)
      assert.strictEqual((yield* quotes.get(quote.id)).status, "expired")
      assert.deepStrictEqual((yield* quotes.list({}, page)).items.map((q) => q.status), ["expired"])
      const accept = yield* Effect.flip(quotes.transition(quote.id, "accept"))
      assert.strictEqual(accept._tag, "BillingConflict")
      assert.include(accept.message, "expired on 2026-11-30")
      // A draft never expires: it has not been offered yet.
      const draft = yield* quotes.create(newQuote({ customerId: quote.customerId, validUntil: "2026-11-01", lines: [{ description: "x", unitPriceCents: 1 }] }))
      yield* TestClock.adjust(30 * DAY_MS)
      assert.strictEqual((yield* quotes.get(draft.id)).status, "draft")
    }).pipe(Effect.provide(TestApplication)))

  it.effect("converts an accepted quote into one draft invoice, and converting again answers the same invoice", () =>
    Effect.gen(function*() {
      const { customer, quote, quotes } = yield* draftQuote({ notes: "Thanks" })
      const early = yield* Effect.flip(quotes.convert(quote.id))
      assert.strictEqual(early._tag, "BillingConflict")
      yield* quotes.transition(quote.id, "send")
      yield* quotes.transition(quote.id, "accept")
      const invoice = yield* quotes.convert(quote.id)
      assert.deepInclude(invoice, {
        number: 1,
        customerId: customer.id,
        quoteId: quote.id,
        status: "draft",
        billingPeriod: null,
        notes: "Thanks",
        subtotalCents: quote.subtotalCents,
        discountCents: quote.discountCents,
        taxCents: quote.taxCents,
        totalCents: quote.totalCents,
        paidCents: 0
      })
      assert.deepStrictEqual(invoice.lines.map((l) => [l.description, l.amountCents, l.customerServiceId]), [
        ["Gutter cleaning", 21_650, null],
        ["Haul-away", 5_000, null]
      ])
      assert.strictEqual((yield* quotes.get(quote.id)).invoiceId, invoice.id)
      assert.deepStrictEqual(yield* (yield* Invoices).get(invoice.id), invoice)

      const again = yield* quotes.convert(quote.id)
      assert.deepStrictEqual(again, invoice)
      const all = yield* (yield* Invoices).list({ customerId: customer.id }, page)
      assert.deepStrictEqual(all.items.map((i) => i.id), [invoice.id])
    }).pipe(Effect.provide(TestApplication)))
})
