import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import fc from "fast-check"
import { fromScaledInteger, parseNumeric, toScaledInteger } from "../../../../domain/billing/decimal.ts"
import {
  basisPoints,
  Discount,
  discountCents,
  discountFromColumns,
  discountToColumns,
  NO_DISCOUNT,
  Percent
} from "../../../../domain/billing/discount.ts"
import { Cents, formatDollars, MAX_CENTS, PositiveCents, roundHalfUp } from "../../../../domain/billing/money.ts"
import { Quantity, thousandths } from "../../../../domain/billing/quantity.ts"
import { RatePercent, rateMillionths, TaxCode } from "../../../../domain/billing/tax-rate.ts"
import { halfUp, isHalfUpOf } from "./billing-arbitraries.ts"

/** Whether a schema accepts a value, and the message it gives when it does not. */
const decode = <S extends Schema.ConstraintDecoder<unknown>>(schema: S) => (input: unknown) =>
  Result.match(Schema.decodeUnknownResult(schema)(input), {
    onSuccess: () => "ok",
    onFailure: (error) => String(error)
  })

describe("roundHalfUp", () => {
  it.each([
    [0n, 7n, 0n],
    [4n, 10n, 0n],
    [5n, 10n, 1n],
    [15n, 10n, 2n],
    // Half up, not half to even: 2.5 → 3, 6.5 → 7.
    [25n, 10n, 3n],
    [13n, 2n, 7n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [7n, 7n, 1n],
    [1_095_618_750n, 1_000_000n, 1096n]
  ])("rounds %s / %s to %s", (numerator, denominator, expected) => {
    expect(roundHalfUp(numerator, denominator)).toBe(expected)
  })

  it("is the exact value rounded half up, for any non-negative rational", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 15n }), (numerator, denominator) => {
        const rounded = roundHalfUp(numerator, denominator)
        expect(isHalfUpOf(rounded, numerator, denominator)).toBe(true)
        expect(rounded).toBe(halfUp(numerator, denominator))
        // Never smaller for a larger amount.
        expect(roundHalfUp(numerator + 1n, denominator) >= rounded).toBe(true)
      })
    )
  })
})

describe("Cents", () => {
  it("holds whole, non-negative cents up to ten billion dollars", () => {
    const cents = decode(Cents)
    for (const ok of [0, 1, 12_500, MAX_CENTS]) expect(cents(ok)).toBe("ok")
    for (const bad of [-1, 1.5, 0.1 + 0.2, MAX_CENTS + 1, Number.NaN, Number.POSITIVE_INFINITY, "100"]) expect(cents(bad)).not.toBe("ok")
  })

  it("keeps payments strictly positive", () => {
    expect(decode(PositiveCents)(1)).toBe("ok")
    expect(decode(PositiveCents)(0)).not.toBe("ok")
  })
})

describe("toScaledInteger", () => {
  it.each([
    [0.3, 3, 300n],
    [2.5, 3, 2500n],
    [12.125, 3, 12_125n],
    // Where multiplying the double goes wrong: 1.001 × 1000 = 1000.9999999999999, 4.35 × 100 = 434.99999999999994.
    [1.001, 3, 1001n],
    [4.35, 2, 435n],
    [8.875, 4, 88_750n],
    [0, 3, 0n],
    [-0, 3, 0n],
    [-2.5, 3, -2500n],
    [3, 0, 3n],
    [1_000_000, 3, 1_000_000_000n],
    [1e20, 0, 100_000_000_000_000_000_000n],
    // Below 1e-6 String() switches to exponent form.
    [1e-7, 7, 1n],
    [2.5e-7, 8, 25n]
  ])("reads %s with %s places as %s", (value, places, expected) => {
    expect(toScaledInteger(value, places)).toBe(expected)
  })

  it.each([
    ["0.1 + 0.2", 0.1 + 0.2, 3],
    ["1e-7", 1e-7, 3],
    ["2.0005", 2.0005, 3],
    ["2.5 with no places", 2.5, 0],
    ["1e21", 1e21, 3],
    ["NaN", Number.NaN, 3],
    ["Infinity", Number.POSITIVE_INFINITY, 3],
    ["-Infinity", Number.NEGATIVE_INFINITY, 3],
    // Too small for toFixed(20) to show a digit: still more than 3 decimals, not zero.
    ["1e-22", 1e-22, 3],
    ["5e-324", 5e-324, 0]
  ])("refuses %s", (_label, value, places) => {
    expect(toScaledInteger(value, places)).toBeUndefined()
  })

  it("reads back every number written with at most `places` decimals", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 4 }), (scaled, places) => {
        const value = Number(scaled) / 10 ** places
        expect(toScaledInteger(value, places)).toBe(scaled)
        expect(fromScaledInteger(scaled, places)).toBe(value)
      })
    )
  })

  it("never misreads a double: what it reads stands for exactly that double", () => {
    fc.assert(
      fc.property(fc.double(), fc.integer({ min: 0, max: 6 }), (value, places) => {
        const scaled = toScaledInteger(value, places)
        if (scaled === undefined) return
        // The decimal it stands for, written out exactly, parses back to the same double.
        const digits = (scaled < 0n ? -scaled : scaled).toString().padStart(places + 1, "0")
        const text = `${scaled < 0n ? "-" : ""}${places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`}`
        expect(Number(text)).toBe(value === 0 ? 0 : value)
      })
    )
  })
})

describe("parseNumeric", () => {
  it.each([
    ["2.500", 3, 2500n],
    ["12", 3, 12_000n],
    ["0.125", 3, 125n],
    ["-0.5", 3, -500n],
    ["8.8750", 4, 88_750n],
    ["100.00", 2, 10_000n],
    ["0", 2, 0n],
    [".5", 3, 500n]
  ])("reads PostgreSQL's %s with %s places as %s", (text, places, expected) => {
    expect(parseNumeric(text, places)).toBe(expected)
  })

  it("agrees with toScaledInteger on every numeric PostgreSQL writes", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 1, max: 4 }), (scaled, places) => {
        const digits = scaled.toString().padStart(places + 1, "0")
        const text = `${digits.slice(0, -places)}.${digits.slice(-places)}`
        expect(parseNumeric(text, places)).toBe(scaled)
        expect(toScaledInteger(Number(text), places)).toBe(scaled)
      })
    )
  })
})

describe("Quantity", () => {
  const quantity = decode(Quantity)

  it.each([1, 2.5, 12.125, 0.001, 0.3, 1_000_000])("accepts %s", (value) => {
    expect(quantity(value)).toBe("ok")
  })

  it("refuses more than 3 decimals, saying so", () => {
    expect(quantity(2.0005)).toMatch(/Expected at most 3 decimals/u)
    expect(quantity(0.1 + 0.2)).toMatch(/Expected at most 3 decimals/u)
    expect(quantity(1e-7)).toMatch(/Expected at most 3 decimals/u)
  })

  it("refuses a positive quantity too small to have 3 decimals, rather than pricing it as 0", () => {
    expect(quantity(1e-22)).toMatch(/Expected at most 3 decimals/u)
  })

  it.each([0, -1, 1_000_000.001, 1_000_001, Number.NaN, Number.POSITIVE_INFINITY, "2.5", null])("refuses %s", (value) => {
    expect(quantity(value)).not.toBe("ok")
  })

  it("counts thousandths exactly", () => {
    expect(thousandths(2.5)).toBe(2500n)
    expect(thousandths(12.125)).toBe(12_125n)
    expect(thousandths(0.001)).toBe(1n)
    expect(thousandths(1.001)).toBe(1001n)
  })
})

describe("Percent and discounts", () => {
  it("takes percentages above 0 up to 100 with at most 2 decimals", () => {
    const percent = decode(Percent)
    for (const ok of [0.01, 10, 12.5, 99.99, 100]) expect(percent(ok)).toBe("ok")
    for (const bad of [0, -5, 100.01, 12.345]) expect(percent(bad)).not.toBe("ok")
    expect(percent(12.345)).toMatch(/Expected at most 2 decimals/u)
  })

  it("decodes the three kinds of discount and nothing else", () => {
    const discount = decode(Discount)
    for (const ok of [{ type: "none" }, { type: "percent", percent: 10 }, { type: "fixed", amountCents: 500 }, { type: "fixed", amountCents: 0 }]) {
      expect(discount(ok)).toBe("ok")
    }
    for (const bad of [
      { type: "percent", percent: 0 },
      { type: "percent", percent: 120 },
      { type: "fixed", amountCents: 1.5 },
      { type: "fixed", amountCents: -100 },
      { type: "fixed" },
      { type: "bogus" },
      "10%"
    ]) {
      expect(discount(bad)).not.toBe("ok")
    }
  })

  it("computes what a discount takes off, rounded half up", () => {
    expect(basisPoints(12.5)).toBe(1250n)
    expect(basisPoints(0.01)).toBe(1n)
    expect(discountCents(NO_DISCOUNT, 12_345n)).toBe(0n)
    expect(discountCents({ type: "percent", percent: 10 }, 20_000n)).toBe(2000n)
    expect(discountCents({ type: "percent", percent: 12.5 }, 100n)).toBe(13n)
    expect(discountCents({ type: "percent", percent: 100 }, 777n)).toBe(777n)
    expect(discountCents({ type: "fixed", amountCents: 250 }, 100n)).toBe(250n)
  })

  it("never takes more than the amount for a percentage", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.bigInt({ min: 0n, max: BigInt(MAX_CENTS) }), (bp, base) => {
        const off = discountCents({ type: "percent", percent: bp / 100 }, base)
        expect(off >= 0n && off <= base).toBe(true)
        expect(isHalfUpOf(off, base * BigInt(bp), 10_000n)).toBe(true)
      })
    )
  })

  it("stores a discount as a type and one whole number, and reads it back unchanged", () => {
    expect(discountToColumns(NO_DISCOUNT)).toEqual({ type: "none", value: 0 })
    expect(discountToColumns({ type: "percent", percent: 12.5 })).toEqual({ type: "percent", value: 1250 })
    expect(discountToColumns({ type: "fixed", amountCents: 999 })).toEqual({ type: "fixed", value: 999 })
    const discounts = fc.oneof(
      fc.constant<Discount>(NO_DISCOUNT),
      fc.integer({ min: 1, max: 10_000 }).map((bp): Discount => ({ type: "percent", percent: bp / 100 })),
      fc.integer({ min: 0, max: MAX_CENTS }).map((amountCents): Discount => ({ type: "fixed", amountCents }))
    )
    fc.assert(
      fc.property(discounts, (discount) => {
        const { type, value } = discountToColumns(discount)
        expect(Number.isSafeInteger(value)).toBe(true)
        expect(discountFromColumns(type, value)).toEqual(discount)
      })
    )
  })
})

describe("tax rates", () => {
  it("takes rates from 0% to 100% with at most 4 decimals", () => {
    const rate = decode(RatePercent)
    for (const ok of [0, 5, 8.875, 8.8751, 100]) expect(rate(ok)).toBe("ok")
    for (const bad of [-1, 100.0001, 8.87501]) expect(rate(bad)).not.toBe("ok")
  })

  it("reads a rate as millionths", () => {
    expect(rateMillionths(8.875)).toBe(88_750n)
    expect(rateMillionths(0)).toBe(0n)
    expect(rateMillionths(100)).toBe(1_000_000n)
    expect(rateMillionths(6.25)).toBe(62_500n)
  })

  it("takes tax codes of 1 to 32 lower-case letters, digits, _ or -", () => {
    const code = decode(TaxCode)
    for (const ok of ["standard", "exempt-labor", "a", "ny_8", "x".repeat(32)]) expect(code(ok)).toBe("ok")
    for (const bad of ["", "Standard", "-x", "_x", "sales tax", "x".repeat(33), "é"]) expect(code(bad)).not.toBe("ok")
  })
})

describe("formatDollars", () => {
  it("writes cents as dollars exactly, with separators", () => {
    expect(formatDollars(0)).toBe("$0.00")
    expect(formatDollars(5)).toBe("$0.05")
    expect(formatDollars(123_450)).toBe("$1,234.50")
    expect(formatDollars(100_000_000_000_000n)).toBe("$1,000,000,000,000.00")
    expect(formatDollars(-2_001)).toBe("-$20.01")
  })
})
