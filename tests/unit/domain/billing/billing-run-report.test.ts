import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { BillingRunId, SkippedByReason } from "../../../../domain/billing/billing-run.ts"

describe("a billing run's report", () => {
  const decode = Schema.decodeUnknownSync(SkippedByReason)

  it("counts skipped purchases by each reason a run knows, only those that occurred", () => {
    const all = {
      "not-recurring": 1, "not-due": 2, "not-started": 3, ended: 4, "customer-archived": 5, "already-invoiced": 6, "invalid-price": 7
    }
    expect(decode(all)).toStrictEqual(all)
    expect(decode({ ended: 1 })).toStrictEqual({ ended: 1 })
    expect(decode({})).toStrictEqual({})
  })

  it("knows no other reason", () => {
    expect(() => decode({ "no-reason": 1 }, { onExcessProperty: "error" })).toThrow(/no-reason/)
  })

  it("has a canonical UUID for an id", () => {
    expect(Schema.is(BillingRunId)("0190a0b0-0000-7000-8000-0000000000d1")).toBe(true)
    expect(Schema.is(BillingRunId)("not-an-id")).toBe(false)
  })
})
