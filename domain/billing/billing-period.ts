import { Schema } from "effect"
import { dayNumber, fromDayNumber, isInCalendar, type LocalDate, MAX_DATE, MIN_DATE } from "./local-date.ts"

const FIRST_MONTH = MIN_DATE.slice(0, 7)
const LAST_MONTH = MAX_DATE.slice(0, 7)

/** A billing period is a calendar month, `YYYY-MM`, of the business calendar (see `MIN_DATE`). */
export const BillingPeriod = Schema.String.annotate({
  description: `A calendar month, YYYY-MM, from ${FIRST_MONTH} to ${LAST_MONTH}`,
  examples: ["2026-11"]
}).check(
  Schema.isPattern(/^\d{4}-(0[1-9]|1[0-2])$/u, { message: "Expected a month as YYYY-MM" }),
  Schema.makeFilter((text: string) =>
    text >= FIRST_MONTH && text <= LAST_MONTH ? undefined : `Expected a month from ${FIRST_MONTH} to ${LAST_MONTH}`)
)
export type BillingPeriod = typeof BillingPeriod.Type

export const Recurring = Schema.Literals(["none", "monthly", "quarterly", "yearly"]).annotate({
  description: "How often a billing run bills the service; `none` is billed once, by hand"
})
export type Recurring = typeof Recurring.Type

const MONTHS: Record<Exclude<Recurring, "none">, number> = { monthly: 1, quarterly: 3, yearly: 12 }

const monthIndex = (date: string): number => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1

const firstDay = (index: number): LocalDate =>
  `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}-01`

export interface Subscription {
  readonly recurring: Recurring
  readonly startDate: LocalDate
  /** The last day of service, inclusive; `null` when open-ended. */
  readonly endDate: LocalDate | null
}

export type SkipReason = "not-recurring" | "not-due" | "not-started" | "ended"

export type BillingDecision =
  | {
    readonly _tag: "Bill"
    /** The service period billed: first and last day, inclusive. */
    readonly from: LocalDate
    readonly to: LocalDate
    /** Days of service in the period, of all its days. */
    readonly days: number
    readonly periodDays: number
  }
  | { readonly _tag: "Skip"; readonly reason: SkipReason }

/**
 * Whether a billing run for `period` bills a subscription, and for which days.
 *
 * The rule: a recurring service is billed in advance, for service periods of
 * one, three or twelve calendar months counted from the month it starts in.
 * A run for a month bills each service whose service period begins in that
 * month. When the service starts or ends inside its service period, the line
 * is prorated by days: days of service (start and end days included) over the
 * days of the service period. So a monthly service starting on 15 November
 * pays 16/30 of a month for November.
 */
export const billingDecision = (subscription: Subscription, period: BillingPeriod): BillingDecision => {
  if (subscription.recurring === "none") return { _tag: "Skip", reason: "not-recurring" }
  const length = MONTHS[subscription.recurring]
  const month = monthIndex(period)
  const startMonth = monthIndex(subscription.startDate)
  if (month < startMonth) return { _tag: "Skip", reason: "not-started" }
  if ((month - startMonth) % length !== 0) return { _tag: "Skip", reason: "not-due" }
  const from = firstDay(month)
  const to = fromDayNumber(dayNumber(firstDay(month + length)) - 1)
  const first = Math.max(dayNumber(from), dayNumber(subscription.startDate))
  const last = subscription.endDate === null ? dayNumber(to) : Math.min(dayNumber(to), dayNumber(subscription.endDate))
  if (last < first) return { _tag: "Skip", reason: "ended" }
  return { _tag: "Bill", from, to, days: last - first + 1, periodDays: dayNumber(to) - dayNumber(from) + 1 }
}

/**
 * Whether a decision bills days inside the business calendar: a quarter or a
 * year billed in advance from one of the last months would end after it.
 */
export const isWithinCalendar = (decision: BillingDecision): boolean =>
  decision._tag === "Skip" || (isInCalendar(decision.from) && isInCalendar(decision.to))

/** The first and last day of a period month. */
export const periodBounds = (period: BillingPeriod): { readonly from: LocalDate; readonly to: LocalDate } => {
  const month = monthIndex(period)
  return { from: firstDay(month), to: fromDayNumber(dayNumber(firstDay(month + 1)) - 1) }
}
