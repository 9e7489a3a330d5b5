import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { InvoiceStatus, isOverdue, NewInvoice } from "../../../../domain/billing/invoice.ts"

const CUSTOMER_ID = "0190a0b0-0000-7000-8000-0000000000b1"

describe("an invoice's status", () => {
  it("is one of the five an invoice goes through, nothing else", () => {
    for (const status of ["draft", "issued", "partially_paid", "paid", "void"]) {
      expect(Schema.decodeUnknownSync(InvoiceStatus)(status)).toBe(status)
    }
    for (const status of ["", "overdue", "Paid"]) {
      expect(() => Schema.decodeUnknownSync(InvoiceStatus)(status)).toThrow()
    }
  })
})

describe("an invoice without a due date", () => {
  it("is never overdue", () => {
    expect(isOverdue({ status: "issued", dueDate: null, totalCents: 10_000, paidCents: 0 }, "2026-11-21")).toBe(false)
  })
})

describe("a new invoice", () => {
  it("decodes whole, lower-casing the customer id, and drops what it does not know", () => {
    const input = {
      customerId: CUSTOMER_ID.toUpperCase(), discount: { type: "fixed", amountCents: 500 }, notes: "Thanks",
      lines: [{ description: "Crack injection", quantity: 2, unitPriceCents: 1500 }], number: 7
    }
    expect(Schema.decodeUnknownSync(NewInvoice)(input)).toStrictEqual({
      customerId: CUSTOMER_ID, discount: { type: "fixed", amountCents: 500 }, notes: "Thanks",
      lines: [{ description: "Crack injection", quantity: 2, unitPriceCents: 1500 }]
    })
  })

  it("refuses an invoice without a customer or lines", () => {
    const lines = [{ description: "Crack injection", unitPriceCents: 1500 }]
    expect(() => Schema.decodeUnknownSync(NewInvoice)({ lines })).toThrow()
    expect(() => Schema.decodeUnknownSync(NewInvoice)({ customerId: "acme", lines })).toThrow()
    expect(() => Schema.decodeUnknownSync(NewInvoice)({ customerId: CUSTOMER_ID, lines: [] })).toThrow()
    expect(() => Schema.decodeUnknownSync(NewInvoice)({ customerId: CUSTOMER_ID })).toThrow()
  })
})
