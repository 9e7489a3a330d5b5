// What QuickBooks answers to a create of each entity the CRM writes: the
// wrapper key, every member's name and JSON kind, and the formats its strings
// follow. Written down as facts read from the recorded responses in
// shared/reference/quickbooks-examples/{customer,invoice,item,payment}-create-response.json
// (QuickBooks Online, minor version 75, recorded by NangoHQ). Those files are
// under the Elastic License 2.0, so they are not copied into the repository
// and no value of theirs is kept here: only structure, which the fake's own
// test (tests/integration/fake-quickbooks.test.ts) holds the fake to.

/** A member's JSON kind; the string kinds name the format every recorded value follows. */
export type Leaf =
  | "string"
  | "number"
  | "boolean"
  | "id" // a decimal integer written as a string: Id, SyncToken, a reference to an entity
  | "date" // YYYY-MM-DD
  | "date-time" // to the second, with the company's UTC offset: MetaData times
  | "date-time-ms" // to the millisecond, with the offset: the answer's `time`

/** A leaf, an object's members, or an array's elements in recorded order (`[]`: recorded empty). */
export type Shape = Leaf | ReadonlyArray<Shape> | { readonly [member: string]: Shape }

const metaData = { CreateTime: "date-time", LastUpdatedTime: "date-time" } as const
const currencyRef = { value: "string", name: "string" } as const
const entityRef = { value: "id", name: "string" } as const
const address = { Id: "id", Line1: "string", City: "string", CountrySubDivisionCode: "string", PostalCode: "string" } as const

export const CREATE_RESPONSE_SHAPES = {
  Customer: {
    Customer: {
      Taxable: "boolean",
      BillAddr: { ...address, Country: "string" },
      Notes: "string",
      Job: "boolean",
      BillWithParent: "boolean",
      Balance: "number",
      BalanceWithJobs: "number",
      CurrencyRef: currencyRef,
      PreferredDeliveryMethod: "string",
      IsProject: "boolean",
      domain: "string",
      sparse: "boolean",
      Id: "id",
      SyncToken: "id",
      MetaData: metaData,
      GivenName: "string",
      FamilyName: "string",
      FullyQualifiedName: "string",
      DisplayName: "string",
      PrintOnCheckName: "string",
      Active: "boolean",
      PrimaryPhone: { FreeFormNumber: "string" },
      PrimaryEmailAddr: { Address: "string" },
      DefaultTaxCodeRef: { value: "id" }
    },
    time: "date-time-ms"
  },
  Item: {
    Item: {
      Name: "string",
      Active: "boolean",
      FullyQualifiedName: "string",
      Taxable: "boolean",
      UnitPrice: "number",
      Type: "string",
      IncomeAccountRef: entityRef,
      PurchaseCost: "number",
      TrackQtyOnHand: "boolean",
      DeferredRevenue: "boolean",
      domain: "string",
      sparse: "boolean",
      Id: "id",
      SyncToken: "id",
      MetaData: metaData
    },
    time: "date-time-ms"
  },
  Invoice: {
    Invoice: {
      AllowIPNPayment: "boolean",
      AllowOnlinePayment: "boolean",
      AllowOnlineCreditCardPayment: "boolean",
      AllowOnlineACHPayment: "boolean",
      domain: "string",
      sparse: "boolean",
      Id: "id",
      SyncToken: "id",
      MetaData: { CreateTime: "date-time", LastModifiedByRef: { value: "id" }, LastUpdatedTime: "date-time" },
      CustomField: [],
      DocNumber: "string",
      TxnDate: "date",
      CurrencyRef: currencyRef,
      LinkedTxn: [],
      // One sales line was sent; QuickBooks numbers it and closes the list
      // with a subtotal line that has no Id and an empty detail.
      Line: [
        {
          Id: "id",
          LineNum: "number",
          Amount: "number",
          DetailType: "string",
          SalesItemLineDetail: {
            ItemRef: entityRef,
            UnitPrice: "number",
            Qty: "number",
            ItemAccountRef: entityRef,
            TaxCodeRef: { value: "string" }
          },
          CustomExtensions: []
        },
        { Amount: "number", DetailType: "string", SubTotalLineDetail: {} }
      ],
      TxnTaxDetail: { TotalTax: "number" },
      CustomerRef: entityRef,
      BillAddr: { ...address, Lat: "string", Long: "string" },
      ShipAddr: { ...address, Lat: "string", Long: "string" },
      FreeFormAddress: "boolean",
      ShipFromAddr: { Id: "id", Line1: "string", Line2: "string" },
      DueDate: "date",
      TotalAmt: "number",
      ApplyTaxAfterDiscount: "boolean",
      PrintStatus: "string",
      EmailStatus: "string",
      Balance: "number"
    },
    time: "date-time-ms"
  },
  Payment: {
    Payment: {
      CustomerRef: entityRef,
      DepositToAccountRef: { value: "id" },
      TotalAmt: "number",
      UnappliedAmt: "number",
      ProcessPayment: "boolean",
      domain: "string",
      sparse: "boolean",
      Id: "id",
      SyncToken: "id",
      MetaData: metaData,
      TxnDate: "date",
      CurrencyRef: currencyRef,
      Line: []
    },
    time: "date-time-ms"
  }
} as const satisfies Record<string, Shape>

const FORMATS: Record<Exclude<Leaf, "number" | "boolean">, RegExp> = {
  string: /^/u,
  id: /^\d+$/u,
  date: /^\d{4}-\d{2}-\d{2}$/u,
  "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/u,
  "date-time-ms": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/u
}

const kindOf = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v)
const isObject = (v: unknown): v is Readonly<Record<string, unknown>> => kindOf(v) === "object"

/**
 * Where `actual` departs from `shape`: a member missing, of another kind or
 * format, an array of another length, or a member QuickBooks did not send.
 * `ignore` lists paths (`Invoice.Line[].CustomExtensions`) the fake leaves
 * out on purpose; an array element's path ends in `[]`.
 */
export const shapeProblems = (shape: Shape, actual: unknown, ignore: ReadonlyArray<string> = [], path = ""): Array<string> => {
  const at = path === "" ? "(root)" : path
  if (typeof shape === "string") {
    if (shape === "number" || shape === "boolean") return kindOf(actual) === shape ? [] : [`${at}: ${shape} expected, ${kindOf(actual)} found`]
    if (typeof actual !== "string") return [`${at}: string (${shape}) expected, ${kindOf(actual)} found`]
    return FORMATS[shape].test(actual) ? [] : [`${at}: ${shape} expected, ${JSON.stringify(actual)} found`]
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(actual)) return [`${at}: array expected, ${kindOf(actual)} found`]
    if (actual.length !== shape.length) return [`${at}: ${shape.length} elements expected, ${actual.length} found`]
    return shape.flatMap((element: Shape, i) => shapeProblems(element, actual[i], ignore, `${path}[]`))
  }
  if (!isObject(actual)) return [`${at}: object expected, ${kindOf(actual)} found`]
  const member = (key: string) => (path === "" ? key : `${path}.${key}`)
  const expected = Object.entries(shape).filter(([key]) => !ignore.includes(member(key)))
  const unexpected = Object.keys(actual).filter((key) => !(key in shape)).map((key) => `${member(key)}: not in QuickBooks' answer`)
  return [
    ...expected.flatMap(([key, inner]) => (key in actual ? shapeProblems(inner, actual[key], ignore, member(key)) : [`${member(key)}: missing`])),
    ...unexpected
  ]
}
