import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { customerBody, invoiceBody, itemBody, paymentBody, sparseBody } from "../../../domain/quickbooks/mapping.ts"
import { xsdProblems } from "../../support/fake-quickbooks/xsd-validate.ts"
import { customer, NO_DISCOUNT, payment, pricedInvoice, service, SERVICE_ID } from "./domain-fixtures.ts"

// Every property the mapping writes must be one Intuit's XSDs define (the
// rules the fake server checks; QuickBooks refuses unknown ones, code 2010).
describe("mapping bodies against the XSD rules", () => {
  const invoice = pricedInvoice([
    { quantity: 1.5, unitPriceCents: 3333, discount: { type: "percent", percent: 10 }, taxRatePercent: 8.875, periodFrom: "2026-11-01" },
    { quantity: 2, unitPriceCents: 5000, discount: NO_DISCOUNT, taxRatePercent: null, serviceId: null }
  ], { type: "fixed", amountCents: 500 })

  it.each([
    ["Customer", customerBody(customer())],
    ["Customer", sparseBody("Customer", "60", "1", customerBody(customer({ email: null, billingAddress: null }), "Acme (2)", "update"))],
    ["Item", itemBody(service(), "79")],
    ["Invoice", Result.getOrThrow(invoiceBody(invoice, "60", new Map([[SERVICE_ID, "7"]]), "8"))],
    ["Payment", paymentBody(payment(), "60", "155")]
  ] as const)("%s body has no property the XSD lacks", (entity, body) => {
    expect(xsdProblems(entity, body)).toEqual([])
  })

  it("would see a property the XSD lacks", () => {
    expect(xsdProblems("Customer", { ...customerBody(customer()), Email: "ap@acme.example" })).not.toEqual([])
  })
})
