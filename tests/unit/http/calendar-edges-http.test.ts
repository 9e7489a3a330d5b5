import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

const harness = () => httpHarness(TestApplication)

beforeAll(() => Effect.runPromise(Effect.scoped(harness())))

type Json = Record<string, unknown>
interface Answer {
  readonly status: number
  readonly body: unknown
}

const errorsOf = (response: Answer) => (response.body as { errors: Array<{ path: string; message: string }> }).errors

/** A 422 whose errors name exactly `paths`, each message matching `message`. */
const assertRefused = (response: Answer, paths: ReadonlyArray<string>, message: RegExp) => {
  assert.strictEqual(response.status, 422, JSON.stringify(response.body))
  const errors = errorsOf(response)
  assert.deepStrictEqual([...new Set(errors.map((e) => e.path))], [...paths], JSON.stringify(errors))
  for (const error of errors) assert.match(error.message, message)
}

/** A client that also makes a customer (with the given payment terms) and a draft invoice for it. */
const setUp = (paymentTermsDays = 30) =>
  Effect.gen(function*() {
    const { request } = yield* harness()
    const send = (method: string, path: string, body?: unknown) =>
      Effect.promise(() => request(method, path, body === undefined ? {} : { body })) as Effect.Effect<Answer>
    const customer = (yield* send("POST", "/api/customers", { companyName: "Acme", paymentTermsDays })).body as Json
    const draft = (yield* send("POST", "/api/invoices", {
      customerId: customer["id"],
      lines: [{ description: "Repair", unitPriceCents: 10_000 }]
    })).body as Json
    return { send, customerId: customer["id"] as string, invoiceId: draft["id"] as string }
  })

describe("dates at the edges of the calendar (1900-01-01 to 2199-12-31) over HTTP", () => {
  it.effect("refuses a purchase starting in year 0 or ending in 9999 with a 422 naming the field", () =>
    Effect.gen(function*() {
      const { customerId, send } = yield* setUp()
      const service = (yield* send("POST", "/api/services", { name: "Lawn", unit: "each", unitPriceCents: 100, recurring: "monthly" }))
        .body as Json
      const buy = (dates: Json) => send("POST", "/api/customer-services", { customerId, serviceId: service["id"], ...dates })
      assertRefused(yield* buy({ startDate: "0000-01-01" }), ["startDate"], /from 1900-01-01 to 2199-12-31/u)
      assertRefused(yield* buy({ startDate: "2026-01-01", endDate: "9999-12-31" }), ["endDate"], /from 1900-01-01 to 2199-12-31/u)
      assert.strictEqual((yield* buy({ startDate: "1900-01-01", endDate: "2199-12-31" })).status, 201)
    }))

  it.effect("refuses an issue date whose due date would leave the calendar, on issueDate", () =>
    Effect.gen(function*() {
      const { invoiceId, send } = yield* setUp(30)
      const issue = (issueDate: string) => send("POST", `/api/invoices/${invoiceId}/issue`, { issueDate })
      assertRefused(yield* issue("9999-12-31"), ["issueDate"], /from 1900-01-01 to 2199-12-31/u)
      // 2199-12-31 is a date of the calendar, but 30 days later is not.
      assertRefused(yield* issue("2199-12-31"), ["issueDate"], /due date.*would be 2200-01-30, after 2199-12-31/u)
      assertRefused(yield* issue("2199-12-02"), ["issueDate"], /after 2199-12-31/u)
      const issued = yield* issue("2199-12-01")
      assert.strictEqual(issued.status, 200)
      assert.deepInclude(issued.body as object, { status: "issued", issueDate: "2199-12-01", dueDate: "2199-12-31" })
    }))

  it.effect("refuses billing periods outside the calendar, and a run whose service periods would end after it", () =>
    Effect.gen(function*() {
      const { customerId, send } = yield* setUp()
      for (const period of ["0000-01", "9999-12", "1899-12", "2200-01"]) {
        assertRefused(yield* send("POST", "/api/billing-runs", { period }), ["period"], /from 1900-01 to 2199-12/u)
      }
      assertRefused(yield* send("GET", "/api/billing-runs?period=9999-12"), ["period"], /from 1900-01 to 2199-12/u)
      assertRefused(yield* send("GET", "/api/invoices?billingPeriod=0000-01"), ["billingPeriod"], /from 1900-01 to 2199-12/u)
      assert.strictEqual((yield* send("POST", "/api/billing-runs", { period: "1900-01" })).status, 201)
      assert.strictEqual((yield* send("POST", "/api/billing-runs", { period: "2199-12" })).status, 201)

      // A year billed in advance from December 2199 would run to November 2200.
      const yearly = (yield* send("POST", "/api/services", { name: "Survey", unit: "each", unitPriceCents: 100, recurring: "yearly" }))
        .body as Json
      assert.strictEqual((yield* send("POST", "/api/customer-services", { customerId, serviceId: yearly["id"], startDate: "2199-12-01" })).status, 201)
      assertRefused(yield* send("POST", "/api/billing-runs", { period: "2199-12" }), ["period"], /2200-11-30.*after 2199-12-31/u)
      // Nothing was billed by the refused run.
      const invoices = (yield* send("GET", "/api/invoices?billingPeriod=2199-12")).body as { data: Array<unknown> }
      assert.deepStrictEqual(invoices.data, [])
    }))

  it.effect("answers reports over the far past and future with a 422, not a 500", () =>
    Effect.gen(function*() {
      const { send } = yield* setUp()
      const wide = yield* send("GET", "/api/reports/revenue?from=0000-01-01&to=9999-12-31")
      assertRefused(wide, ["from", "to"], /from 1900-01-01 to 2199-12-31/u)
      assertRefused(yield* send("GET", "/api/reports/receivables?asOf=0000-01-01"), ["asOf"], /from 1900-01-01 to 2199-12-31/u)
      assertRefused(yield* send("GET", "/api/reports/receivables?asOf=9999-12-31"), ["asOf"], /from 1900-01-01 to 2199-12-31/u)
      const whole = yield* send("GET", "/api/reports/revenue?from=1900-01-01&to=2199-12-31&groupBy=month")
      assert.strictEqual(whole.status, 200)
      assert.strictEqual((yield* send("GET", "/api/reports/receivables?asOf=2199-12-31")).status, 200)
    }))

  it.effect("refuses a quote valid until year 9999", () =>
    Effect.gen(function*() {
      const { customerId, send } = yield* setUp()
      const quote = yield* send("POST", "/api/quotes", {
        customerId,
        validUntil: "9999-12-31",
        lines: [{ description: "Repair", unitPriceCents: 100 }]
      })
      assertRefused(quote, ["validUntil"], /from 1900-01-01 to 2199-12-31/u)
    }))
})

describe("payment instants over HTTP", () => {
  const paying = Effect.gen(function*() {
    const { invoiceId, send } = yield* setUp()
    assert.strictEqual((yield* send("POST", `/api/invoices/${invoiceId}/issue`, { issueDate: "2026-11-21" })).status, 200)
    return (paidAt: unknown) => send("POST", `/api/invoices/${invoiceId}/payments`, { amountCents: 100, method: "check", paidAt })
  })

  it.effect("refuses a date that does not exist, year 0, and a date-time without an offset, naming paidAt", () =>
    Effect.gen(function*() {
      const pay = yield* paying
      assertRefused(yield* pay("2026-02-30"), ["paidAt"], /Not a real calendar date/u)
      assertRefused(yield* pay("2026-02-30T10:00:00Z"), ["paidAt"], /Not a real calendar date/u)
      assertRefused(yield* pay("0000-01-01T00:00:00Z"), ["paidAt"], /from 1900-01-01T00:00:00Z to 2199-12-31T23:59:59.999Z/u)
      assertRefused(yield* pay("9999-12-31"), ["paidAt"], /from 1900-01-01T00:00:00Z/u)
      assertRefused(yield* pay("2026-11-21T10:00:00"), ["paidAt"], /RFC 3339/u)
      assertRefused(yield* pay("2026-11-21T25:00:00Z"), ["paidAt"], /Not a real time of day/u)
    }))

  it.effect("stores the instant written, in UTC", () =>
    Effect.gen(function*() {
      const pay = yield* paying
      const dated = yield* pay("2026-11-25")
      assert.strictEqual(dated.status, 201)
      assert.strictEqual(((dated.body as Json)["payment"] as Json)["paidAt"], "2026-11-25T00:00:00.000Z")
      const offset = yield* pay("2026-11-25T22:30:00-05:00")
      assert.strictEqual(((offset.body as Json)["payment"] as Json)["paidAt"], "2026-11-26T03:30:00.000Z")
    }))
})
