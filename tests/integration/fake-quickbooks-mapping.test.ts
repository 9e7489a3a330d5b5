import { Result } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { customerBody, invoiceBody, itemBody, paymentBody, sparseBody } from "../../domain/quickbooks/mapping.ts"
import { type FakeQuickBooks, startFakeQuickBooks, xsdProblems } from "../support/fake-quickbooks.ts"
import { documentDiscountSpec, lineSpecs } from "../unit/domain/billing/billing-arbitraries.ts"
import { customer, generatedInvoice, OTHER_SERVICE_ID, payment, service, SERVICE_ID } from "../unit/quickbooks/domain-fixtures.ts"

// The domain's mapping and the fake hold each other to account: every body
// the mapping builds for random CRM invoices passes the fake's XSD and
// business rules (Amount = Qty x UnitPrice exactly), and QuickBooks' own
// arithmetic there gives the CRM's total to the cent.

let fake: FakeQuickBooks
let token = ""
beforeAll(async () => {
  fake = await startFakeQuickBooks()
  token = fake.connect().accessToken
})
afterAll(async () => {
  await fake.close()
})

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${fake.url}/v3/company/${fake.realmId}/${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body)
  })
  const json: unknown = await response.json()
  return { status: response.status, json }
}
const member = (value: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((cur, key) => (typeof cur === "object" && cur !== null && !Array.isArray(cur) ? Reflect.get(cur, key) : undefined), value)

describe("domain mapping against the fake QuickBooks", () => {
  it("customer, item, invoice and payment bodies are taken; a random invoice totals the CRM's figure to the cent", async () => {
    const created = await post("customer", customerBody(customer()))
    expect(created.status).toBe(200)
    const customerId = String(member(created.json, "Customer", "Id"))
    const emptied = sparseBody("Customer", customerId, "0", customerBody(customer({ phone: null, billingAddress: null }), "Acme Foundations", "update"))
    expect(xsdProblems("Customer", emptied)).toEqual([])
    expect((await post("customer", emptied)).status).toBe(200)
    const items = new Map<string, string>()
    for (const [id, name] of [[SERVICE_ID, "Crack injection"], [OTHER_SERVICE_ID, "Wall anchors"]] as const) {
      const item = await post("item", itemBody(service({ id, name }), "79"))
      expect(item.status).toBe(200)
      items.set(id, String(member(item.json, "Item", "Id")))
    }
    let number = 5000
    await fc.assert(
      fc.asyncProperty(lineSpecs(), documentDiscountSpec, fc.boolean(), async (specs, discountSpec, taxExempt) => {
        const generated = generatedInvoice(specs, discountSpec, taxExempt)
        if (generated === undefined) return
        const invoice = { ...generated, number: number++ }
        const body = Result.getOrThrow(invoiceBody(invoice, customerId, items))
        const answer = await post("invoice", body)
        expect({ status: answer.status, fault: member(answer.json, "Fault") }).toEqual({ status: 200, fault: undefined })
        expect(Math.round(Number(member(answer.json, "Invoice", "TotalAmt")) * 100)).toBe(invoice.totalCents)
        if (invoice.totalCents === 0) return
        const paid = await post("payment", paymentBody(payment({ amountCents: invoice.totalCents }), customerId, String(member(answer.json, "Invoice", "Id"))))
        expect(paid.status).toBe(200)
      }),
      { numRuns: 60 }
    )
    expect(fake.createdTwice()).toEqual([])
  })
})
