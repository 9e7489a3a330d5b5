import { describe, expect, it } from "@effect/vitest"
import { type DocumentLine, plainInvoiceLine } from "../../../../domain/billing/document-line.ts"

describe("plainInvoiceLine", () => {
  it("keeps a hand-written line as it is, with no purchase and no service period", () => {
    const line: DocumentLine = {
      position: 0, serviceId: null, description: "Crack injection", quantity: 2, unitPriceCents: 1500,
      discount: { type: "none" }, taxCode: null, taxRatePercent: null, subtotalCents: 3000, discountCents: 0,
      totalCents: 3000, documentDiscountCents: 0, taxCents: 0, amountCents: 3000
    }
    expect(plainInvoiceLine(line)).toStrictEqual({
      ...line, customerServiceId: null, periodFrom: null, periodTo: null, prorationDays: null, periodDays: null
    })
  })
})
