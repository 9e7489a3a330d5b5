import { assert } from "@effect/vitest"
import { Effect } from "effect"
import type { ContractResponse } from "./contract.ts"

type Request = (
  method: string,
  url: string,
  options?: { readonly body?: unknown }
) => Promise<ContractResponse>

type Json = Record<string, unknown>

const ids = (response: ContractResponse) => (response.body as { data: Array<{ id: string }> }).data.map((item) => item.id)
const idOf = (response: ContractResponse) => {
  assert.oneOf(response.status, [200, 201], JSON.stringify(response.body))
  return (response.body as { id: string }).id
}
const errorPaths = (response: ContractResponse) => {
  assert.strictEqual(response.status, 422, JSON.stringify(response.body))
  return (response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)
}

/**
 * Five invoices, two of them overdue whatever today is: issued in 2020 and
 * still owing. The others are a draft, one due in 2100 and one paid in full.
 */
export const invoiceOverdueScenario = (request: Request) =>
  Effect.gen(function*() {
    const call = (method: string, url: string, body?: unknown) =>
      Effect.promise(() => request(method, url, body === undefined ? {} : { body }))
    const customer = idOf(yield* call("POST", "/api/customers", { companyName: "Overdue Homes", paymentTermsDays: 10 }))
    const other = idOf(yield* call("POST", "/api/customers", { companyName: "Punctual Homes" }))
    const draft = (owner = customer) =>
      Effect.map(call("POST", "/api/invoices", { customerId: owner, lines: [{ description: "Repair", unitPriceCents: 10_000 }] }), idOf)
    const issue = (id: string, issueDate: string) => Effect.map(call("POST", `/api/invoices/${id}/issue`, { issueDate }), idOf)
    const pay = (id: string, amountCents: number) => call("POST", `/api/invoices/${id}/payments`, { amountCents, method: "check" })

    const late = yield* issue(yield* draft(), "2020-01-01")
    const notYetDue = yield* issue(yield* draft(), "2100-01-01")
    const stillDraft = yield* draft()
    const paid = yield* issue(yield* draft(), "2020-01-01")
    assert.strictEqual((yield* pay(paid, 10_000)).status, 201)
    const partlyPaid = yield* issue(yield* draft(), "2020-01-01")
    assert.strictEqual((yield* pay(partlyPaid, 4_000)).status, 201)
    const othersLate = yield* issue(yield* draft(other), "2020-01-01")

    const overdue = yield* call("GET", `/api/invoices?overdue=true&customerId=${customer}`)
    assert.sameMembers(ids(overdue), [late, partlyPaid])
    assert.isTrue((overdue.body as { data: Array<Json> }).data.every((invoice) => invoice["overdue"] === true))
    const notOverdue = yield* call("GET", `/api/invoices?overdue=false&customerId=${customer}`)
    assert.sameMembers(ids(notOverdue), [notYetDue, stillDraft, paid])
    assert.isTrue((notOverdue.body as { data: Array<Json> }).data.every((invoice) => invoice["overdue"] === false))
    assert.sameMembers(ids(yield* call("GET", "/api/invoices?overdue=true")), [late, partlyPaid, othersLate])
    assert.sameMembers(ids(yield* call("GET", "/api/invoices?overdue=true&status=partially_paid")), [partlyPaid])
    // Paging through the overdue invoices one at a time finds each once.
    const first = yield* call("GET", "/api/invoices?overdue=true&limit=2")
    const cursor = (first.body as { nextCursor: string }).nextCursor
    const second = yield* call("GET", `/api/invoices?overdue=true&limit=2&cursor=${encodeURIComponent(cursor)}`)
    assert.sameMembers([...ids(first), ...ids(second)], [late, partlyPaid, othersLate])
    assert.deepStrictEqual(errorPaths(yield* call("GET", "/api/invoices?overdue=yes")), ["overdue"])
  })

/** Customers found by phone in any format, email in any case, and primary contact; a bad phone is refused. */
export const customerFilterScenario = (request: Request) =>
  Effect.gen(function*() {
    const call = (method: string, url: string, body?: unknown) =>
      Effect.promise(() => request(method, url, body === undefined ? {} : { body }))
    const contact = idOf(yield* call("POST", "/api/contacts", { firstName: "Ann" }))
    const acme = idOf(yield* call("POST", "/api/customers", {
      companyName: "Acme Foundations",
      phone: "(415) 555-2671",
      email: "Office@Acme.example",
      primaryContactId: contact
    }))
    const bell = idOf(yield* call("POST", "/api/customers", { companyName: "Bell Homes", phone: "(512) 555-0142", email: "bell@example.com" }))
    // A third customer with neither phone nor email must not match an empty filter by accident.
    idOf(yield* call("POST", "/api/customers", { companyName: "Cole Builders" }))

    const find = (query: string) => Effect.map(call("GET", `/api/customers?${query}`), ids)
    assert.deepStrictEqual(yield* find(`phone=${encodeURIComponent("415.555.2671")}`), [acme])
    assert.deepStrictEqual(yield* find(`phone=${encodeURIComponent("+1 512 555 0142")}`), [bell])
    assert.deepStrictEqual(yield* find(`email=${encodeURIComponent(" OFFICE@acme.EXAMPLE ")}`), [acme])
    assert.deepStrictEqual(yield* find(`primaryContactId=${contact}`), [acme])
    assert.deepStrictEqual(yield* find(`phone=${encodeURIComponent("(512) 555-0142")}&email=office%40acme.example`), [])
    assert.deepStrictEqual(yield* find(`phone=${encodeURIComponent("(415) 555-2671")}&q=acme`), [acme])
    // An archived customer is found only with status=archived or all, as with every filter.
    assert.strictEqual((yield* call("PATCH", `/api/customers/${bell}`, { status: "archived" })).status, 200)
    assert.deepStrictEqual(yield* find(`phone=${encodeURIComponent("(512) 555-0142")}`), [])
    assert.deepStrictEqual(yield* find(`phone=${encodeURIComponent("(512) 555-0142")}&status=all`), [bell])

    assert.deepStrictEqual(errorPaths(yield* call("GET", `/api/customers?phone=${encodeURIComponent("555-123-4567")}`)), ["phone"])
    assert.deepStrictEqual(errorPaths(yield* call("GET", "/api/customers?email=not-an-email")), ["email"])
    assert.deepStrictEqual(errorPaths(yield* call("GET", "/api/customers?primaryContactId=42")), ["primaryContactId"])
  })
