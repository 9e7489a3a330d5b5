import { readFileSync } from "node:fs"
import { XMLParser } from "fast-xml-parser"
import { describe, expect, it } from "vitest"
import { type FakeQuickBooksOptions, type QboFaultMode } from "../support/fake-quickbooks.ts"
import { at, call, faultCode, salesLine, seededCompany } from "../support/fake-quickbooks/client.ts"
import { fakesPerTest } from "../support/fake-quickbooks/server-env.ts"

// The fake QuickBooks failing on demand (the failures issue 11 lists) and
// what it tells a test or the bench afterwards: requests, concurrency, pace.

const start = fakesPerTest()
const setUp = async (options: FakeQuickBooksOptions = {}) => seededCompany(await start(options))

// The saved fault bodies, copied from shared/reference/quickbooks-examples (provenance in that folder's README).
const EXAMPLES = new URL("../fixtures/quickbooks/faults/", import.meta.url)
const xmlShape = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" })
/** The body's structure: every member path with its kind, `code` and `type` values kept, the rest (texts, times) left out. */
const skeleton = (text: string, isXml: boolean): unknown => {
  const walk = (value: unknown, key = ""): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v))
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "?xml").map(([k, v]) => [k, walk(v, k)]))
    }
    return ["code", "@code", "type", "@type"].includes(key) ? value : value === null ? "null" : typeof value
  }
  return walk(isXml ? xmlShape.parse(text) : JSON.parse(text))
}

describe("fake QuickBooks: faults on demand", () => {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" })

  it("a throttle is XML 429 with code 3001 and does nothing; the legacy form is 403", async () => {
    const { fake, post } = await setUp()
    fake.fail({ mode: { kind: "throttle" }, path: "/customer" })
    const throttled = await post("customer", { DisplayName: "Throttled" })
    expect([throttled.status, throttled.contentType]).toEqual([429, "application/xml"])
    const parsed: unknown = xml.parse(throttled.text)
    expect(at(parsed, "IntuitResponse", "Fault", "Error", "code")).toBe("3001")
    expect(at(parsed, "IntuitResponse", "Fault", "Error", "Message")).toContain("errorCode=003001")
    expect(fake.counts().Customer).toBe(1)
    fake.fail({ mode: { kind: "throttle", legacy403: true } })
    expect((await post("customer", { DisplayName: "Throttled" })).status).toBe(403)
    expect((await post("customer", { DisplayName: "Throttled" })).status).toBe(200)
    expect(fake.stats().throttled).toBe(2)
  })

  it("answers each injected fault in the structure of its saved example", async () => {
    const { fake, get, customerId } = await setUp()
    const pairs: ReadonlyArray<readonly [QboFaultMode, string]> = [
      [{ kind: "throttle" }, "fault-429-throttle-exceeded.xml"],
      [{ kind: "throttle", legacy403: true }, "fault-403-throttle-exceeded-legacy.xml"],
      [{ kind: "server-error" }, "fault-500-system-fault.xml"],
      [{ kind: "unauthorized", xml: true }, "fault-401-authentication.xml"],
      [{ kind: "unauthorized" }, "fault-401-authentication.json"],
      [{ kind: "duplicate-name" }, "fault-400-validation-duplicate-name.json"]
    ]
    for (const [mode, file] of pairs) {
      fake.fail({ mode })
      const answer = await get(`customer/${customerId}`)
      const isXml = file.endsWith(".xml")
      const saved = readFileSync(new URL(file, EXAMPLES), "utf8")
      expect({ file, shape: skeleton(answer.text, isXml) }).toEqual({ file, shape: skeleton(saved, isXml) })
      if (file.includes("throttle")) {
        expect(at(xmlShape.parse(answer.text), "IntuitResponse", "Fault", "Error", "Message")).toBe(at(xmlShape.parse(saved), "IntuitResponse", "Fault", "Error", "Message"))
      }
    }
  })

  it("401 in lower-case JSON until the client refreshes its token", async () => {
    const { fake, token, post } = await setUp()
    fake.fail({ mode: { kind: "unauthorized" } })
    const refused = await post("customer", { DisplayName: "After refresh" })
    expect(refused.status).toBe(401)
    expect(at(refused.json, "fault", "error", 0, "code")).toBe("3200")
    expect((await call(fake, token, "GET", `companyinfo/${fake.realmId}`)).status).toBe(401)
    const { accessToken } = fake.connect()
    expect((await call(fake, accessToken, "POST", "customer", { DisplayName: "After refresh" })).status).toBe(200)
  })

  it("5010, 6240, 500 XML, a Fault inside a 200, a reply verbatim; `times` and `path` choose the requests hit", async () => {
    const { fake, post, get, customerId } = await setUp()
    fake.fail({ mode: { kind: "stale-object" }, path: "/customer", method: "POST" })
    fake.fail({ mode: { kind: "server-error" }, path: /\/query/u, times: 2 })
    expect(faultCode(await get(`customer/${customerId}`))).toBeUndefined()
    expect(faultCode(await post("customer", { DisplayName: "x" }))).toBe("5010")
    const q = `query?query=${encodeURIComponent("select * from Customer")}`
    for (let i = 0; i < 2; i++) {
      const failed = await get(q)
      expect([failed.status, failed.contentType, failed.text.includes('code="10000"')]).toEqual([500, "application/xml", true])
    }
    expect((await get(q)).status).toBe(200)
    fake.fail({ mode: { kind: "duplicate-name" } })
    expect(faultCode(await post("customer", { DisplayName: "Fresh" }))).toBe("6240")
    fake.fail({ mode: { kind: "fault-in-200" } })
    const hidden = await get(`customer/${customerId}`)
    expect([hidden.status, at(hidden.json, "Fault", "type")]).toEqual([200, "SystemFault"])
    fake.fail({ mode: { kind: "reply", status: 503, body: "busy", contentType: "application/xml" } })
    expect((await get(`customer/${customerId}`)).status).toBe(503)
  })

  it("drop cuts the connection before anything is done; drop-after does the write first; slow answers late", async () => {
    const { fake, token, post, customerId, itemId } = await setUp()
    const body = { DocNumber: "7", CustomerRef: { value: customerId }, Line: [salesLine(itemId, 5)] }
    fake.fail({ mode: { kind: "drop" } })
    await expect(post("invoice?requestid=r7", body)).rejects.toThrow()
    expect(fake.counts().Invoice).toBe(0)
    fake.fail({ mode: { kind: "drop-after" } })
    await expect(post("invoice?requestid=r7", body)).rejects.toThrow()
    expect(fake.counts().Invoice).toBe(1)
    // The retry with the same requestid learns what the cut answer would have said.
    const retried = await post("invoice?requestid=r7", body)
    expect(at(retried.json, "Invoice", "DocNumber")).toBe("7")
    expect(fake.counts().Invoice).toBe(1)
    // Slow: the provider does the write, the client gives up waiting.
    fake.fail({ mode: { kind: "slow", millis: 2000 } })
    await expect(fetch(`${fake.url}/v3/company/${fake.realmId}/customer`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ DisplayName: "Slow" }),
      signal: AbortSignal.timeout(100)
    })).rejects.toThrow()
    expect(fake.counts().Customer).toBe(2)
  })
})

describe("fake QuickBooks: what it saw", () => {
  it("counts the most in flight and per minute, and can enforce QuickBooks' limits", async () => {
    const { fake, token } = await setUp({ enforceLimits: { concurrent: 10, perMinute: 500 } })
    fake.reset()
    for (let i = 0; i < 12; i++) fake.fail({ mode: { kind: "slow", millis: 150 }, on: "api" })
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(fake, token, "GET", `companyinfo/${fake.realmId}`)))
    expect(fake.stats().maxInFlight).toBe(12)
    expect(answers.filter((a) => a.status === 429)).toHaveLength(2)
    expect(fake.stats().maxPerMinuteByRealm[fake.realmId]).toBe(12)
    expect(fake.stats().maxPerSecondByRealm[fake.realmId]).toBe(12)
    fake.advanceClock(60_000)
    await call(fake, token, "GET", `companyinfo/${fake.realmId}`)
    expect(fake.stats().maxPerMinuteByRealm[fake.realmId]).toBe(12)
    const recorded = fake.apiRequests().at(-1)
    expect([recorded?.method, recorded?.path, recorded?.status, recorded?.headers["accept"]]).toEqual(["GET", `/v3/company/${fake.realmId}/companyinfo/${fake.realmId}`, 200, "application/json"])
  })

  it("keeps each request with its answer; refuses a body that is not sent as JSON", async () => {
    const { fake, token } = await setUp()
    const answer = await fetch(`${fake.url}/v3/company/${fake.realmId}/customer?minorversion=75`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ DisplayName: "Plain text" })
    })
    expect(answer.status).toBe(415)
    const last = fake.apiRequests().at(-1)
    expect([last?.query, last?.status, last?.response?.includes("Unsupported Media Type")]).toEqual([[["minorversion", "75"]], 415, true])
    fake.reset()
    expect([fake.requests(), fake.counts().Customer]).toEqual([[], 1])
  })

  it("changes made in QuickBooks itself are marked so, and bump the SyncToken the CRM holds", async () => {
    const { fake, post, customerId, itemId } = await setUp()
    const invoice = await post("invoice", { CustomerRef: { value: customerId }, Line: [salesLine(itemId, 40)] })
    const id = String(at(invoice.json, "Invoice", "Id"))
    expect(fake.updateInQbo("Customer", customerId, { CompanyName: "Amy's Birds" })["SyncToken"]).toBe("1")
    fake.recordPaymentInQbo({ invoiceId: id, amount: 15 })
    expect(fake.entity("Invoice", id)?.["Balance"]).toBe(25)
    expect(fake.voidInQbo(id)["Balance"]).toBe(0)
    expect(fake.changes().map((c) => `${c.by} ${c.operation} ${c.entity}`)).toEqual([
      "api Create Customer", "api Create Item", "api Create Invoice",
      "provider Update Customer", "provider Create Payment", "provider Update Invoice", "provider Void Invoice"
    ])
    const stale = await post("invoice", { Id: id, SyncToken: "0", sparse: true, DueDate: "2026-01-01" })
    expect(faultCode(stale)).toBe("5010")
    expect(() => fake.recordPaymentInQbo({ invoiceId: "4040", amountCents: 100 })).toThrow(/Object Not Found/u)
  })

  it("refuses a token for another company with 403 code 3100", async () => {
    const fake = await start({ companies: [{ realmId: "111" }, { realmId: "222" }] })
    const { accessToken } = fake.connect("222")
    const answer = await fetch(`${fake.url}/v3/company/111/companyinfo/111`, { headers: { authorization: `Bearer ${accessToken}` } })
    expect(answer.status).toBe(403)
    expect(at(await answer.json(), "fault", "error", 0, "code")).toBe("3100")
  })
})
