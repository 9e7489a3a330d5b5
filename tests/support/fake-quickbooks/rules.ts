import { decimalOf, equals, exactCents, multiply, roundCents } from "./decimal.ts"
import * as F from "./faults.ts"
import { arr, clone, isObject, type Json, num, obj, refValue, str } from "./json.ts"

// The business rules QuickBooks holds a write to, for the four entities the CRM
// pushes (on top of the XSD shape, checked before these): required references,
// names unique where QuickBooks wants them unique, lengths, amounts to the cent
// with Amount = Qty x UnitPrice, and payments no larger than what is open.
// Each rule answers the fault QuickBooks would (codes in quickbooks-facts.md),
// or the body to store, with computed members (totals) kept in `computed`.

export type Entity = "Customer" | "Item" | "Invoice" | "Payment"
export type NameOwner = Entity | "Vendor" | "Employee"

export interface Row {
  readonly entity: NameOwner
  readonly id: string
  syncToken: number
  /** What the client wrote (normalised), without Id, SyncToken, MetaData or computed members. */
  body: Json
  /** Invoice: subtotal, discount, tax and total in cents; Payment: applications per invoice. */
  computed: Computed
  readonly createdAt: number
  updatedAt: number
  deleted: boolean
  voided: boolean
}

export interface Computed {
  readonly totalCents: number
  readonly applications: ReadonlyArray<{ readonly invoiceId: string; readonly cents: number }>
}

export const NO_COMPUTED: Computed = { totalCents: 0, applications: [] }

/** What the rules read from the company's books. */
export interface Books {
  readonly now: () => number
  readonly find: (id: string) => Row | undefined
  readonly all: () => Iterable<Row>
  readonly accounts: Readonly<Record<string, string>>
  /** Cents each payment applies to this invoice, by payment id (an index: the books are large in the bench). */
  readonly paymentsOn: (invoiceId: string) => ReadonlyMap<string, number>
}

export type Checked = { readonly fault: F.Reply } | { readonly body: Json; readonly computed: Computed }

/** Members QuickBooks computes or owns: taken out of what is stored whatever the client sent. */
const READ_ONLY = ["Id", "SyncToken", "MetaData", "domain", "sparse", "status", "FullyQualifiedName", "Balance",
  "BalanceWithJobs", "HomeBalance", "TotalAmt", "HomeTotalAmt", "UnappliedAmt", "time"]

export const writable = (entity: Entity, body: Json): Json => {
  const copy = clone(body)
  for (const key of READ_ONLY) {
    // A payment's TotalAmt is the client's to say; an invoice's is computed from its lines.
    if (key === "TotalAmt" && entity === "Payment") continue
    delete copy[key]
  }
  return copy
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()
const BAD_NAME = /[:\t\n\r]/u

const length = (now: number, element: string, value: unknown, max: number): F.Reply | undefined =>
  typeof value === "string" && value.length > max ? F.tooLong(now, element, max, value.length) : undefined

const firstFault = (...checks: ReadonlyArray<F.Reply | undefined>) => checks.find((c) => c !== undefined)

const nameTaken = (books: Books, owners: ReadonlyArray<NameOwner>, field: "DisplayName" | "Name", name: string, selfId?: string) => {
  for (const row of books.all()) {
    if (row.id === selfId || row.deleted || !owners.includes(row.entity)) continue
    const other = str(row.body[field])
    if (other !== undefined && sameName(other, name)) return row
  }
  return undefined
}

/** The active row of this entity a reference points at. */
const referenced = (books: Books, entity: NameOwner, id: string | undefined) => {
  const row = id === undefined ? undefined : books.find(id)
  return row !== undefined && row.entity === entity && !row.deleted && row.body["Active"] !== false ? row : undefined
}

const today = (now: number) => F.pacific(now).slice(0, 10)

export const checkCustomer = (books: Books, input: Json, selfId?: string): Checked => {
  const now = books.now()
  const body = writable("Customer", input)
  const parts = ["Title", "GivenName", "MiddleName", "FamilyName", "Suffix"].map((k) => str(body[k])).filter((v) => v !== undefined && v !== "")
  const displayName = (str(body["DisplayName"]) ?? parts.join(" ")).trim()
  if (displayName === "") return { fault: F.requiredMissing(now, "DisplayName") }
  const email = str(obj(body["PrimaryEmailAddr"])?.["Address"])
  const address = obj(body["BillAddr"])
  const fault = firstFault(
    length(now, "DisplayName", displayName, 500),
    length(now, "CompanyName", body["CompanyName"], 100),
    length(now, "GivenName", body["GivenName"], 100),
    length(now, "MiddleName", body["MiddleName"], 100),
    length(now, "FamilyName", body["FamilyName"], 100),
    length(now, "Title", body["Title"], 16),
    length(now, "Suffix", body["Suffix"], 16),
    length(now, "PrintOnCheckName", body["PrintOnCheckName"], 110),
    length(now, "Notes", body["Notes"], 2000),
    length(now, "PrimaryEmailAddr.Address", email, 100),
    length(now, "PrimaryPhone.FreeFormNumber", obj(body["PrimaryPhone"])?.["FreeFormNumber"], 30),
    ...["Line1", "Line2", "Line3", "Line4", "Line5"].map((k) => length(now, `BillAddr.${k}`, address?.[k], 500)),
    length(now, "BillAddr.City", address?.["City"], 255),
    length(now, "BillAddr.PostalCode", address?.["PostalCode"], 30),
    BAD_NAME.test(displayName) ? F.business(now, "DisplayName cannot contain a colon (:), tab or newline", "DisplayName") : undefined,
    email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/u.test(email)
      ? F.business(now, "Email Address does not conform to the syntax rules of RFC 822", "PrimaryEmailAddr.Address")
      : undefined
  )
  if (fault !== undefined) return { fault }
  // DisplayName is unique across customers, vendors and employees (code 6240), inactive ones included.
  const taken = nameTaken(books, ["Customer", "Vendor", "Employee"], "DisplayName", displayName, selfId)
  if (taken !== undefined) return { fault: F.duplicateName(now, taken.entity.toLowerCase()) }
  return { body: { ...body, DisplayName: displayName }, computed: NO_COMPUTED }
}

export const checkItem = (books: Books, input: Json, selfId?: string): Checked => {
  const now = books.now()
  const body = writable("Item", input)
  const name = str(body["Name"])?.trim()
  if (name === undefined || name === "") return { fault: F.requiredMissing(now, "Name") }
  const type = str(body["Type"])
  const account = refValue(body["IncomeAccountRef"])
  const fault = firstFault(
    length(now, "Name", name, 100),
    length(now, "Description", body["Description"], 4000),
    length(now, "Sku", body["Sku"], 100),
    BAD_NAME.test(name) ? F.business(now, "Name cannot contain a colon (:), tab or newline", "Name") : undefined,
    type === undefined ? F.requiredMissing(now, "Type") : undefined,
    type !== undefined && type !== "Service" && type !== "NonInventory"
      ? F.business(now, `Item Type ${type} is not one this fake keeps (Service, NonInventory)`, "Type")
      : undefined,
    account === undefined ? F.requiredMissing(now, "IncomeAccountRef") : undefined,
    account !== undefined && books.accounts[account] === undefined ? F.invalidReference(now, "IncomeAccountRef", account) : undefined,
    num(body["UnitPrice"]) !== undefined && (num(body["UnitPrice"]) ?? 0) < 0
      ? F.business(now, "UnitPrice cannot be negative", "UnitPrice")
      : undefined
  )
  if (fault !== undefined) return { fault }
  if (nameTaken(books, ["Item"], "Name", name, selfId) !== undefined) return { fault: F.duplicateName(now, "product or service") }
  return { body: { ...body, Name: name }, computed: NO_COMPUTED }
}

/** Cents of a money member: absent, more than 2 decimals or negative is a fault. */
const money = (now: number, element: string, value: unknown, required: boolean): F.Reply | number | undefined => {
  if (value === undefined) return required ? F.requiredMissing(now, element) : undefined
  const amount = num(value)
  if (amount === undefined) return F.badNumber(now, element, `${element} must be a number`)
  const cents = exactCents(amount)
  if (cents === undefined) return F.badNumber(now, element, `${element} ${amount} has more than 2 decimal places`)
  if (cents < 0) return F.business(now, `${element} cannot be negative`, element)
  return cents
}
const isReply = (value: unknown): value is F.Reply => isObject(value) && typeof value["status"] === "number" && typeof value["body"] === "string"

const appliedTo = (books: Books, invoiceId: string, exceptPaymentId?: string) => {
  let cents = 0
  for (const [paymentId, applied] of books.paymentsOn(invoiceId)) if (paymentId !== exceptPaymentId) cents += applied
  return cents
}

export const checkInvoice = (books: Books, input: Json, selfId?: string): Checked => {
  const now = books.now()
  const body = writable("Invoice", input)
  delete body["LinkedTxn"] // payments link themselves
  const customerId = refValue(body["CustomerRef"])
  if (customerId === undefined) return { fault: F.requiredMissing(now, "CustomerRef") }
  if (referenced(books, "Customer", customerId) === undefined) return { fault: F.invalidReference(now, "CustomerRef", customerId) }
  const early = firstFault(
    length(now, "DocNumber", body["DocNumber"], 21),
    length(now, "PrivateNote", body["PrivateNote"], 4000),
    length(now, "CustomerMemo", obj(body["CustomerMemo"])?.["value"], 1000)
  )
  if (early !== undefined) return { fault: early }
  const input_lines = arr(body["Line"])
  const lines: Array<Json> = []
  let subtotal = 0
  let discount = 0
  const percentDiscounts: Array<{ line: Json; percent: number }> = []
  for (const raw of input_lines) {
    const line = obj(raw) ?? {}
    const type = str(line["DetailType"])
    if (type === undefined) return { fault: F.requiredMissing(now, "Line.DetailType") }
    if (type === "SubTotalLineDetail") continue // recomputed on every save
    if (type === "DescriptionOnly") {
      lines.push({ ...line, Amount: 0 })
      continue
    }
    if (type === "SalesItemLineDetail") {
      const detail = obj(line["SalesItemLineDetail"])
      if (detail === undefined) return { fault: F.requiredMissing(now, "Line.SalesItemLineDetail") }
      const itemId = refValue(detail["ItemRef"])
      if (itemId === undefined) return { fault: F.requiredMissing(now, "Line.SalesItemLineDetail.ItemRef") }
      const item = referenced(books, "Item", itemId)
      if (item === undefined) return { fault: F.invalidReference(now, "Line.SalesItemLineDetail.ItemRef", itemId) }
      const cents = money(now, "Line.Amount", line["Amount"], true)
      if (isReply(cents)) return { fault: cents }
      const qty = num(detail["Qty"])
      const price = num(detail["UnitPrice"])
      const amount = num(line["Amount"]) ?? 0
      if (qty !== undefined && price !== undefined && !equals(multiply(decimalOf(qty), decimalOf(price)), decimalOf(amount))) {
        return {
          fault: F.validation(now, {
            code: "6070",
            message: "Amount calculation incorrect in the request",
            detail: `Amount is not equal to UnitPrice * Qty. Supplied value:${amount}`,
            element: "Line.Amount"
          })
        }
      }
      const taxCode = refValue(detail["TaxCodeRef"])
      if (taxCode !== undefined && taxCode !== "TAX" && taxCode !== "NON") {
        return { fault: F.invalidReference(now, "Line.SalesItemLineDetail.TaxCodeRef", taxCode) }
      }
      const described = length(now, "Line.Description", line["Description"], 4000)
      if (described !== undefined) return { fault: described }
      subtotal += cents ?? 0
      const accountId = refValue(item.body["IncomeAccountRef"]) ?? ""
      lines.push({
        ...line,
        SalesItemLineDetail: {
          ...detail,
          ItemRef: { value: itemId, name: str(item.body["Name"]) ?? "" },
          ItemAccountRef: { value: accountId, name: books.accounts[accountId] ?? "" },
          TaxCodeRef: { value: taxCode ?? "NON" }
        }
      })
      continue
    }
    if (type === "DiscountLineDetail") {
      const detail = obj(line["DiscountLineDetail"])
      if (detail === undefined) return { fault: F.requiredMissing(now, "Line.DiscountLineDetail") }
      if (detail["PercentBased"] === true) {
        const percent = num(detail["DiscountPercent"])
        if (percent === undefined) return { fault: F.requiredMissing(now, "Line.DiscountLineDetail.DiscountPercent") }
        if (percent < 0 || percent > 100) return { fault: F.business(now, "DiscountPercent must be between 0 and 100", "Line.DiscountLineDetail.DiscountPercent") }
        const copy = { ...line }
        percentDiscounts.push({ line: copy, percent })
        lines.push(copy)
        continue
      }
      const cents = money(now, "Line.Amount", line["Amount"], true)
      if (isReply(cents)) return { fault: cents }
      discount += cents ?? 0
      lines.push(line)
      continue
    }
    return { fault: F.business(now, `Line DetailType ${type} is not one this fake keeps on an invoice`, "Line.DetailType") }
  }
  if (!lines.some((l) => l["DetailType"] === "SalesItemLineDetail")) return { fault: F.requiredMissing(now, "Line") }
  for (const { line, percent } of percentDiscounts) {
    // subtotal (cents) x percent / 100 is cents; as dollars that is a scale 4 more.
    const p = decimalOf(percent)
    const cents = roundCents({ digits: BigInt(subtotal) * p.digits, scale: p.scale + 4 })
    line["Amount"] = cents / 100
    discount += cents
  }
  if (discount > subtotal) return { fault: F.business(now, "The discount is more than the subtotal", "Line.Amount") }
  const tax = money(now, "TxnTaxDetail.TotalTax", obj(body["TxnTaxDetail"])?.["TotalTax"], false)
  if (isReply(tax)) return { fault: tax }
  const total = subtotal - discount + (tax ?? 0)
  if (selfId !== undefined && total < appliedTo(books, selfId)) {
    return { fault: F.business(now, "The invoice total cannot be less than the payments applied to it", "Line") }
  }
  const txnDate = str(body["TxnDate"]) ?? today(now)
  return {
    body: {
      ...body,
      TxnDate: txnDate,
      DueDate: str(body["DueDate"]) ?? txnDate,
      TxnTaxDetail: { ...obj(body["TxnTaxDetail"]), TotalTax: (tax ?? 0) / 100 },
      Line: lines.map((line, i) => ({ ...line, Id: String(i + 1), LineNum: i + 1 }))
    },
    computed: { totalCents: total, applications: [] }
  }
}

export const checkPayment = (books: Books, input: Json, selfId?: string): Checked => {
  const now = books.now()
  const body = writable("Payment", input)
  const customerId = refValue(body["CustomerRef"])
  if (customerId === undefined) return { fault: F.requiredMissing(now, "CustomerRef") }
  if (referenced(books, "Customer", customerId) === undefined) return { fault: F.invalidReference(now, "CustomerRef", customerId) }
  const total = money(now, "TotalAmt", body["TotalAmt"], true)
  if (isReply(total)) return { fault: total }
  const tooLong = length(now, "PaymentRefNum", body["PaymentRefNum"], 21)
  if (tooLong !== undefined) return { fault: tooLong }
  const applications: Array<{ invoiceId: string; cents: number }> = []
  const lines: Array<Json> = []
  for (const raw of arr(body["Line"])) {
    const line = obj(raw) ?? {}
    const cents = money(now, "Line.Amount", line["Amount"], true)
    if (isReply(cents)) return { fault: cents }
    const linked = arr(line["LinkedTxn"])
    if (linked.length === 0) return { fault: F.requiredMissing(now, "Line.LinkedTxn") }
    if (linked.length > 1) return { fault: F.business(now, "One LinkedTxn per payment line in this fake", "Line.LinkedTxn") }
    const txn = obj(linked[0]) ?? {}
    const txnId = str(txn["TxnId"])
    const txnType = str(txn["TxnType"])
    if (txnId === undefined) return { fault: F.requiredMissing(now, "Line.LinkedTxn.TxnId") }
    if (txnType === undefined) return { fault: F.requiredMissing(now, "Line.LinkedTxn.TxnType") }
    if (txnType !== "Invoice") return { fault: F.business(now, `LinkedTxn TxnType ${txnType} is not one this fake keeps`, "Line.LinkedTxn.TxnType") }
    const invoice = referenced(books, "Invoice", txnId)
    if (invoice === undefined) return { fault: F.invalidReference(now, "Line.LinkedTxn.TxnId", txnId) }
    if (refValue(invoice.body["CustomerRef"]) !== customerId) {
      return { fault: F.business(now, `Invoice ${txnId} belongs to another customer`, "Line.LinkedTxn.TxnId") }
    }
    if (invoice.voided) return { fault: F.business(now, `Invoice ${txnId} is void`, "Line.LinkedTxn.TxnId") }
    const already = applications.filter((a) => a.invoiceId === txnId).reduce((s, a) => s + a.cents, 0)
    const open = invoice.computed.totalCents - appliedTo(books, txnId, selfId) - already
    if ((cents ?? 0) > open) {
      return { fault: F.business(now, `The amount applied to invoice ${txnId} is more than its open balance`, "Line.Amount") }
    }
    applications.push({ invoiceId: txnId, cents: cents ?? 0 })
    lines.push({ Amount: line["Amount"], LinkedTxn: [{ TxnId: txnId, TxnType: "Invoice" }] })
  }
  if (applications.reduce((s, a) => s + a.cents, 0) > (total ?? 0)) {
    return { fault: F.business(now, "The amounts applied are more than the payment's TotalAmt", "TotalAmt") }
  }
  return {
    body: { ...body, TxnDate: str(body["TxnDate"]) ?? today(now), Line: lines },
    computed: { totalCents: total ?? 0, applications }
  }
}

export const checkers: Record<Entity, (books: Books, body: Json, selfId?: string) => Checked> = {
  Customer: checkCustomer,
  Item: checkItem,
  Invoice: checkInvoice,
  Payment: checkPayment
}
