import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { toScaledInteger } from "../../../domain/billing/decimal.ts"
import { amountToCents } from "../../../domain/quickbooks/amounts.ts"
import {
  customerBody,
  type InvoiceBody,
  invoiceBody,
  isExactLine,
  itemBody,
  paymentBody,
  sparseBody
} from "../../../domain/quickbooks/mapping.ts"
import { documentDiscountSpec, lineSpecs } from "../domain/billing/billing-arbitraries.ts"
import {
  customer,
  generatedInvoice,
  INVOICE_ID,
  NO_DISCOUNT,
  OTHER_SERVICE_ID,
  payment,
  PAYMENT_ID,
  pricedInvoice,
  service,
  SERVICE_ID
} from "./domain-fixtures.ts"

const ITEMS = new Map([[SERVICE_ID, "7"], [OTHER_SERVICE_ID, "8"]])

const cents = (amount: number): number => Result.getOrThrow(amountToCents(amount))

const body = (result: ReturnType<typeof invoiceBody>): InvoiceBody => Result.getOrThrow(result)

/** What QuickBooks adds up: sales lines minus discount lines plus the tax, in cents. */
const qboTotalCents = (invoice: InvoiceBody): number =>
  invoice.Line.reduce((sum, line) => line.DetailType === "DiscountLineDetail" ? sum - cents(line.Amount) : sum + cents(line.Amount), 0) +
  cents(invoice.TxnTaxDetail.TotalTax)

describe("customerBody", () => {
  it("writes the CRM customer's name, contact details, address and taxability", () => {
    expect(customerBody(customer())).toEqual({
      DisplayName: "Acme Foundations",
      CompanyName: "Acme Foundations",
      PrimaryEmailAddr: { Address: "ap@acme.example" },
      PrimaryPhone: { FreeFormNumber: "+14155552671" },
      BillAddr: { Line1: "1 Main St", City: "Springfield", CountrySubDivisionCode: "IL", PostalCode: "62701" },
      Taxable: true
    })
  })

  it("leaves out what the CRM does not know on a create, and sends it empty on an update so QuickBooks clears it (not an email)", () => {
    const bare = customer({ email: null, phone: null, billingAddress: null, taxExempt: true })
    expect(customerBody(bare, "Acme Foundations (2)")).toEqual({
      DisplayName: "Acme Foundations (2)",
      CompanyName: "Acme Foundations",
      Taxable: false
    })
    expect(customerBody(bare, "Acme Foundations", "update")).toEqual({
      DisplayName: "Acme Foundations",
      CompanyName: "Acme Foundations",
      PrimaryPhone: { FreeFormNumber: "" },
      BillAddr: { Line1: "", City: "", CountrySubDivisionCode: "", PostalCode: "" },
      Taxable: false
    })
  })

  it("keeps CompanyName within QuickBooks' 100 characters and drops an email longer than its 100", () => {
    const long = customer({ companyName: "x".repeat(150), email: `${"a".repeat(95)}@b.example` })
    const result = customerBody(long)
    expect(result.CompanyName).toHaveLength(100)
    expect(result.PrimaryEmailAddr).toBeUndefined()
  })
})

describe("itemBody", () => {
  it("is a Service item at the list price, posting to the income account", () => {
    expect(itemBody(service(), "79")).toEqual({
      Name: "Crack injection",
      Type: "Service",
      Description: "Epoxy injection per linear foot",
      UnitPrice: 45.5,
      Taxable: true,
      IncomeAccountRef: { value: "79" }
    })
    expect(itemBody(service({ description: null, taxable: false, unitPriceCents: 1 }), "79", "Crack injection (2)")).toEqual({
      Name: "Crack injection (2)",
      Type: "Service",
      UnitPrice: 0.01,
      Taxable: false,
      IncomeAccountRef: { value: "79" }
    })
  })
})

describe("invoiceBody", () => {
  it("sends each line as Qty × UnitPrice, the discounts as one discount line and the CRM's tax", () => {
    const invoice = pricedInvoice([
      { quantity: 2.5, unitPriceCents: 8000, discount: { type: "percent", percent: 10 }, taxRatePercent: 8.875 },
      { quantity: 1, unitPriceCents: 12_345, discount: NO_DISCOUNT, taxRatePercent: null, serviceId: null, description: "Site visit" }
    ], { type: "fixed", amountCents: 1000 })
    expect(body(invoiceBody(invoice, "60", ITEMS, "99"))).toEqual({
      DocNumber: "1042",
      TxnDate: "2026-11-21",
      DueDate: "2026-12-21",
      CustomerRef: { value: "60" },
      Line: [
        {
          Description: "Line 1",
          Amount: 200,
          DetailType: "SalesItemLineDetail",
          SalesItemLineDetail: { ItemRef: { value: "7" }, Qty: 2.5, UnitPrice: 80, TaxCodeRef: { value: "TAX" } }
        },
        {
          Description: "Site visit",
          Amount: 123.45,
          DetailType: "SalesItemLineDetail",
          SalesItemLineDetail: { ItemRef: { value: "99" }, Qty: 1, UnitPrice: 123.45, TaxCodeRef: { value: "NON" } }
        },
        { Description: "Discount", Amount: 30, DetailType: "DiscountLineDetail", DiscountLineDetail: { PercentBased: false } }
      ],
      ApplyTaxAfterDiscount: true,
      TxnTaxDetail: { TotalTax: invoice.taxCents / 100 }
    })
    expect(invoice.totalCents).toBe(20_000 + 12_345 - 3000 + invoice.taxCents)
  })

  it("sends a line whose rounded subtotal is not Qty × UnitPrice as one unit, the real terms in its description", () => {
    const invoice = pricedInvoice([
      { quantity: 1.5, unitPriceCents: 3333, discount: NO_DISCOUNT, taxRatePercent: null, description: "Sealant" },
      {
        quantity: 1,
        unitPriceCents: 9000,
        discount: NO_DISCOUNT,
        taxRatePercent: null,
        proration: { days: 12, periodDays: 30 },
        description: "Monitoring",
        periodFrom: "2026-11-19"
      }
    ])
    const [sealant, monitoring] = body(invoiceBody(invoice, "60", ITEMS)).Line
    expect(sealant).toMatchObject({
      Description: "Sealant (1.5 × $33.33)",
      Amount: 50,
      SalesItemLineDetail: { Qty: 1, UnitPrice: 50 }
    })
    expect(monitoring).toMatchObject({
      Description: "Monitoring (1 × $90.00, 12 of 30 days)",
      Amount: 36,
      SalesItemLineDetail: { Qty: 1, UnitPrice: 36, ServiceDate: "2026-11-19" }
    })
    expect(invoice.lines.map(isExactLine)).toEqual([false, false])
  })

  it("has no discount line when nothing is discounted, and no DueDate when the invoice has none", () => {
    const invoice = { ...pricedInvoice([{ quantity: 1, unitPriceCents: 100, discount: NO_DISCOUNT, taxRatePercent: null }]), dueDate: null }
    const result = body(invoiceBody(invoice, "60", ITEMS))
    expect(result.Line.map((line) => line.DetailType)).toEqual(["SalesItemLineDetail"])
    expect(result).not.toHaveProperty("DueDate")
  })

  it("refuses a draft, and a line with no QuickBooks item", () => {
    const invoice = pricedInvoice([{ quantity: 1, unitPriceCents: 100, discount: NO_DISCOUNT, taxRatePercent: null }])
    const draft = invoiceBody({ ...invoice, issueDate: null }, "60", ITEMS)
    expect(Result.isFailure(draft) && draft.failure).toMatchObject({ _tag: "QboMappingError", entity: "invoice", crmId: INVOICE_ID })
    const unmapped = invoiceBody(invoice, "60", new Map())
    expect(Result.isFailure(unmapped) && unmapped.failure.message).toMatch(/Line 1 has no QuickBooks item/u)
    expect(Result.isSuccess(invoiceBody(invoice, "60", new Map(), "99"))).toBe(true)
  })

  it("gives QuickBooks the CRM's total to the cent, every sales line exactly Qty × UnitPrice (random invoices)", () => {
    fc.assert(
      fc.property(lineSpecs(), documentDiscountSpec, fc.boolean(), (specs, discountSpec, taxExempt) => {
        const invoice = generatedInvoice(specs, discountSpec, taxExempt)
        if (invoice === undefined) return
        const result = body(invoiceBody(invoice, "60", ITEMS))
        const inexact = result.Line.filter((line) => {
          if (cents(line.Amount) < 0) return true
          if (line.DetailType !== "SalesItemLineDetail") return false
          const qty = toScaledInteger(line.SalesItemLineDetail.Qty, 3)
          const price = toScaledInteger(line.SalesItemLineDetail.UnitPrice, 2)
          return qty === undefined || price === undefined || qty * price !== BigInt(cents(line.Amount)) * 1000n
        })
        expect({ total: qboTotalCents(result), inexact }).toEqual({ total: invoice.totalCents, inexact: [] })
      }),
      { numRuns: 100 }
    )
  })
})

describe("paymentBody", () => {
  it("applies the whole payment to the invoice, dated the UTC day it arrived", () => {
    expect(paymentBody(payment(), "60", "155")).toEqual({
      TotalAmt: 123.45,
      TxnDate: "2026-11-22",
      CustomerRef: { value: "60" },
      Line: [{ Amount: 123.45, LinkedTxn: [{ TxnId: "155", TxnType: "Invoice" }] }],
      PaymentRefNum: "Check 1001",
      PrivateNote: `CRM payment ${PAYMENT_ID} (check)`
    })
  })

  it("keeps the reference within QuickBooks' 21 characters, and leaves it out when there is none", () => {
    expect(paymentBody(payment({ reference: "r".repeat(40) }), "60", "155").PaymentRefNum).toBe("r".repeat(21))
    expect(paymentBody(payment({ reference: null }), "60", "155")).not.toHaveProperty("PaymentRefNum")
  })
})

describe("sparseBody", () => {
  it("adds the Id, the stored SyncToken and sparse: true to the fields", () => {
    expect(sparseBody("Customer", "60", "3", { DisplayName: "Acme" })).toEqual({
      DisplayName: "Acme",
      Id: "60",
      SyncToken: "3",
      sparse: true
    })
  })
})
