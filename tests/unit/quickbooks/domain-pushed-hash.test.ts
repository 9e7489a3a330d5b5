import { describe, expect, it } from "@effect/vitest"
import { canonicalJson, pushedHash } from "../../../domain/quickbooks/pushed-hash.ts"
import { CREATE_VERSION, requestId, updateVersion, VOID_VERSION } from "../../../domain/quickbooks/request-id.ts"

describe("pushedHash", () => {
  const body = { DisplayName: "Acme", BillAddr: { City: "Springfield", Line1: "1 Main St" }, Taxable: true, Line: [1, 2] }

  it("is a SHA-256 hex digest that ignores key order at every level", () => {
    const reordered = { Line: [1, 2], Taxable: true, BillAddr: { Line1: "1 Main St", City: "Springfield" }, DisplayName: "Acme" }
    expect(pushedHash(body)).toMatch(/^[0-9a-f]{64}$/u)
    expect(pushedHash(reordered)).toBe(pushedHash(body))
  })

  it("ignores Id, SyncToken, sparse and undefined members, but not array order or any value", () => {
    expect(pushedHash({ ...body, Id: "60", SyncToken: "4", sparse: true, Notes: undefined })).toBe(pushedHash(body))
    expect(pushedHash({ ...body, Line: [2, 1] })).not.toBe(pushedHash(body))
    expect(pushedHash({ ...body, Taxable: false })).not.toBe(pushedHash(body))
    expect(pushedHash({ ...body, BillAddr: { City: "Springfield", Line1: "2 Main St" } })).not.toBe(pushedHash(body))
  })

  it("writes canonical JSON with sorted keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } })).toBe(`{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}`)
  })
})

describe("requestId", () => {
  it("is the same UUID for the same change, within Intuit's 50 characters", () => {
    const id = requestId("invoice", "0190a4c2-2222-7000-8000-000000000002", CREATE_VERSION)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u)
    expect(requestId("invoice", "0190a4c2-2222-7000-8000-000000000002", CREATE_VERSION)).toBe(id)
  })

  it("differs by kind, entity and version", () => {
    const ids = new Set([
      requestId("invoice", "a", CREATE_VERSION),
      requestId("customer", "a", CREATE_VERSION),
      requestId("invoice", "b", CREATE_VERSION),
      requestId("invoice", "a", VOID_VERSION),
      requestId("invoice", "a", updateVersion("hash", "0")),
      requestId("invoice", "a", updateVersion("hash", "1"))
    ])
    expect(ids.size).toBe(6)
  })
})
