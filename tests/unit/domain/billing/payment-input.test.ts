import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result, Schema } from "effect"
import { NewPayment, PaymentMethod } from "../../../../domain/billing/payment.ts"

const decode = <S extends Schema.ConstraintDecoder<unknown>>(schema: S) => (input: unknown): unknown => {
  const result = Schema.decodeUnknownResult(schema)(input)
  return Result.isSuccess(result) ? result.success : String(result.failure.message)
}

describe("PaymentMethod", () => {
  it.each(["cash", "check", "card", "ach", "other"])("takes %s", (method) => {
    expect(decode(PaymentMethod)(method)).toBe(method)
  })

  it.each(["", "wire", "Cash"])("refuses %j, listing the methods", (method) => {
    expect(decode(PaymentMethod)(method)).toBe(`Expected "cash" | "check" | "card" | "ach" | "other"`)
  })
})

describe("NewPayment", () => {
  it("takes a payment whole, paidAt as a date-time with an offset", () => {
    const decoded = decode(NewPayment)({
      amountCents: 12_500,
      paidAt: "2026-11-21T10:04:05-05:00",
      method: "check",
      reference: "Check 1042"
    })
    expect(decoded).toEqual({
      amountCents: 12_500,
      paidAt: DateTime.makeUnsafe("2026-11-21T15:04:05Z"),
      method: "check",
      reference: "Check 1042"
    })
  })

  it("takes paidAt as a bare date, meaning 00:00 UTC", () => {
    const decoded = decode(NewPayment)({ amountCents: 1, paidAt: "2026-11-21", method: "cash" })
    expect(decoded).toEqual({ amountCents: 1, paidAt: DateTime.makeUnsafe("2026-11-21T00:00:00Z"), method: "cash" })
  })

  it("documents paidAt, method and reference in the API document", () => {
    const document = Schema.toJsonSchemaDocument(NewPayment)
    const properties = (document.definitions["NewPayment"] as { readonly properties: Record<string, unknown> }).properties
    expect(properties["paidAt"]).toEqual({
      type: "string",
      description: "When the money arrived, default now: a date-time with an offset (RFC 3339), or a date meaning " +
        "00:00 UTC; from 1900-01-01 to 2199-12-31",
      examples: ["2026-11-21T15:04:05Z", "2026-11-21"]
    })
    expect(properties["method"]).toEqual({ type: "string", enum: ["cash", "check", "card", "ach", "other"] })
    expect(properties["reference"]).toMatchObject({ description: "Check number, card receipt ..." })
  })
})
