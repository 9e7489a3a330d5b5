import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Layer, Redacted, Result } from "effect"
import { FetchHttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import { AccessTokens } from "../../application/accounting/access-tokens.ts"
import type { QboEntityName } from "../../application/ports/accounting-gateway.ts"
import { makeQuickBooksGateway } from "../../adapters/quickbooks/quickbooks-gateway.ts"
import { customerBody, invoiceBody, itemBody, paymentBody, sparseBody } from "../../domain/quickbooks/mapping.ts"
import { type FakeQuickBooks, fakeQuickBooks } from "../support/fake-quickbooks.ts"
import { xsdProblems } from "../support/fake-quickbooks/xsd-validate.ts"
import { testQuickBooksConfig } from "../support/quickbooks-test-config.ts"
import { customer, NO_DISCOUNT, OTHER_SERVICE_ID, payment, pricedInvoice, SERVICE_ID, service } from "../unit/quickbooks/domain-fixtures.ts"

// What the adapter sends, built by the domain's mapping from CRM records, held
// to Intuit's schema (the XSD-derived rules the fake checks, and checked here
// again on every recorded body) and to the fake's business rules (it answers
// 400 for a body QuickBooks would refuse).

const ENTITY_OF_PATH: Record<string, QboEntityName> = { customer: "Customer", item: "Item", invoice: "Invoice", payment: "Payment" }

const gatewayFor = (fake: FakeQuickBooks) => {
  const connected = fake.connect()
  const tokens = AccessTokens.of({
    current: Effect.succeed({ realmId: fake.realmId, accessToken: Redacted.make(connected.accessToken) }),
    afterRejection: () => Effect.succeed({ realmId: fake.realmId, accessToken: Redacted.make(connected.accessToken) })
  })
  // Many requests, so the spacing is shortened; what is checked is their shape, not their pace.
  const config = testQuickBooksConfig(fake.apiUrl, { requestsPerMinute: 60_000, retryBase: Duration.millis(5) })
  return makeQuickBooksGateway(config).pipe(
    Effect.provide(Layer.mergeAll(
      FetchHttpClient.layer,
      RateLimiter.layer.pipe(Layer.provide(RateLimiter.layerStoreMemory)),
      Layer.succeed(AccessTokens, tokens)
    ))
  )
}

/** Every write the fake received: its entity (from the path) and body. */
const writes = (fake: FakeQuickBooks) =>
  fake.apiRequests().filter((r) => r.method === "POST").map((r) => {
    const segment = r.path.split("/").at(-1) ?? ""
    const entity = ENTITY_OF_PATH[segment]
    if (entity === undefined) throw new Error(`a write to ${r.path}, which is no entity the adapter writes`)
    return { entity, body: r.body, query: Object.fromEntries(r.query), status: r.status }
  })

describe("QuickBooks adapter against Intuit's schema (the fake's XSD-derived rules)", () => {
  it.live("every create, sparse update and void of each entity, mapped from CRM records, conforms and is taken", () =>
    Effect.gen(function*() {
      const fake = yield* fakeQuickBooks()
      const qbo = yield* gatewayFor(fake)
      const acme = customer()
      const created = yield* qbo.create("Customer", customerBody(acme), "customer-create")
      const bare = yield* qbo.create("Customer", customerBody(customer({ companyName: "Bare Co", email: null, phone: null, billingAddress: null })), "bare-create")
      const injection = yield* qbo.create("Item", itemBody(service(), "79"), "item-create")
      const visit = yield* qbo.create("Item", itemBody(service({ id: OTHER_SERVICE_ID, name: "Site visit", description: null, taxable: false }), "79"), "item-2-create")
      const items = new Map([[SERVICE_ID, injection.id], [OTHER_SERVICE_ID, visit.id]])
      // Discounts on a line and on the document, tax, a line the QBO arithmetic cannot carry (sent as one unit), a prorated line.
      const invoice = pricedInvoice([
        { quantity: 2.5, unitPriceCents: 8000, discount: { type: "percent", percent: 10 }, taxRatePercent: 8.875 },
        { quantity: 1.333, unitPriceCents: 3333, discount: NO_DISCOUNT, taxRatePercent: null, serviceId: OTHER_SERVICE_ID },
        { quantity: 1, unitPriceCents: 9900, discount: NO_DISCOUNT, taxRatePercent: 8.875, proration: { days: 12, periodDays: 30 }, periodFrom: "2026-11-19" },
        { quantity: 1, unitPriceCents: 12_345, discount: NO_DISCOUNT, taxRatePercent: null, serviceId: null, description: "Call-out" }
      ], { type: "fixed", amountCents: 1000 })
      const body = invoiceBody(invoice, created.id, items, visit.id)
      assert.isTrue(Result.isSuccess(body))
      if (Result.isFailure(body)) return
      const issued = yield* qbo.create("Invoice", body.success, "invoice-create")
      // QuickBooks' total is the CRM's to the cent.
      assert.strictEqual(Math.round(Number(issued.body["TotalAmt"]) * 100), invoice.totalCents)
      const paid = yield* qbo.create("Payment", paymentBody(payment({ amountCents: 5000 }), created.id, issued.id), "payment-create")
      // The payment changed the invoice (its Balance), so its SyncToken moved on: read it again before updating.
      const current = yield* qbo.read("Invoice", issued.id)
      assert.strictEqual(Math.round(Number(current.body["Balance"]) * 100), invoice.totalCents - 5000)

      const renamed = customerBody(customer({ companyName: "Acme Foundations", email: null, phone: "+14155550000" }), "Acme Foundations", "update")
      yield* qbo.update("Customer", sparseBody("Customer", created.id, created.syncToken, renamed), "customer-u1")
      yield* qbo.update("Item", sparseBody("Item", injection.id, injection.syncToken, { UnitPrice: 47.25 }), "item-u1")
      const later = yield* qbo.update("Invoice", sparseBody("Invoice", issued.id, current.syncToken, { DueDate: "2027-01-05" }), "invoice-u1")
      yield* qbo.update("Payment", sparseBody("Payment", paid.id, paid.syncToken, { PaymentRefNum: "Check 1002" }), "payment-u1")
      const second = yield* qbo.create("Invoice", { ...body.success, DocNumber: "1043" }, "invoice-2-create")
      yield* qbo.voidInvoice({ id: second.id, syncToken: second.syncToken }, "invoice-2-void")
      assert.strictEqual(later.body["DueDate"], "2027-01-05")
      assert.strictEqual(bare.body["DisplayName"], "Bare Co")

      const sent = writes(fake)
      assert.deepStrictEqual(
        [...new Set(sent.map((w) => `${w.entity} ${w.query["operation"] ?? (typeof w.body === "object" && w.body !== null && "sparse" in w.body ? "update" : "create")}`))].sort(),
        ["Customer create", "Customer update", "Invoice create", "Invoice update", "Invoice void", "Item create", "Item update", "Payment create", "Payment update"]
      )
      for (const write of sent) {
        expect(xsdProblems(write.entity, write.body), `${write.entity} ${JSON.stringify(write.body)}`).toEqual([])
        assert.strictEqual(write.status, 200)
        assert.isString(write.query["requestid"])
        assert.strictEqual(write.query["minorversion"], "75")
      }
      assert.deepStrictEqual(fake.createdTwice(), [])
    }).pipe(Effect.scoped))

  it.live("reads, queries, change data capture and company info are answered 200 with what the gateway decodes", () =>
    Effect.gen(function*() {
      const fake = yield* fakeQuickBooks()
      const qbo = yield* gatewayFor(fake)
      const since = DateTime.makeUnsafe(fake.now() - 60_000)
      const created = yield* qbo.create("Customer", customerBody(customer({ companyName: "O'Brien & Sons" })), "customer-create")
      yield* qbo.read("Customer", created.id)
      // QuickBooks' query language escapes a quote with a backslash.
      const found = yield* qbo.query("Customer", "DisplayName = 'O\\'Brien & Sons'")
      assert.deepStrictEqual(found.map((c) => c.id), [created.id])
      assert.deepStrictEqual(yield* qbo.query("Item", "Name = 'Nothing by that name'"), [])
      const changes = yield* qbo.changedSince(["Customer", "Invoice"], since)
      assert.deepStrictEqual(changes.map((c) => [c.entity, c.id, c.deleted]), [["Customer", created.id, false]])
      assert.isString(yield* qbo.companyName)
      assert.deepStrictEqual(fake.apiRequests().filter((r) => r.status !== 200).map((r) => `${r.method} ${r.path} ${r.status}`), [])
    }).pipe(Effect.scoped))
})
