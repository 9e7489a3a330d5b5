import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import fc from "fast-check"
import {
  type BillingDecision,
  billingDecision,
  BillingPeriod,
  periodBounds,
  type Recurring,
  type Subscription
} from "../../../../domain/billing/billing-period.ts"
import {
  addDays,
  dateOfEpochMillis,
  dayNumber,
  daysBetween,
  fromDayNumber,
  LocalDate
} from "../../../../domain/billing/local-date.ts"

const monthly = (startDate: string, endDate: string | null = null): Subscription => ({ recurring: "monthly", startDate, endDate })

const bill = (from: string, to: string, days: number, periodDays: number): BillingDecision => ({ _tag: "Bill", from, to, days, periodDays })
const skip = (reason: "not-recurring" | "not-due" | "not-started" | "ended"): BillingDecision => ({ _tag: "Skip", reason })

const accepts = <S extends Schema.ConstraintDecoder<unknown>>(schema: S) => (input: unknown) =>
  Result.isSuccess(Schema.decodeUnknownResult(schema)(input))

// Independent calendar arithmetic for the oracle: Date.UTC counts months itself.
const UTC_DAY = 86_400_000
const utcDay = (year: number, monthIndex: number, day: number) => Date.UTC(year, monthIndex, day) / UTC_DAY
const periodName = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`
const monthOf = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1

const LENGTH: Record<Exclude<Recurring, "none">, number> = { monthly: 1, quarterly: 3, yearly: 12 }

/** The decision by brute force: the service period's days, counted one by one. */
const oracle = (subscription: Subscription, month: number): BillingDecision => {
  if (subscription.recurring === "none") return skip("not-recurring")
  const length = LENGTH[subscription.recurring]
  const startMonth = monthOf(subscription.startDate)
  if (month < startMonth) return skip("not-started")
  if ((month - startMonth) % length !== 0) return skip("not-due")
  const year = Math.floor(month / 12)
  const first = utcDay(year, month % 12, 1)
  const last = utcDay(year, (month % 12) + length, 0)
  let days = 0
  for (let day = first; day <= last; day++) {
    const date = new Date(day * UTC_DAY).toISOString().slice(0, 10)
    if (date >= subscription.startDate && (subscription.endDate === null || date <= subscription.endDate)) days++
  }
  if (days === 0) return skip("ended")
  const iso = (day: number) => new Date(day * UTC_DAY).toISOString().slice(0, 10)
  return bill(iso(first), iso(last), days, last - first + 1)
}

const FIRST_DAY = dayNumber("2020-01-01")
const LAST_DAY = dayNumber("2034-12-31")
const date = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(fromDayNumber)
const recurring = fc.constantFrom<Recurring>("none", "monthly", "quarterly", "yearly")
const subscription = fc.record({
  recurring,
  startDate: date,
  lengthDays: fc.option(fc.integer({ min: -40, max: 1200 }), { nil: null })
}).map(({ lengthDays, recurring, startDate }): Subscription => ({
  recurring,
  startDate,
  endDate: lengthDays === null ? null : addDays(startDate, lengthDays)
}))
/** A run's month near the subscription's, so that most runs have something to decide. */
const subscriptionAndMonth = fc.tuple(subscription, fc.integer({ min: -3, max: 40 }))
  .map(([sub, offset]) => [sub, monthOf(sub.startDate) + offset] as const)

describe("billingDecision: monthly", () => {
  it("bills a whole month for a service running through it", () => {
    expect(billingDecision(monthly("2026-11-01"), "2026-11")).toEqual(bill("2026-11-01", "2026-11-30", 30, 30))
    expect(billingDecision(monthly("2025-06-17"), "2026-12")).toEqual(bill("2026-12-01", "2026-12-31", 31, 31))
    // A start on the 31st still bills February whole.
    expect(billingDecision(monthly("2026-01-31"), "2026-02")).toEqual(bill("2026-02-01", "2026-02-28", 28, 28))
  })

  it("prorates a service starting on 15 November: 16 of 30 days", () => {
    expect(billingDecision(monthly("2026-11-15"), "2026-11")).toEqual(bill("2026-11-01", "2026-11-30", 16, 30))
    expect(billingDecision(monthly("2026-11-30"), "2026-11")).toEqual(bill("2026-11-01", "2026-11-30", 1, 30))
  })

  it("prorates a service ending inside the period, counting the end day", () => {
    expect(billingDecision(monthly("2026-01-10", "2026-11-20"), "2026-11")).toEqual(bill("2026-11-01", "2026-11-30", 20, 30))
    expect(billingDecision(monthly("2026-01-10", "2026-11-01"), "2026-11")).toEqual(bill("2026-11-01", "2026-11-30", 1, 30))
    expect(billingDecision(monthly("2026-01-10", "2026-11-30"), "2026-11")).toEqual(bill("2026-11-01", "2026-11-30", 30, 30))
  })

  it("prorates a service starting and ending in the same month", () => {
    expect(billingDecision(monthly("2026-11-10", "2026-11-19"), "2026-11")).toEqual(bill("2026-11-01", "2026-11-30", 10, 30))
    expect(billingDecision(monthly("2026-11-10", "2026-11-10"), "2026-11")).toEqual(bill("2026-11-01", "2026-11-30", 1, 30))
  })

  it("skips a service that ended before the period, or has not started", () => {
    expect(billingDecision(monthly("2026-01-10", "2026-10-31"), "2026-11")).toEqual(skip("ended"))
    expect(billingDecision(monthly("2026-11-10", "2026-11-09"), "2026-11")).toEqual(skip("ended"))
    expect(billingDecision(monthly("2026-12-01"), "2026-11")).toEqual(skip("not-started"))
    expect(billingDecision(monthly("2027-01-15"), "2026-11")).toEqual(skip("not-started"))
  })

  it("never bills a service that does not recur", () => {
    expect(billingDecision({ recurring: "none", startDate: "2026-11-01", endDate: null }, "2026-11")).toEqual(skip("not-recurring"))
    expect(billingDecision({ recurring: "none", startDate: "2030-01-01", endDate: null }, "2026-11")).toEqual(skip("not-recurring"))
  })

  it("bills leap-year February as 29 days, and 2100's as 28", () => {
    expect(billingDecision(monthly("2027-05-01"), "2028-02")).toEqual(bill("2028-02-01", "2028-02-29", 29, 29))
    expect(billingDecision(monthly("2028-02-15"), "2028-02")).toEqual(bill("2028-02-01", "2028-02-29", 15, 29))
    expect(billingDecision(monthly("1999-05-01"), "2000-02")).toEqual(bill("2000-02-01", "2000-02-29", 29, 29))
    expect(billingDecision(monthly("2099-05-01"), "2100-02")).toEqual(bill("2100-02-01", "2100-02-28", 28, 28))
  })
})

describe("billingDecision: quarterly and yearly", () => {
  const quarterly: Subscription = { recurring: "quarterly", startDate: "2026-11-15", endDate: null }
  const yearly: Subscription = { recurring: "yearly", startDate: "2024-03-10", endDate: null }

  it("bills a quarter in advance from the start month, prorating the first", () => {
    // November to January: 30 + 31 + 31 = 92 days, served from the 15th: 16 + 31 + 31 = 78.
    expect(billingDecision(quarterly, "2026-11")).toEqual(bill("2026-11-01", "2027-01-31", 78, 92))
    // February to April 2027: 28 + 31 + 30.
    expect(billingDecision(quarterly, "2027-02")).toEqual(bill("2027-02-01", "2027-04-30", 89, 89))
    expect(billingDecision(quarterly, "2027-05")).toEqual(bill("2027-05-01", "2027-07-31", 92, 92))
  })

  it("bills a quarter only in its anchor months", () => {
    for (const period of ["2026-12", "2027-01", "2027-03", "2027-04", "2027-06"]) {
      expect(billingDecision(quarterly, period), period).toEqual(skip("not-due"))
    }
    expect(billingDecision(quarterly, "2026-10")).toEqual(skip("not-started"))
  })

  it("prorates a quarter that ends inside it", () => {
    const ending: Subscription = { ...quarterly, endDate: "2027-03-10" }
    expect(billingDecision(ending, "2027-02")).toEqual(bill("2027-02-01", "2027-04-30", 38, 89))
    expect(billingDecision(ending, "2027-05")).toEqual(skip("ended"))
  })

  it("bills a year in advance in the start month only, counting a leap day", () => {
    // March 2024 to February 2025 is 365 days; from 10 March, 356.
    expect(billingDecision(yearly, "2024-03")).toEqual(bill("2024-03-01", "2025-02-28", 356, 365))
    expect(billingDecision(yearly, "2025-03")).toEqual(bill("2025-03-01", "2026-02-28", 365, 365))
    // March 2027 to February 2028 holds 29 February 2028.
    expect(billingDecision(yearly, "2027-03")).toEqual(bill("2027-03-01", "2028-02-29", 366, 366))
    for (const period of ["2024-04", "2025-02", "2025-04", "2026-01"]) {
      expect(billingDecision(yearly, period), period).toEqual(skip("not-due"))
    }
    expect(billingDecision(yearly, "2024-02")).toEqual(skip("not-started"))
  })

  it("bills a year that starts in December across the new year", () => {
    expect(billingDecision({ recurring: "yearly", startDate: "2026-12-01", endDate: null }, "2026-12"))
      .toEqual(bill("2026-12-01", "2027-11-30", 365, 365))
  })
})

describe("billingDecision: properties", () => {
  it("agrees with counting the days one by one", () => {
    fc.assert(
      fc.property(subscriptionAndMonth, ([sub, month]) => {
        expect(billingDecision(sub, periodName(month))).toEqual(oracle(sub, month))
      }),
      { numRuns: 300 }
    )
  })

  it("bills between 1 day and the whole period, over a period of the right length", () => {
    const lengths: Record<Recurring, readonly [number, number]> = { none: [0, 0], monthly: [28, 31], quarterly: [89, 92], yearly: [365, 366] }
    fc.assert(
      fc.property(subscriptionAndMonth, ([sub, month]) => {
        const decision = billingDecision(sub, periodName(month))
        if (decision._tag === "Skip") return
        expect(decision.days).toBeGreaterThanOrEqual(1)
        expect(decision.days).toBeLessThanOrEqual(decision.periodDays)
        expect(decision.periodDays).toBe(daysBetween(decision.from, decision.to) + 1)
        expect(decision.from).toBe(`${periodName(month)}-01`)
        const [min, max] = lengths[sub.recurring]
        expect(decision.periodDays).toBeGreaterThanOrEqual(min)
        expect(decision.periodDays).toBeLessThanOrEqual(max)
        expect(decision.days === decision.periodDays).toBe(
          sub.startDate <= decision.from && (sub.endDate === null || sub.endDate >= decision.to)
        )
      }),
      { numRuns: 300 }
    )
  })

  it("bills every day of a service's life exactly once, over all the runs", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Recurring>("monthly", "quarterly", "yearly"),
        date,
        fc.integer({ min: 0, max: 1200 }),
        (kind, startDate, lengthDays) => {
          const endDate = addDays(startDate, lengthDays)
          const sub: Subscription = { recurring: kind, startDate, endDate }
          let billed = 0
          let nextFrom: string | null = null
          for (let month = monthOf(startDate) - 2; month <= monthOf(endDate) + 13; month++) {
            const decision = billingDecision(sub, periodName(month))
            if (decision._tag === "Skip") continue
            // Service periods follow each other without gap or overlap.
            if (nextFrom !== null) expect(decision.from).toBe(nextFrom)
            nextFrom = addDays(decision.to, 1)
            billed += decision.days
          }
          expect(billed).toBe(lengthDays + 1)
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe("BillingPeriod and periodBounds", () => {
  it("takes months as YYYY-MM", () => {
    for (const ok of ["2026-01", "2026-11", "2026-12", "2000-02"]) expect(accepts(BillingPeriod)(ok), ok).toBe(true)
    for (const bad of ["2026-00", "2026-13", "2026-1", "26-01", "2026-11-01", "", 202611]) expect(accepts(BillingPeriod)(bad), String(bad)).toBe(false)
  })

  it("gives a month's first and last day", () => {
    expect(periodBounds("2026-11")).toEqual({ from: "2026-11-01", to: "2026-11-30" })
    expect(periodBounds("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" })
    expect(periodBounds("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" })
    expect(periodBounds("2027-02")).toEqual({ from: "2027-02-01", to: "2027-02-28" })
  })
})

describe("LocalDate", () => {
  it("takes real calendar dates only", () => {
    const ok = accepts(LocalDate)
    for (const good of ["2026-11-21", "2028-02-29", "2000-02-29", "1970-01-01", "2026-12-31"]) expect(ok(good), good).toBe(true)
    for (const bad of ["2027-02-29", "2100-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-5", "2026-11-21T00:00:00Z", "", 20261121]) {
      expect(ok(bad), String(bad)).toBe(false)
    }
  })

  it("counts days since 1970 and across month, year and leap-day boundaries", () => {
    expect(dayNumber("1970-01-01")).toBe(0)
    expect(dayNumber("1970-01-02")).toBe(1)
    expect(fromDayNumber(0)).toBe("1970-01-01")
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01")
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28")
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29")
    expect(addDays("2026-11-21", 30)).toBe("2026-12-21")
    expect(daysBetween("2028-02-28", "2028-03-01")).toBe(2)
    expect(daysBetween("2027-02-28", "2027-03-01")).toBe(1)
    expect(daysBetween("2026-11-21", "2026-11-01")).toBe(-20)
    expect(daysBetween("2026-01-01", "2027-01-01")).toBe(365)
  })

  it("takes the UTC date of an instant", () => {
    expect(dateOfEpochMillis(Date.UTC(2026, 10, 21, 23, 59, 59, 999))).toBe("2026-11-21")
    expect(dateOfEpochMillis(Date.UTC(2026, 10, 22))).toBe("2026-11-22")
  })

  it("round-trips day numbers and adds days consistently", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -5000, max: 5000 }), (start, days) => {
        expect(fromDayNumber(dayNumber(start))).toBe(start)
        const later = addDays(start, days)
        expect(accepts(LocalDate)(later)).toBe(true)
        expect(daysBetween(start, later)).toBe(days)
        expect(later > start).toBe(days > 0)
      })
    )
  })
})
