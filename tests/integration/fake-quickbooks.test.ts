import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { type FakeQuickBooksOptions } from "../support/fake-quickbooks.ts"
import { at, faultCode, salesLine, seededCompany } from "../support/fake-quickbooks/client.ts"
import { CREATE_RESPONSE_SHAPES as SHAPES, shapeProblems } from "../support/fake-quickbooks/response-shapes.ts"
import { fakesPerTest } from "../support/fake-quickbooks/server-env.ts"

// The fake QuickBooks itself: the push, pull and gateway tests lean on it, so
// it is held to the structure of QuickBooks' recorded create responses
// (response-shapes.ts: facts only, the recordings are not ours to copy), to
// the saved fault bodies (tests/fixtures/quickbooks/faults) and to the fault
// codes of shared/reference/quickbooks-facts.md.

const FAULTS = new URL("../fixtures/quickbooks/faults/", import.meta.url)
const savedFault = (file: string): unknown => JSON.parse(readFileSync(new URL(file, FAULTS), "utf8"))

const start = fakesPerTest()
const setUp = async (options: FakeQuickBooksOptions = {}) => seededCompany(await start(options))

type Json = Record<string, unknown>
const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

/** Every key of `expected` is in `actual` with the same JSON kind, recursively (first array element). */
const shapeGaps = (expected: unknown, actual: unknown, path = ""): Array<string> => {
  const kind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v)
  if (kind(expected) !== kind(actual)) return [`${path}: ${kind(expected)} expected, ${kind(actual)} found`]
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length === 0 || actual.length === 0 ? [] : shapeGaps(expected[0], actual[0], `${path}[]`)
  }
  if (isJson(expected) && isJson(actual)) {
    return Object.keys(expected).flatMap((k) => shapeGaps(expected[k], actual[k], path === "" ? k : `${path}.${k}`))
  }
  return []
}

// Addresses are copied from the customer and the line's CustomExtensions are QuickBooks' own; the CRM sends neither.
const INVOICE_IGNORE = ["Invoice.BillAddr", "Invoice.ShipAddr", "Invoice.ShipFromAddr", "Invoice.FreeFormAddress", "Invoice.MetaData.LastModifiedByRef", "Invoice.Line[].CustomExtensions"]
/** An invoice like the recorded one: one sales line, DocNumber, TxnDate and DueDate. */
const recordedInvoice = (customerId: string, itemId: string) =>
  ({ DocNumber: "1042", TxnDate: "2024-01-15", DueDate: "2024-02-14", CustomerRef: { value: customerId }, Line: [salesLine(itemId, 100, 1, 100)] })

const PACIFIC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-07:00$/u
const RESPONSE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-07:00$/u

describe("fake QuickBooks: answers shaped like the recorded responses", () => {
  it("a customer create answers the members, kinds and formats QuickBooks answers", async () => {
    const { post } = await setUp()
    const answer = await post("customer", {
      GivenName: "Test",
      FamilyName: "Customer",
      DisplayName: "Test Customer May 2026 Regen",
      PrimaryPhone: { FreeFormNumber: "(555) 555-1234" },
      PrimaryEmailAddr: { Address: "testcustomer@example.com" },
      BillAddr: { Line1: "123 Test Street", City: "Mountain View", Country: "USA", CountrySubDivisionCode: "CA", PostalCode: "94042" },
      Notes: "Test customer"
    })
    expect(answer.status).toBe(200)
    // BillAddr.Id and DefaultTaxCodeRef are QuickBooks' own bookkeeping the CRM never reads.
    expect(shapeProblems(SHAPES.Customer, answer.json, ["Customer.BillAddr.Id", "Customer.DefaultTaxCodeRef"])).toEqual([])
    expect(at(answer.json, "Customer", "SyncToken")).toBe("0")
    expect(at(answer.json, "Customer", "MetaData", "CreateTime")).toMatch(PACIFIC_TIME)
    expect(at(answer.json, "time")).toMatch(RESPONSE_TIME)
  })

  it("an item, an invoice and a payment answer the members of QuickBooks' answers", async () => {
    const { post, customerId, itemId } = await setUp()
    const item = await post("item", { Name: "Test Service Item", Type: "Service", IncomeAccountRef: { value: "79" } })
    expect(shapeProblems(SHAPES.Item, item.json)).toEqual([])
    expect(at(item.json, "Item", "IncomeAccountRef")).toEqual({ value: "79", name: "Sales of Product Income" })

    const invoice = await post("invoice", recordedInvoice(customerId, itemId))
    expect(invoice.status).toBe(200)
    expect(shapeProblems(SHAPES.Invoice, invoice.json, INVOICE_IGNORE)).toEqual([])
    const lines = at(invoice.json, "Invoice", "Line")
    expect(Array.isArray(lines) ? lines.at(-1) : undefined).toEqual({ Amount: 100, DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} })
    expect(at(invoice.json, "Invoice", "Line", 0, "SalesItemLineDetail", "ItemAccountRef")).toEqual({ value: "79", name: "Sales of Product Income" })

    const payment = await post("payment", { CustomerRef: { value: customerId }, TotalAmt: 100 })
    expect(shapeProblems(SHAPES.Payment, payment.json)).toEqual([])
    expect(at(payment.json, "Payment", "UnappliedAmt")).toBe(100)
  })

  it("the shape check fails when an answer drifts from QuickBooks'", async () => {
    const { post, customerId, itemId } = await setUp()
    const { text } = await post("invoice", recordedInvoice(customerId, itemId))
    const drifts: ReadonlyArray<readonly [RegExp, string, string]> = [
      [/"SyncToken":"0"/u, `"SyncToken":0`, "Invoice.SyncToken: string (id) expected, number found"],
      [/"SubTotalLineDetail":\{\}/u, `"SubTotalLineDetail":{},"Id":"2"`, "Invoice.Line[].Id: not in QuickBooks' answer"],
      [/("CreateTime":"[^"]+)-07:00"/u, `$1Z"`, "Invoice.MetaData.CreateTime: date-time expected"],
      [/,"Balance":100/u, "", "Invoice.Balance: missing"],
      [/,"LinkedTxn":\[\]/u, `,"LinkedTxn":[{"TxnId":"9","TxnType":"Payment"}]`, "Invoice.LinkedTxn: 0 elements expected, 1 found"]
    ]
    for (const [from, to, problem] of drifts) {
      const drifted = text.replace(from, to)
      expect(drifted).not.toBe(text)
      expect(shapeProblems(SHAPES.Invoice, JSON.parse(drifted), INVOICE_IGNORE).map((p) => p.slice(0, problem.length))).toEqual([problem])
    }
  })

  it("a duplicate name answers the JSON shape of fault-400-validation-duplicate-name.json, code 6240", async () => {
    const { fake, post } = await setUp({ companies: [{ realmId: "9341455130188547", vendors: ["Ace Hardware"] }] })
    const againCustomer = await post("customer", { DisplayName: "amy's bird sanctuary " })
    const vendorName = await post("customer", { DisplayName: "Ace Hardware" })
    for (const answer of [againCustomer, vendorName]) {
      expect(answer.status).toBe(400)
      expect(shapeGaps(savedFault("fault-400-validation-duplicate-name.json"), answer.json)).toEqual([])
      expect(faultCode(answer)).toBe("6240")
      expect(at(answer.json, "Fault", "type")).toBe("ValidationFault")
    }
    expect(at(vendorName.json, "Fault", "Error", 0, "Detail")).toContain("Another vendor")
    fake.addName("Employee", "Bob Builder")
    expect(at((await post("customer", { DisplayName: "Bob Builder" })).json, "Fault", "Error", 0, "Detail")).toContain("Another employee")
    expect(faultCode(await post("item", { Name: "CRACK REPAIR", Type: "Service", IncomeAccountRef: { value: "79" } }))).toBe("6240")
  })
})

describe("fake QuickBooks: validation from the XSD and QuickBooks' rules", () => {
  it("refuses a property the XSD does not have, or of the wrong kind, with 2010", async () => {
    const { post, customerId, itemId } = await setUp()
    const typo = await post("invoice", { CustomerRef: { value: customerId }, Line: [salesLine(itemId, 10)], DueDat: "2024-01-01" })
    expect(faultCode(typo)).toBe("2010")
    expect(at(typo.json, "Fault", "Error", 0, "element")).toBe("DueDat")
    const asString = await post("invoice", { CustomerRef: { value: customerId }, Line: [{ ...salesLine(itemId, 10), Amount: "10.00" }] })
    expect(at(asString.json, "Fault", "Error", 0, "element")).toBe("Line.Amount")
    const badEnum = await post("item", { Name: "X", Type: "Services", IncomeAccountRef: { value: "79" } })
    expect(faultCode(badEnum)).toBe("2010")
    const badDate = await post("invoice", { CustomerRef: { value: customerId }, Line: [salesLine(itemId, 10)], TxnDate: "01/15/2024" })
    expect(at(badDate.json, "Fault", "Error", 0, "element")).toBe("TxnDate")
  })

  it("wants the references that matter: CustomerRef, ItemRef on a sales line, IncomeAccountRef on a Service item, LinkedTxn", async () => {
    const { post, customerId, itemId } = await setUp()
    const cases: ReadonlyArray<readonly [string, unknown, string, string]> = [
      ["invoice", { Line: [salesLine(itemId, 10)] }, "2020", "CustomerRef"],
      ["invoice", { CustomerRef: { value: "999" }, Line: [salesLine(itemId, 10)] }, "2500", "CustomerRef"],
      ["invoice", { CustomerRef: { value: customerId }, Line: [{ Amount: 10, DetailType: "SalesItemLineDetail", SalesItemLineDetail: {} }] }, "2020", "Line.SalesItemLineDetail.ItemRef"],
      ["invoice", { CustomerRef: { value: customerId }, Line: [salesLine(customerId, 10)] }, "2500", "Line.SalesItemLineDetail.ItemRef"],
      ["invoice", { CustomerRef: { value: customerId }, Line: [] }, "2020", "Line"],
      ["item", { Name: "No account", Type: "Service" }, "2020", "IncomeAccountRef"],
      ["item", { Name: "Bad account", Type: "Service", IncomeAccountRef: { value: "12345" } }, "2500", "IncomeAccountRef"],
      ["payment", { CustomerRef: { value: customerId }, TotalAmt: 5, Line: [{ Amount: 5 }] }, "2020", "Line.LinkedTxn"],
      ["payment", { CustomerRef: { value: customerId } }, "2020", "TotalAmt"]
    ]
    for (const [path, body, code, element] of cases) {
      const answer = await post(path, body)
      expect({ path, body, status: answer.status, code: faultCode(answer), element: at(answer.json, "Fault", "Error", 0, "element") })
        .toEqual({ path, body, status: 400, code, element })
    }
    expect(faultCode(await post("customer", { Notes: "nameless" }))).toBe("2020")
  })

  it("holds Amount = Qty x UnitPrice exactly, two decimals at most, nothing negative, DocNumber within 21", async () => {
    const { post, customerId, itemId } = await setUp()
    const invoice = (line: unknown, extra: Json = {}) => post("invoice", { CustomerRef: { value: customerId }, Line: [line], ...extra })
    expect((await invoice(salesLine(itemId, 37.04, 1.235, 29.99))).status).toBe(400) // 37.03765: QuickBooks would not round for us
    expect(faultCode(await invoice(salesLine(itemId, 37.04, 1.235, 29.99)))).toBe("6070")
    expect((await invoice(salesLine(itemId, 37.03765, 1.235, 29.99))).status).toBe(400)
    expect(faultCode(await invoice(salesLine(itemId, 10.005)))).toBe("2080")
    expect(faultCode(await invoice(salesLine(itemId, -5)))).toBe("6000")
    expect((await invoice(salesLine(itemId, 0.3, 3, 0.1))).status).toBe(200) // exact in decimal, not in binary floating point
    expect((await invoice(salesLine(itemId, 3702.5, 1.25, 2962))).status).toBe(200)
    const long = await invoice(salesLine(itemId, 1), { DocNumber: "1".repeat(22) })
    expect([faultCode(long), at(long.json, "Fault", "Error", 0, "element")]).toEqual(["2050", "DocNumber"])
    expect((await invoice(salesLine(itemId, 1), { DocNumber: "1".repeat(21) })).status).toBe(200)
  })

  it("totals an invoice as sales lines - discount + tax, and keeps the payments' balance", async () => {
    const { post, get, customerId, itemId } = await setUp()
    const created = await post("invoice", {
      DocNumber: "1001",
      CustomerRef: { value: customerId },
      Line: [
        salesLine(itemId, 300, 2, 150),
        salesLine(itemId, 45.5, 1, 45.5),
        { Amount: 34.55, DetailType: "DiscountLineDetail", DiscountLineDetail: { PercentBased: false } }
      ],
      TxnTaxDetail: { TotalTax: 24.86 }
    })
    expect(created.status).toBe(200)
    expect(at(created.json, "Invoice", "TotalAmt")).toBe(335.81)
    expect(at(created.json, "Invoice", "Balance")).toBe(335.81)
    const lines = at(created.json, "Invoice", "Line")
    expect(Array.isArray(lines) ? lines.map((l) => at(l, "Id") ?? "-") : []).toEqual(["1", "2", "3", "-"])
    const invoiceId = String(at(created.json, "Invoice", "Id"))

    const paid = await post("payment", {
      CustomerRef: { value: customerId },
      TotalAmt: 100,
      PaymentRefNum: "chk 1001",
      Line: [{ Amount: 100, LinkedTxn: [{ TxnId: invoiceId, TxnType: "Invoice" }] }]
    })
    expect(paid.status).toBe(200)
    expect(at(paid.json, "Payment", "UnappliedAmt")).toBe(0)
    const after = await get(`invoice/${invoiceId}`)
    expect(at(after.json, "Invoice", "Balance")).toBe(235.81)
    // Applying a payment changes the invoice in QuickBooks: its SyncToken moves on.
    expect(at(after.json, "Invoice", "SyncToken")).toBe("1")
    expect(at(after.json, "Invoice", "LinkedTxn")).toEqual([{ TxnId: String(at(paid.json, "Payment", "Id")), TxnType: "Payment" }])
    const over = await post("payment", { CustomerRef: { value: customerId }, TotalAmt: 300, Line: [{ Amount: 235.82, LinkedTxn: [{ TxnId: invoiceId, TxnType: "Invoice" }] }] })
    expect(faultCode(over)).toBe("6000")
    const customer = await get(`customer/${customerId}`)
    expect(at(customer.json, "Customer", "Balance")).toBe(235.81)
  })

  it("a percent discount is taken off the subtotal and rounded to the cent", async () => {
    const { post, customerId, itemId } = await setUp()
    const created = await post("invoice", {
      CustomerRef: { value: customerId },
      Line: [salesLine(itemId, 33.33), { DetailType: "DiscountLineDetail", DiscountLineDetail: { PercentBased: true, DiscountPercent: 10 } }]
    })
    expect(at(created.json, "Invoice", "Line", 1, "Amount")).toBe(3.33)
    expect(at(created.json, "Invoice", "TotalAmt")).toBe(30)
  })
})

describe("fake QuickBooks: updates, voids, requestid", () => {
  it("a sparse update needs the current SyncToken (else 5010) and keeps what it does not send", async () => {
    const { post, customerId } = await setUp()
    const stale = await post("customer", { Id: customerId, SyncToken: "7", sparse: true, CompanyName: "Amy's" })
    expect([stale.status, faultCode(stale), at(stale.json, "Fault", "Error", 0, "Message")]).toEqual([400, "5010", "Stale Object Error"])
    const updated = await post("customer", { Id: customerId, SyncToken: "0", sparse: true, CompanyName: "Amy's" })
    expect(at(updated.json, "Customer", "SyncToken")).toBe("1")
    expect(at(updated.json, "Customer", "PrimaryEmailAddr")).toEqual({ Address: "amy@example.com" })
    expect(faultCode(await post("customer", { Id: customerId, sparse: true, CompanyName: "x" }))).toBe("2020")
    expect(faultCode(await post("customer", { Id: "424242", SyncToken: "0", sparse: true, CompanyName: "x" }))).toBe("610")
    // A full update replaces the entity: what it leaves out is gone.
    const full = await post("customer", { Id: customerId, SyncToken: "1", DisplayName: "Amy's Bird Sanctuary" })
    expect(at(full.json, "Customer", "PrimaryEmailAddr")).toBeUndefined()
  })

  it("voids an invoice: amounts zero, PrivateNote Voided, SyncToken checked", async () => {
    const { post, customerId, itemId } = await setUp()
    const created = await post("invoice", { CustomerRef: { value: customerId }, Line: [salesLine(itemId, 80)] })
    const id = String(at(created.json, "Invoice", "Id"))
    expect(faultCode(await post("invoice?operation=void", { Id: id, SyncToken: "3" }))).toBe("5010")
    const voided = await post("invoice?operation=void", { Id: id, SyncToken: "0" })
    expect(voided.status).toBe(200)
    expect([at(voided.json, "Invoice", "TotalAmt"), at(voided.json, "Invoice", "Balance"), at(voided.json, "Invoice", "PrivateNote")]).toEqual([0, 0, "Voided"])
  })

  it("the same requestid answers the first answer again and creates nothing; createdTwice sees retries without it", async () => {
    const { fake, post, customerId, itemId } = await setUp()
    const body = { DocNumber: "2001", CustomerRef: { value: customerId }, Line: [salesLine(itemId, 50)] }
    const first = await post("invoice?requestid=inv-2001-create", body)
    const second = await post("invoice?requestid=inv-2001-create", body)
    expect(second.text).toBe(first.text)
    expect(fake.counts().Invoice).toBe(1)
    expect(fake.stats().replayed).toBe(1)
    expect(fake.createdTwice()).toEqual([])
    // A refused write is not remembered: the same requestid may be sent again once the body is right.
    const refused = await post("item?requestid=item-1", { Name: "Crack repair", Type: "Service", IncomeAccountRef: { value: "79" } })
    expect(faultCode(refused)).toBe("6240")
    expect((await post("item?requestid=item-1", { Name: "Crack repair (2)", Type: "Service", IncomeAccountRef: { value: "79" } })).status).toBe(200)

    await post("invoice?requestid=other-id", body)
    const twice = fake.createdTwice()
    expect(twice.map((t) => t.key).sort()).toEqual(["DocNumber 2001", "body"])
    expect(twice[0]?.ids).toHaveLength(2)
  })
})

describe("fake QuickBooks: query, CDC, company info", () => {
  it("answers query by DisplayName (escaped quote), Id in (...), paging and COUNT(*)", async () => {
    const { post, get, customerId } = await setUp()
    for (let i = 1; i <= 5; i++) await post("customer", { DisplayName: `Customer ${i}` })
    const q = (text: string) => get(`query?query=${encodeURIComponent(text)}&minorversion=75`)
    const byName = await q("select * from Customer where DisplayName = 'Amy\\'s Bird Sanctuary'")
    expect(at(byName.json, "QueryResponse", "Customer", 0, "Id")).toBe(customerId)
    expect(at(byName.json, "QueryResponse", "startPosition")).toBe(1)
    const none = await q("select * from Customer where DisplayName = 'Nobody'")
    expect(at(none.json, "QueryResponse")).toEqual({})
    const page = await q("SELECT * FROM Customer STARTPOSITION 3 MAXRESULTS 2")
    const ids = at(page.json, "QueryResponse", "Customer")
    expect(Array.isArray(ids) ? ids.map((c) => at(c, "DisplayName")) : []).toEqual(["Customer 2", "Customer 3"])
    const some = await q(`select * from Customer where Id in ('${customerId}', '9999')`)
    expect(at(some.json, "QueryResponse", "maxResults")).toBe(1)
    expect(at((await q("select count(*) from Customer")).json, "QueryResponse", "totalCount")).toBe(6)
    expect(faultCode(await q("select * from Customer MAXRESULTS 0"))).toBe("4001")
    expect(faultCode(await q("select from"))).toBe("4000")
  })

  it("reports changes since a time by CDC, a deleted payment as status Deleted, and refuses more than 30 days back", async () => {
    const { fake, get, post, customerId, itemId } = await setUp()
    const since = new Date(fake.now()).toISOString()
    fake.advanceClock(1000)
    const invoice = await post("invoice", { CustomerRef: { value: customerId }, Line: [salesLine(itemId, 20)] })
    const payment = fake.recordPaymentInQbo({ invoiceId: String(at(invoice.json, "Invoice", "Id")), amountCents: 2000 })
    fake.advanceClock(1000)
    expect(fake.deleteInQbo("Payment", String(payment["Id"]))).toBe(true)
    const cdc = await get(`cdc?entities=Invoice,Payment,Customer&changedSince=${encodeURIComponent(since)}`)
    expect(cdc.status).toBe(200)
    const responses = at(cdc.json, "CDCResponse", 0, "QueryResponse")
    expect(at(responses, 0, "Invoice", 0, "Balance")).toBe(20)
    expect(at(responses, 1, "Payment", 0)).toMatchObject({ status: "Deleted", Id: payment["Id"] })
    expect(at(responses, 2)).toEqual({})
    const old = new Date(fake.now() - 31 * 86_400_000).toISOString()
    expect((await get(`cdc?entities=Invoice&changedSince=${encodeURIComponent(old)}`)).status).toBe(400)
  })

  it("answers companyinfo with the company name", async () => {
    const { fake, get } = await setUp()
    const info = await get(`companyinfo/${fake.realmId}`)
    expect(at(info.json, "CompanyInfo", "CompanyName")).toBe("Attack-a-Crack Sandbox Co.")
  })
})
