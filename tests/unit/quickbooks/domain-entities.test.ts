import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import {
  decodeQboCustomer,
  decodeQboInvoice,
  decodeQboItem,
  decodeQboPayment,
  QboFaultBody,
  QboLowerCaseFaultBody
} from "../../../domain/quickbooks/qbo-entities.ts"

// Bodies shaped like the recorded answers in shared/reference/quickbooks-examples
// (written here, not copied): wrapper-free entity objects with QuickBooks'
// extra members, ids and SyncTokens as strings, amounts as numbers.
const invoice = {
  AllowOnlineACHPayment: true,
  domain: "QBO",
  sparse: false,
  Id: "155",
  SyncToken: "0",
  MetaData: { CreateTime: "2026-05-05T02:08:55-07:00", LastUpdatedTime: "2026-05-05T02:08:55-07:00" },
  CustomField: [],
  DocNumber: "1042",
  TxnDate: "2026-11-21",
  Line: [
    {
      Id: "1",
      LineNum: 1,
      Amount: 100,
      DetailType: "SalesItemLineDetail",
      SalesItemLineDetail: { ItemRef: { value: "1", name: "Services" }, UnitPrice: 100, Qty: 1, TaxCodeRef: { value: "NON" } },
      CustomExtensions: []
    },
    { Id: "2", Amount: 10, DetailType: "DiscountLineDetail", DiscountLineDetail: { PercentBased: false } },
    { Id: "3", DetailType: "DescriptionOnly", Description: "Thank you", DescriptionLineDetail: {} },
    { Amount: 100, DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} }
  ],
  TxnTaxDetail: { TotalTax: 0 },
  CustomerRef: { value: "1", name: "Amy's Bird Sanctuary" },
  DueDate: "2026-12-21",
  TotalAmt: 90,
  Balance: 90
}

const faultFile = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/quickbooks/faults", name), "utf8"))

describe("QuickBooks entity decoders", () => {
  it("decode an invoice with its sales, discount, description and subtotal lines, ignoring unknown members", () => {
    const decoded = Result.getOrThrow(decodeQboInvoice(invoice))
    expect(decoded.Line.map((line) => line.DetailType))
      .toEqual(["SalesItemLineDetail", "DiscountLineDetail", "DescriptionOnly", "SubTotalLineDetail"])
    expect(decoded).toMatchObject({ Id: "155", SyncToken: "0", TotalAmt: 90, CustomerRef: { value: "1" } })
    expect(decoded).not.toHaveProperty("domain")
  })

  it("decode whatever the property order", () => {
    const reversed = Object.fromEntries(Object.entries(invoice).reverse())
    expect(decodeQboInvoice(reversed)).toEqual(decodeQboInvoice(invoice))
  })

  it("refuse an id sent as a number, and an invoice without CustomerRef", () => {
    expect(Result.isFailure(decodeQboInvoice({ ...invoice, Id: 155 }))).toBe(true)
    const { CustomerRef: _ref, ...noCustomer } = invoice
    expect(Result.isFailure(decodeQboInvoice(noCustomer))).toBe(true)
  })

  it("decode a payment applied to invoices, and an unapplied one with Line: [] or no Line", () => {
    const applied = Result.getOrThrow(decodeQboPayment({
      Id: "180",
      SyncToken: "1",
      TotalAmt: 150,
      CustomerRef: { value: "1" },
      ProcessPayment: false,
      Line: [{ Amount: 150, LinkedTxn: [{ TxnId: "155", TxnType: "Invoice" }], LineEx: { any: [] } }]
    }))
    expect(applied.Line).toEqual([{ Amount: 150, LinkedTxn: [{ TxnId: "155", TxnType: "Invoice" }] }])
    expect(Result.isSuccess(decodeQboPayment({ Id: "181", SyncToken: "0", TotalAmt: 100, UnappliedAmt: 100, CustomerRef: { value: "1" }, Line: [] })))
      .toBe(true)
    expect(Result.isSuccess(decodeQboPayment({ Id: "182", SyncToken: "0", TotalAmt: 0, CustomerRef: { value: "1" } }))).toBe(true)
  })

  it("decode a customer and a Service item", () => {
    expect(Result.getOrThrow(decodeQboCustomer({
      Taxable: true,
      Id: "60",
      SyncToken: "0",
      DisplayName: "Acme Foundations",
      PrimaryEmailAddr: { Address: "ap@acme.example" },
      PrimaryPhone: { FreeFormNumber: "(415) 555-2671" },
      BillAddr: { Id: "99", Line1: "1 Main St", City: "Springfield", CountrySubDivisionCode: "IL", PostalCode: "62701" },
      DefaultTaxCodeRef: { value: "2" }
    }))).toMatchObject({ DisplayName: "Acme Foundations", BillAddr: { City: "Springfield" } })
    expect(Result.getOrThrow(decodeQboItem({
      Name: "Crack injection",
      Type: "Service",
      UnitPrice: 45.5,
      IncomeAccountRef: { value: "79", name: "Sales of Product Income" },
      Id: "23",
      SyncToken: "0"
    }))).toMatchObject({ Id: "23", IncomeAccountRef: { value: "79" } })
  })

  it("decode the saved fault bodies: Fault/Error and the lower-case fault/error of 401 and 403", () => {
    const upper = Schema.decodeUnknownSync(QboFaultBody)
    const lower = Schema.decodeUnknownSync(QboLowerCaseFaultBody)
    expect(upper(faultFile("fault-400-validation-duplicate-name.json")).Fault).toMatchObject({
      type: "ValidationFault",
      Error: [{ code: "6240", Message: "Duplicate Name Exists Error" }]
    })
    expect(upper(faultFile("fault-400-business-validation.json")).Fault.Error[0]?.code).toBe("6000")
    expect(lower(faultFile("fault-401-authentication.json")).fault).toMatchObject({ type: "AUTHENTICATION", error: [{ code: "3200" }] })
    expect(lower(faultFile("fault-403-authorization.json")).fault.error[0]).toMatchObject({ code: "3100", detail: null })
  })
})
