import { assert, describe, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { Option } from "effect"
import { faultReason, isThrottleFault, parseFault, toAccountingError } from "../../../adapters/quickbooks/qbo-faults.ts"

const FAULTS = new URL("../../fixtures/quickbooks/faults/", import.meta.url)
const read = (name: string) => readFileSync(new URL(name, FAULTS), "utf8")

/** What each saved fault body must become (quickbooks-facts.md, "Observed fault types and codes"). */
const expected: Record<string, { reason: string; code: string; element: string | null; type: string; errors: number; says: string }> = {
  "fault-400-business-validation.json": { reason: "validation", code: "6000", element: null, type: "ValidationFault", errors: 1, says: "GST/HST" },
  "fault-400-customer-duplicate-name.xml": { reason: "duplicate-name", code: "6240", element: null, type: "ValidationFault", errors: 1, says: "Another $$customer$$" },
  "fault-400-query-validation.xml": { reason: "validation", code: "4001", element: null, type: "ValidationFault", errors: 1, says: "Invalid query" },
  "fault-400-validation-duplicate-name.json": { reason: "duplicate-name", code: "6240", element: null, type: "ValidationFault", errors: 1, says: "Duplicate Name Exists Error" },
  "fault-400-validation-multiple-errors.xml": { reason: "validation", code: "2050", element: "firstname", type: "ValidationFault", errors: 2, says: "ZipCode should be a number" },
  "fault-401-authentication.json": { reason: "unauthorized", code: "3200", element: null, type: "AUTHENTICATION", errors: 1, says: "Malformed bearer token" },
  "fault-401-authentication.xml": { reason: "unauthorized", code: "100", element: null, type: "AuthenticationFault", errors: 1, says: "General Authentication Error" },
  "fault-403-authorization.json": { reason: "forbidden", code: "3100", element: null, type: "SERVICE", errors: 1, says: "AuthorizationFailed" },
  "fault-403-throttle-exceeded-legacy.xml": { reason: "throttled", code: "3001", element: null, type: "SERVICE", errors: 1, says: "ThrottleExceeded" },
  "fault-429-throttle-exceeded.xml": { reason: "throttled", code: "3001", element: null, type: "SERVICE", errors: 1, says: "request limit was reached" },
  "fault-500-system-fault.xml": { reason: "provider-error", code: "10000", element: null, type: "SystemFault", errors: 1, says: "System Failure Error" }
}

describe("QuickBooks fault bodies", () => {
  it("every saved fault file is covered here", () => {
    const files = readdirSync(FAULTS).filter((name) => name.startsWith("fault-")).sort()
    assert.deepStrictEqual(files, Object.keys(expected).sort())
  })

  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: ${want.reason}, code ${want.code}`, () => {
      const body = read(file)
      const status = Number(file.split("-")[1])
      const fault = parseFault(body)
      assert.isTrue(Option.isSome(fault))
      if (Option.isNone(fault)) return
      assert.strictEqual(fault.value.type, want.type)
      assert.strictEqual(fault.value.errors.length, want.errors)
      const error = toAccountingError("POST /customer", status, body)
      assert.deepStrictEqual(
        { reason: error.reason, status: error.status, code: error.code, element: error.element },
        { reason: want.reason, status, code: want.code, element: want.element }
      )
      assert.include(error.message, want.says)
      assert.include(error.message, `POST /customer answered ${status}`)
    })
  }

  it("every error of a multi-error fault is in the message, with its element", () => {
    const fault = parseFault(read("fault-400-validation-multiple-errors.xml"))
    assert.deepStrictEqual(Option.getOrUndefined(fault)?.errors.map((e) => [e.code, e.element]), [["2050", "firstname"], ["2080", "postalcode"]])
    const message = toAccountingError("POST /customer", 400, read("fault-400-validation-multiple-errors.xml")).message
    assert.include(message, "Length exceeds limit: Length of the field exceeds 21 chars; Illegal number format")
  })

  it("a throttle is recognised by status 429, by code 3001, or by errorCode=003001 in the message alone", () => {
    assert.strictEqual(faultReason(429, Option.none()), "throttled")
    const byMessage = { type: "SERVICE", errors: [{ code: null, element: null, message: "message=ThrottleExceeded; errorCode=003001; statusCode=403", detail: null }] }
    assert.isTrue(isThrottleFault(byMessage))
    assert.strictEqual(faultReason(403, Option.some(byMessage)), "throttled")
    const other = { type: "SERVICE", errors: [{ code: "3100", element: null, message: "message=AuthorizationFailed; errorCode=003100", detail: null }] }
    assert.isFalse(isThrottleFault(other))
    assert.strictEqual(faultReason(403, Option.some(other)), "forbidden")
  })

  it("a Fault inside a 200 is an error: validation when it is a ValidationFault, provider-error otherwise", () => {
    const validation = JSON.stringify({ Fault: { Error: [{ Message: "Stale Object Error", Detail: "stale", code: "5010" }], type: "ValidationFault" } })
    assert.strictEqual(toAccountingError("POST /invoice", 200, validation).reason, "stale-object")
    const business = JSON.stringify({ Fault: { Error: [{ Message: "bad", code: "6000" }], type: "ValidationFault" }, time: "x" })
    assert.strictEqual(toAccountingError("POST /invoice", 200, business).reason, "validation")
    const system = JSON.stringify({ Fault: { Error: { Message: "oops", code: "10000" }, type: "SystemFault" } })
    assert.strictEqual(toAccountingError("POST /invoice", 200, system).reason, "provider-error")
    assert.strictEqual(toAccountingError("POST /invoice", 200, system).code, "10000")
  })

  it("codes 5010, 6240 and 610 name their reason; 404 is not-found; an XML body without a declaration parses", () => {
    const xml = (code: string) => `<Fault type="ValidationFault"><Error code="${code}"><Message>m</Message></Error></Fault>`
    assert.strictEqual(toAccountingError("x", 400, xml("5010")).reason, "stale-object")
    assert.strictEqual(toAccountingError("x", 400, xml("6240")).reason, "duplicate-name")
    assert.strictEqual(toAccountingError("x", 400, xml("610")).reason, "not-found")
    assert.strictEqual(toAccountingError("x", 404, "").reason, "not-found")
  })

  it("bodies with no fault (a success, HTML from a proxy, nothing) parse to none and keep the status's meaning", () => {
    assert.isTrue(Option.isNone(parseFault(JSON.stringify({ Customer: { Id: "1" }, time: "t" }))))
    assert.isTrue(Option.isNone(parseFault("<html><body>Bad Gateway</body></html>")))
    assert.isTrue(Option.isNone(parseFault("")))
    assert.isTrue(Option.isNone(parseFault("not json {")))
    // The lower-case 401 form carries `"fault": null`-like members in other answers: null is no fault.
    assert.isTrue(Option.isNone(parseFault(JSON.stringify({ fault: null, time: 1 }))))
    const gateway = toAccountingError("GET /query", 502, "<html>Bad Gateway</html>")
    assert.deepStrictEqual([gateway.reason, gateway.code, gateway.message], ["provider-error", null, "GET /query answered 502"])
  })
})
