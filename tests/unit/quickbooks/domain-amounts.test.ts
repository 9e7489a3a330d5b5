import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import {
  amountToCents,
  centsToAmount,
  centsToDecimalString,
  decimalTextToCents,
  quantityToQty,
  scaledToDecimalString
} from "../../../domain/quickbooks/amounts.ts"

describe("cents to QuickBooks amounts", () => {
  it("spells cents as dollars without float arithmetic", () => {
    expect(centsToDecimalString(12_345)).toBe("123.45")
    expect(centsToDecimalString(12_340)).toBe("123.4")
    expect(centsToDecimalString(700)).toBe("7")
    expect(centsToDecimalString(5)).toBe("0.05")
    expect(centsToDecimalString(0)).toBe("0")
    expect(centsToDecimalString(-5n)).toBe("-0.05")
    expect(centsToDecimalString(100_000_000_000_001n)).toBe("1000000000000.01")
    expect(scaledToDecimalString(2500n, 3)).toBe("2.5")
    expect(scaledToDecimalString(125n, 3)).toBe("0.125")
  })

  it("sends the number JSON prints as that decimal: 0.1 + 0.2 style error never appears", () => {
    expect(JSON.stringify({ Amount: centsToAmount(30) })).toBe(`{"Amount":0.3}`)
    expect(JSON.stringify({ Amount: centsToAmount(1999) })).toBe(`{"Amount":19.99}`)
    expect(quantityToQty(12.125)).toBe(12.125)
  })

  it("reads back every amount it sends as the same cents", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), (cents) => {
      const back = amountToCents(centsToAmount(cents))
      return Result.isSuccess(back) && back.success === cents
    }), { numRuns: 200 })
  })
})

describe("QuickBooks amounts to cents", () => {
  it("takes whole cents and refuses fractions of a cent and non-numbers", () => {
    expect(amountToCents(100)).toEqual(Result.succeed(10_000))
    expect(amountToCents(0.29)).toEqual(Result.succeed(29))
    const fraction = amountToCents(1.005, "TotalAmt")
    expect(Result.isFailure(fraction) && fraction.failure).toMatchObject({ _tag: "InvalidQboAmount", field: "TotalAmt", amount: 1.005 })
    expect(Result.isFailure(amountToCents(Number.NaN))).toBe(true)
  })

  it("reads decimal text, as XML carries it", () => {
    expect(decimalTextToCents("12.5")).toEqual(Result.succeed(1250))
    expect(decimalTextToCents(" 7 ")).toEqual(Result.succeed(700))
    expect(decimalTextToCents("-0.05")).toEqual(Result.succeed(-5))
    expect(Result.isFailure(decimalTextToCents("1.005"))).toBe(true)
    expect(Result.isFailure(decimalTextToCents("12,50"))).toBe(true)
  })
})
