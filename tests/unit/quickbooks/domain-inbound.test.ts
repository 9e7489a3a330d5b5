import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import {
  customerDifferences,
  customerMatches,
  customerPullDecision,
  isVoidedInvoice,
  paymentApplications,
  phoneKey
} from "../../../domain/quickbooks/inbound.ts"
import { customerBody } from "../../../domain/quickbooks/mapping.ts"
import type { QboCustomer, QboPayment } from "../../../domain/quickbooks/qbo-entities.ts"
import { customer } from "./domain-fixtures.ts"

const qboPayment = (line: QboPayment["Line"]): QboPayment => ({
  Id: "180",
  SyncToken: "0",
  TotalAmt: 300,
  CustomerRef: { value: "60" },
  ...(line === undefined ? {} : { Line: line })
})

/** The QuickBooks twin of the fixture customer, as a person may have typed it there. */
const twin: QboCustomer = {
  Id: "60",
  SyncToken: "2",
  DisplayName: "Acme Foundations",
  CompanyName: "Acme Foundations",
  PrimaryEmailAddr: { Address: " AP@Acme.example" },
  PrimaryPhone: { FreeFormNumber: "(415) 555-2671" },
  BillAddr: { Id: "99", Line1: "1 Main St", City: "Springfield", CountrySubDivisionCode: "IL", PostalCode: "62701" },
  Taxable: true
}

describe("paymentApplications", () => {
  it("gives the cents applied to each invoice, adding up lines for one invoice", () => {
    const payment = qboPayment([
      { Amount: 100.1, LinkedTxn: [{ TxnId: "155", TxnType: "Invoice" }] },
      { Amount: 50, LinkedTxn: [{ TxnId: "156", TxnType: "Invoice" }] },
      { Amount: 0.9, LinkedTxn: [{ TxnId: "155", TxnType: "Invoice" }] }
    ])
    expect(paymentApplications(payment)).toEqual(Result.succeed([
      { invoiceQboId: "155", amountCents: 10_100 },
      { invoiceQboId: "156", amountCents: 5000 }
    ]))
  })

  it("leaves out credit memos, unapplied money and zero lines", () => {
    const payment = qboPayment([
      { Amount: 20, LinkedTxn: [{ TxnId: "9", TxnType: "CreditMemo" }] },
      { Amount: 0, LinkedTxn: [{ TxnId: "155", TxnType: "Invoice" }] },
      { Amount: 5 }
    ])
    expect(paymentApplications(payment)).toEqual(Result.succeed([]))
    expect(paymentApplications(qboPayment(undefined))).toEqual(Result.succeed([]))
  })

  it("refuses an amount that is not whole cents", () => {
    const result = paymentApplications(qboPayment([{ Amount: 1.005, LinkedTxn: [{ TxnId: "155", TxnType: "Invoice" }] }]))
    expect(Result.isFailure(result) && result.failure).toMatchObject({ _tag: "InvalidQboAmount", field: "Line.0.Amount" })
  })
})

describe("isVoidedInvoice", () => {
  it("sees a void in the zeroed total and the Voided note QuickBooks writes", () => {
    expect(isVoidedInvoice({ TotalAmt: 0, PrivateNote: "Voided" })).toBe(true)
    expect(isVoidedInvoice({ TotalAmt: 0 })).toBe(false)
    expect(isVoidedInvoice({ TotalAmt: 90, PrivateNote: "Voided by mistake? no" })).toBe(false)
  })
})

describe("customer comparison", () => {
  it("sees no difference in case, blanks or phone punctuation", () => {
    expect(customerDifferences(customerBody(customer()), twin)).toEqual([])
    expect(phoneKey("+1 (415) 555-2671")).toBe(phoneKey("4155552671"))
  })

  it("names each field that differs", () => {
    const edited: QboCustomer = { ...twin, PrimaryPhone: { FreeFormNumber: "415-555-0000" }, BillAddr: { City: "Chicago" }, Taxable: false }
    expect(customerDifferences(customerBody(customer()), edited)).toEqual(["phone", "street", "city", "state", "postalCode", "taxable"])
  })

  it("keeps the CRM's value: a difference is pushed, and a conflict only when both sides changed", () => {
    const edited: QboCustomer = { ...twin, CompanyName: "Acme (QBO edit)" }
    const crm = customerBody(customer())
    expect(customerPullDecision({ crm, qbo: edited, crmChanged: true, qboChanged: true }))
      .toEqual({ action: "push-crm", differences: ["CompanyName"], conflict: true })
    expect(customerPullDecision({ crm, qbo: edited, crmChanged: false, qboChanged: true }))
      .toEqual({ action: "push-crm", differences: ["CompanyName"], conflict: false })
    expect(customerPullDecision({ crm, qbo: twin, crmChanged: true, qboChanged: true }))
      .toEqual({ action: "none", differences: [], conflict: false })
  })

  it("matches a QuickBooks customer by email or by phone, for linking on a duplicate name", () => {
    expect(customerMatches(customer(), twin)).toBe(true)
    expect(customerMatches(customer({ email: null }), { ...twin, PrimaryEmailAddr: { Address: "x@y.example" } })).toBe(true)
    expect(customerMatches(customer({ phone: null }), { ...twin, PrimaryPhone: { FreeFormNumber: "" } })).toBe(true)
    expect(customerMatches(customer(), { Id: "61", SyncToken: "0", DisplayName: "Acme Foundations" })).toBe(false)
    expect(customerMatches(customer({ email: null, phone: null }), { Id: "61", SyncToken: "0", DisplayName: "Acme" })).toBe(false)
    expect(customerMatches(customer(), { not: "a customer" })).toBe(false)
  })
})
