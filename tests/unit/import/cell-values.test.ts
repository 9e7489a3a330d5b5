import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { parseDate, parseDecimal, parseFlag, parseInteger, parseMoneyCents, parsePercent } from "../../../domain/import/cell-values.ts"

const ok = <A>(result: Result.Result<A, string>): A | string => (Result.isSuccess(result) ? result.success : `error: ${result.failure}`)

describe("cell values", () => {
  it.each([
    ["$123,456", 12_345_600],
    ["123456.78", 12_345_678],
    ["$0.105", 11],
    ["$0.104", 10],
    [".5", 50],
    ["  $ 1 000 ", 100_000],
    ["USD 12", 1200]
  ])("read %j as %d cents", (cell, cents) => {
    expect(ok(parseMoneyCents(cell, { allowNegative: false }))).toBe(cents)
  })

  it.each([["-$5,000", -500_000], ["($5,000)", -500_000], ["$-5", -500], ["-0", 0]])("read the negative %j as %d cents where allowed", (cell, cents) => {
    expect(ok(parseMoneyCents(cell, { allowNegative: true }))).toBe(cents)
  })

  it.each(["-$5", "$", "abc", "1.2.3", "$1e5", "99999999999999"])("refuse %j as an amount", (cell) => {
    expect(ok(parseMoneyCents(cell, { allowNegative: false }))).toMatch(/^error: /u)
  })

  it("read any whole dollar amount written with separators exactly", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), fc.integer({ min: 0, max: 99 }), (dollars, cents) => {
      const written = `$${dollars.toLocaleString("en-US")}.${String(cents).padStart(2, "0")}`
      expect(ok(parseMoneyCents(written, { allowNegative: false }))).toBe(dollars * 100 + cents)
    }))
  })

  it("read percentages, integers and decimals", () => {
    expect(ok(parsePercent("52%"))).toBe(52)
    expect(ok(parsePercent("-3.5 %"))).toBe(-3.5)
    expect(ok(parsePercent("lots"))).toMatch(/^error/u)
    expect(ok(parseInteger("2,050", 0, 10_000))).toBe(2050)
    expect(ok(parseInteger("2050.0", 0, 10_000))).toBe(2050)
    expect(ok(parseInteger("20.5", 0, 10_000))).toBe("error: Expected a whole number")
    expect(ok(parseInteger("1500", 1600, 2200))).toBe("error: Expected a number from 1600 to 2200")
    expect(ok(parseDecimal("-70.987754", -180, 180))).toBe(-70.987754)
  })

  it.each([["1", true], ["Y", true], ["yes", true], ["TRUE", true], ["0", false], ["n", false], ["False", false]] as const)(
    "read the flag %j as %s",
    (cell, value) => {
      expect(ok(parseFlag(cell))).toBe(value)
    }
  )

  it.each([
    ["2017-07-28", "2017-07-28"],
    ["2017-7-8", "2017-07-08"],
    ["2017-07-28T00:00:00Z", "2017-07-28"],
    ["7/28/2017", "2017-07-28"],
    ["07-28-17", "2017-07-28"],
    ["1/2/99", "1999-01-02"],
    ["2/30/2020", "error: Expected a date such as 2017-07-28 or 7/28/2017"],
    ["1850-01-01", "error: Date out of range"],
    ["yesterday", "error: Expected a date such as 2017-07-28 or 7/28/2017"]
  ])("read the date %j as %j", (cell, expected) => {
    expect(ok(parseDate(cell))).toBe(expected)
  })
})
