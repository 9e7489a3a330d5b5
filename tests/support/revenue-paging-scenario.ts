import { assert } from "@effect/vitest"
import { Effect } from "effect"
import type { ContractResponse } from "./contract.ts"

type Request = (method: string, url: string, options?: { readonly body?: unknown }) => Promise<ContractResponse>

interface RevenueReport {
  readonly rows: ReadonlyArray<{ readonly key: string; readonly label: string; readonly invoicedCents: number; readonly paidCents: number }>
  readonly invoicedCents: number
  readonly paidCents: number
  readonly nextCursor: string | null
}

const ok = (response: ContractResponse) => {
  assert.oneOf(response.status, [200, 201], JSON.stringify(response.body))
  return response.body
}
const errorPaths = (response: ContractResponse) => {
  assert.strictEqual(response.status, 422, JSON.stringify(response.body))
  return (response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)
}

const REPORT = "/api/reports/revenue?from=2026-01-01&to=2026-12-31&groupBy=customer"

/**
 * Six customers, five with an invoice issued in 2026 (one of them in two
 * invoices, one partly paid) and one with none, created out of name order.
 * The customer report is walked two rows at a time.
 */
export const revenuePagingScenario = (request: Request) =>
  Effect.gen(function*() {
    const call = (method: string, url: string, body?: unknown) =>
      Effect.promise(() => request(method, url, body === undefined ? {} : { body }))
    const billed = new Map<string, number>()
    const invoice = (customerId: string, cents: number, issueDate: string) =>
      Effect.gen(function*() {
        const draft = ok(yield* call("POST", "/api/invoices", { customerId, lines: [{ description: "Repair", unitPriceCents: cents }] })) as { id: string }
        ok(yield* call("POST", `/api/invoices/${draft.id}/issue`, { issueDate }))
        billed.set(customerId, (billed.get(customerId) ?? 0) + cents)
        return draft.id
      })
    const ids = new Map<string, string>()
    for (const [name, cents] of [["Elm Roofing", 5_000], ["Acme Foundations", 1_000], ["Dune Drainage", 4_000], ["Birch Homes", 2_000], ["Cedar Piers", 3_000]] as const) {
      const customer = ok(yield* call("POST", "/api/customers", { companyName: name })) as { id: string }
      ids.set(name, customer.id)
      const first = yield* invoice(customer.id, cents, "2026-03-10")
      if (name === "Birch Homes") {
        yield* invoice(customer.id, 500, "2026-11-02")
        ok(yield* call("POST", `/api/invoices/${first}/payments`, { amountCents: 700, method: "check", paidAt: "2026-04-01T12:00:00Z" }))
      }
    }
    ok(yield* call("POST", "/api/customers", { companyName: "Aardvark Nothing Billed" }))

    const pages: Array<RevenueReport> = []
    let cursor: string | null = null
    do {
      const page = ok(yield* call("GET", `${REPORT}&limit=2${cursor === null ? "" : `&cursor=${cursor}`}`)) as RevenueReport
      pages.push(page)
      cursor = page.nextCursor
    } while (cursor !== null && pages.length < 10)

    // Name order across pages, each customer once, none without revenue; the last page says so.
    assert.deepStrictEqual(pages.map((page) => page.rows.map((row) => row.label)), [
      ["Acme Foundations", "Birch Homes"],
      ["Cedar Piers", "Dune Drainage"],
      ["Elm Roofing"]
    ])
    assert.deepStrictEqual(
      pages.flatMap((page) => page.rows.map((row) => [row.key, row.invoicedCents, row.paidCents])),
      ["Acme Foundations", "Birch Homes", "Cedar Piers", "Dune Drainage", "Elm Roofing"].map((name) => {
        const id = ids.get(name)!
        return [id, billed.get(id)!, name === "Birch Homes" ? 700 : 0]
      })
    )
    assert.isNull(pages[2]!.nextCursor)
    // Every page carries the whole range's totals.
    for (const page of pages) assert.deepStrictEqual([page.invoicedCents, page.paidCents], [15_500, 700])

    // Without limit: the first 50 rows, here all of them.
    const whole = ok(yield* call("GET", REPORT)) as RevenueReport
    assert.deepStrictEqual(whole.rows, pages.flatMap((page) => page.rows))
    assert.isNull(whole.nextCursor)
    // The other groupings come whole, and say so.
    const byMonth = ok(yield* call("GET", "/api/reports/revenue?from=2026-01-01&to=2026-12-31&groupBy=month")) as RevenueReport
    assert.isNull(byMonth.nextCursor)
    assert.deepStrictEqual([byMonth.invoicedCents, byMonth.paidCents], [15_500, 700])

    // Bad paging input is a 422 naming the field.
    assert.deepStrictEqual(errorPaths(yield* call("GET", "/api/reports/revenue?from=2026-01-01&to=2026-12-31&groupBy=month&limit=2")), ["groupBy"])
    assert.deepStrictEqual(errorPaths(yield* call("GET", `${REPORT}&cursor=not-a-cursor`)), ["cursor"])
    assert.deepStrictEqual(errorPaths(yield* call("GET", `${REPORT}&limit=0`)), ["limit"])
    // A forged cursor is input like any other: a NUL (which PostgreSQL text cannot hold) is a 422, not a 500.
    const forged = Buffer.from(JSON.stringify({ label: "Birch\u0000", key: ids.get("Birch Homes") })).toString("base64url")
    assert.deepStrictEqual(errorPaths(yield* call("GET", `${REPORT}&cursor=${forged}`)), ["cursor.label"])
  })
