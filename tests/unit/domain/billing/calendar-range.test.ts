import { describe, expect, it } from "@effect/vitest"
import { DateTime, Result, Schema } from "effect"
import { billingDecision, BillingPeriod, isWithinCalendar } from "../../../../domain/billing/billing-period.ts"
import { LocalDate } from "../../../../domain/billing/local-date.ts"
import { DateOrTimestamp, Timestamp } from "../../../../domain/billing/timestamp.ts"

/** The decoded value, or the message of the first issue. */
const decode = <S extends Schema.ConstraintDecoder<unknown>>(schema: S) => (input: unknown): unknown => {
  const result = Schema.decodeUnknownResult(schema)(input)
  return Result.isSuccess(result) ? result.success : String(result.failure.message)
}
const iso = (value: unknown) => DateTime.isDateTime(value) ? DateTime.formatIso(value) : value

describe("the business calendar, 1900-01-01 to 2199-12-31", () => {
  it("takes dates inside it and refuses dates outside, saying which range", () => {
    for (const ok of ["1900-01-01", "2199-12-31", "2026-11-21", "2000-02-29"]) expect(decode(LocalDate)(ok), ok).toBe(ok)
    for (const bad of ["0000-01-01", "1899-12-31", "2200-01-01", "9999-12-31"]) {
      expect(decode(LocalDate)(bad), bad).toMatch(/from 1900-01-01 to 2199-12-31/u)
    }
    expect(decode(LocalDate)("2026-02-30")).toMatch(/Not a real calendar date/u)
  })

  it("takes billing periods inside it only", () => {
    for (const ok of ["1900-01", "2199-12", "2026-11"]) expect(decode(BillingPeriod)(ok), ok).toBe(ok)
    for (const bad of ["0000-01", "1899-12", "2200-01", "9999-12"]) {
      expect(decode(BillingPeriod)(bad), bad).toMatch(/from 1900-01 to 2199-12/u)
    }
  })

  it("says when a billing decision's service period ends after it", () => {
    const yearly = { recurring: "yearly" as const, startDate: "2199-12-01", endDate: null }
    expect(isWithinCalendar(billingDecision(yearly, "2199-12"))).toBe(false)
    expect(isWithinCalendar(billingDecision({ ...yearly, recurring: "monthly" }, "2199-12"))).toBe(true)
    expect(isWithinCalendar(billingDecision({ ...yearly, recurring: "quarterly", startDate: "2199-10-01" }, "2199-10"))).toBe(true)
    expect(isWithinCalendar(billingDecision({ ...yearly, recurring: "quarterly", startDate: "2199-10-01" }, "2199-11"))).toBe(true)
  })
})

describe("Timestamp: an RFC 3339 date-time with an offset", () => {
  const timestamp = (input: unknown) => iso(decode(Timestamp)(input))

  it("decodes to the UTC instant", () => {
    expect(timestamp("2026-11-21T15:04:05Z")).toBe("2026-11-21T15:04:05.000Z")
    expect(timestamp("2026-11-21T10:04:05.5-05:00")).toBe("2026-11-21T15:04:05.500Z")
    expect(timestamp("2026-11-21t23:30:00.123+05:30")).toBe("2026-11-21T18:00:00.123Z")
    expect(timestamp("2026-11-21T15:04:05z")).toBe("2026-11-21T15:04:05.000Z")
    expect(timestamp("1900-01-01T00:00:00Z")).toBe("1900-01-01T00:00:00.000Z")
    expect(timestamp("2199-12-31T23:59:59.999Z")).toBe("2199-12-31T23:59:59.999Z")
    expect(timestamp("2028-02-29T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z")
  })

  it("refuses dates and times that do not exist instead of rolling them over", () => {
    expect(timestamp("2026-02-30T10:00:00Z")).toMatch(/Not a real calendar date/u)
    expect(timestamp("2027-02-29T10:00:00Z")).toMatch(/Not a real calendar date/u)
    expect(timestamp("2026-11-21T24:00:00Z")).toMatch(/Not a real time of day/u)
    expect(timestamp("2026-11-21T10:60:00Z")).toMatch(/Not a real time of day/u)
    expect(timestamp("2026-11-21T23:59:60Z")).toMatch(/Not a real time of day/u)
    expect(timestamp("2026-11-21T10:00:00+24:00")).toMatch(/Not a real UTC offset/u)
  })

  it("refuses anything but a full date-time with an offset", () => {
    for (const bad of ["2026-11-21", "2026-11-21T10:00:00", "2026-11-21T10:00Z", "2026-11-21 10:00:00Z", "2026-11-21T10:00:00+0500",
      "Sat, 21 Nov 2026 10:00:00 GMT", "1764000000000", "", " 2026-11-21T10:00:00Z"]) {
      expect(timestamp(bad), bad).toMatch(/Expected a date-time with an offset \(RFC 3339\)/u)
    }
    expect(timestamp("2026-11-21T10:00:00.1234Z")).toMatch(/at most 3 decimals/u)
    expect(timestamp(1764000000000)).toMatch(/Expected string/u)
  })

  it("refuses instants outside the calendar, offsets included", () => {
    for (const bad of ["0000-01-01T00:00:00Z", "1899-12-31T23:59:59.999Z", "2200-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
      "2199-12-31T23:00:00-05:00", "1900-01-01T04:00:00+05:00"]) {
      expect(timestamp(bad), bad).toMatch(/Expected an instant from 1900-01-01T00:00:00Z to 2199-12-31T23:59:59.999Z/u)
    }
  })
})

describe("DateOrTimestamp: a date-time, or a date at 00:00 UTC", () => {
  const instant = (input: unknown) => iso(decode(DateOrTimestamp)(input))

  it("takes a real date as its first moment in UTC, and a date-time as the instant", () => {
    expect(instant("2026-11-25")).toBe("2026-11-25T00:00:00.000Z")
    expect(instant("2026-11-22T18:30:00-05:00")).toBe("2026-11-22T23:30:00.000Z")
  })

  it("refuses 30 February, year 0 and a date-time without an offset", () => {
    expect(instant("2026-02-30")).toMatch(/Not a real calendar date/u)
    expect(instant("0000-01-01")).toMatch(/Expected an instant from 1900-01-01/u)
    expect(instant("0000-01-01T00:00:00Z")).toMatch(/Expected an instant from 1900-01-01/u)
    expect(instant("2026-11-25T10:00:00")).toMatch(/Expected a date \(YYYY-MM-DD\) or a date-time with an offset/u)
  })
})
