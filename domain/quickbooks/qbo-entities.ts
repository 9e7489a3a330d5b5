import { Schema } from "effect"

/**
 * The part of QuickBooks Online's wire JSON the CRM reads, after the XSDs in
 * shared/reference/quickbooks-xsd (Customer: IntuitNamesTypes.xsd l.333;
 * Invoice, Payment, Item: Finance.xsd l.5732, 9642, 10088; Fault:
 * IntuitRestServiceDef.xsd l.135). Decoding ignores keys not listed here and
 * does not care about their order (responses vary both). Ids, SyncTokens and
 * reference values are strings; amounts are numbers (quickbooks-facts.md,
 * quirk 4).
 */

/** The entities the CRM writes or reads, as QuickBooks names them. */
export const QboEntityKind = Schema.Literals(["Customer", "Item", "Invoice", "Payment"])
export type QboEntityKind = typeof QboEntityKind.Type

const optional = Schema.optionalKey
const Amount = Schema.Finite

/** A reference to another entity: `{ value: "42", name: "Amy's Bird Sanctuary" }`. */
export const QboRef = Schema.Struct({ value: Schema.String, name: optional(Schema.String) })
export type QboRef = typeof QboRef.Type

/** Creation and last-change times, with the company's UTC offset ("2026-05-05T02:08:55-07:00"). */
export const QboMetaData = Schema.Struct({
  CreateTime: optional(Schema.String),
  LastUpdatedTime: optional(Schema.String)
})

export const QboEmailAddress = Schema.Struct({ Address: optional(Schema.String) })
export const QboTelephone = Schema.Struct({ FreeFormNumber: optional(Schema.String) })

export const QboAddress = Schema.Struct({
  Id: optional(Schema.String),
  Line1: optional(Schema.String),
  Line2: optional(Schema.String),
  Line3: optional(Schema.String),
  City: optional(Schema.String),
  CountrySubDivisionCode: optional(Schema.String),
  PostalCode: optional(Schema.String),
  Country: optional(Schema.String)
})
export type QboAddress = typeof QboAddress.Type

export const QboCustomer = Schema.Struct({
  Id: Schema.String,
  SyncToken: Schema.String,
  DisplayName: Schema.String,
  CompanyName: optional(Schema.String),
  GivenName: optional(Schema.String),
  FamilyName: optional(Schema.String),
  PrimaryEmailAddr: optional(QboEmailAddress),
  PrimaryPhone: optional(QboTelephone),
  BillAddr: optional(QboAddress),
  Taxable: optional(Schema.Boolean),
  Active: optional(Schema.Boolean),
  Balance: optional(Amount),
  MetaData: optional(QboMetaData)
})
export type QboCustomer = typeof QboCustomer.Type

export const QboItem = Schema.Struct({
  Id: Schema.String,
  SyncToken: Schema.String,
  Name: Schema.String,
  Type: optional(Schema.String),
  Description: optional(Schema.String),
  UnitPrice: optional(Amount),
  Taxable: optional(Schema.Boolean),
  Active: optional(Schema.Boolean),
  IncomeAccountRef: optional(QboRef),
  MetaData: optional(QboMetaData)
})
export type QboItem = typeof QboItem.Type

/** A link from a payment line (or an invoice) to another transaction. */
export const QboLinkedTxn = Schema.Struct({
  TxnId: Schema.String,
  TxnType: Schema.String,
  TxnLineId: optional(Schema.String)
})
export type QboLinkedTxn = typeof QboLinkedTxn.Type

export const QboSalesItemLine = Schema.Struct({
  Id: optional(Schema.String),
  LineNum: optional(Schema.Finite),
  Description: optional(Schema.String),
  Amount: Amount,
  DetailType: Schema.Literal("SalesItemLineDetail"),
  SalesItemLineDetail: Schema.Struct({
    ItemRef: QboRef,
    Qty: optional(Schema.Finite),
    UnitPrice: optional(Amount),
    TaxCodeRef: optional(QboRef),
    ServiceDate: optional(Schema.String)
  })
})
export type QboSalesItemLine = typeof QboSalesItemLine.Type

export const QboDiscountLine = Schema.Struct({
  Id: optional(Schema.String),
  LineNum: optional(Schema.Finite),
  Description: optional(Schema.String),
  Amount: Amount,
  DetailType: Schema.Literal("DiscountLineDetail"),
  DiscountLineDetail: Schema.Struct({
    PercentBased: optional(Schema.Boolean),
    DiscountPercent: optional(Schema.Finite),
    DiscountAccountRef: optional(QboRef)
  })
})
export type QboDiscountLine = typeof QboDiscountLine.Type

/** The line QuickBooks appends to every invoice it answers with; it has no `Id`. */
export const QboSubTotalLine = Schema.Struct({
  Id: optional(Schema.String),
  Amount: Amount,
  DetailType: Schema.Literal("SubTotalLineDetail")
})
export type QboSubTotalLine = typeof QboSubTotalLine.Type

/** Line kinds the CRM never writes but may find on an invoice someone edited in QuickBooks. */
export const QboOtherLine = Schema.Struct({
  Id: optional(Schema.String),
  Amount: optional(Amount),
  Description: optional(Schema.String),
  DetailType: Schema.Literals(["DescriptionOnly", "GroupLineDetail", "DescriptionLineDetail", "TaxLineDetail"])
})

export const QboInvoiceLine = Schema.Union([QboSalesItemLine, QboDiscountLine, QboSubTotalLine, QboOtherLine])
export type QboInvoiceLine = typeof QboInvoiceLine.Type

export const QboTxnTaxDetail = Schema.Struct({
  TxnTaxCodeRef: optional(QboRef),
  TotalTax: optional(Amount)
})

export const QboInvoice = Schema.Struct({
  Id: Schema.String,
  SyncToken: Schema.String,
  DocNumber: optional(Schema.String),
  TxnDate: optional(Schema.String),
  DueDate: optional(Schema.String),
  CustomerRef: QboRef,
  Line: Schema.Array(QboInvoiceLine),
  TxnTaxDetail: optional(QboTxnTaxDetail),
  ApplyTaxAfterDiscount: optional(Schema.Boolean),
  TotalAmt: optional(Amount),
  Balance: optional(Amount),
  PrivateNote: optional(Schema.String),
  LinkedTxn: optional(Schema.Array(QboLinkedTxn)),
  MetaData: optional(QboMetaData)
})
export type QboInvoice = typeof QboInvoice.Type

/** A payment line: `Amount` applied to the transactions it links (invoices, credit memos, ...). */
export const QboPaymentLine = Schema.Struct({
  Amount: Amount,
  LinkedTxn: optional(Schema.Array(QboLinkedTxn))
})
export type QboPaymentLine = typeof QboPaymentLine.Type

export const QboPayment = Schema.Struct({
  Id: Schema.String,
  SyncToken: Schema.String,
  TxnDate: optional(Schema.String),
  TotalAmt: Amount,
  UnappliedAmt: optional(Amount),
  CustomerRef: QboRef,
  PaymentRefNum: optional(Schema.String),
  PrivateNote: optional(Schema.String),
  /** An unapplied payment answers `Line: []`; some answers leave it out. */
  Line: optional(Schema.Array(QboPaymentLine)),
  MetaData: optional(QboMetaData)
})
export type QboPayment = typeof QboPayment.Type

/** One error of a fault; `code` and `element` are XML attributes, keys in JSON. */
export const QboFaultError = Schema.Struct({
  Message: optional(Schema.String),
  Detail: optional(Schema.String),
  code: Schema.String,
  element: optional(Schema.String)
})

/** `{"Fault":{"Error":[...],"type":"ValidationFault"},"time":"..."}`: validation and most other faults. */
export const QboFault = Schema.Struct({
  Error: Schema.Array(QboFaultError),
  type: optional(Schema.String)
})
export const QboFaultBody = Schema.Struct({ Fault: QboFault, time: optional(Schema.Unknown) })
export type QboFaultBody = typeof QboFaultBody.Type

/** The lower-case form 401 and 403 answers use (fault-401-authentication.json); `time` is epoch ms there. */
export const QboLowerCaseFaultBody = Schema.Struct({
  fault: Schema.Struct({
    error: Schema.Array(Schema.Struct({
      message: optional(Schema.NullOr(Schema.String)),
      detail: optional(Schema.NullOr(Schema.String)),
      code: Schema.String,
      element: optional(Schema.NullOr(Schema.String))
    })),
    type: optional(Schema.NullOr(Schema.String))
  }),
  time: optional(Schema.Unknown)
})
export type QboLowerCaseFaultBody = typeof QboLowerCaseFaultBody.Type

export const decodeQboCustomer = Schema.decodeUnknownResult(QboCustomer)
export const decodeQboItem = Schema.decodeUnknownResult(QboItem)
export const decodeQboInvoice = Schema.decodeUnknownResult(QboInvoice)
export const decodeQboPayment = Schema.decodeUnknownResult(QboPayment)
