import { Schema } from "effect"

const DAY_MS = 86_400_000

/**
 * The business calendar: every date the system takes or derives (purchase
 * dates, issue and due dates, billing periods, report ranges, payment
 * instants) lies in these years. Wide enough for any real record, narrow
 * enough that derived dates (a due date a year on) stay four-digit years
 * PostgreSQL and `Date` both read the same way.
 */
export const MIN_DATE = "1900-01-01"
export const MAX_DATE = "2199-12-31"

/** Whether a `YYYY-MM-DD` date lies in the business calendar. */
export const isInCalendar = (date: string): boolean => date >= MIN_DATE && date <= MAX_DATE

/** Whether `YYYY-MM-DD` names a day that exists (no 30 February). */
export const isRealDate = (text: string): boolean => {
  const date = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text
}

export const OUT_OF_CALENDAR = `Expected a date from ${MIN_DATE} to ${MAX_DATE}`

/** A calendar date without time or zone, `YYYY-MM-DD`, from 1900-01-01 to 2199-12-31. */
export const LocalDate = Schema.String.annotate({ format: "date" }).check(
  Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u, { message: "Expected a date as YYYY-MM-DD" }),
  // `format: date` says these in JSON Schema, approximately; a filter with
  // no JSON Schema form would drop the description annotated onto it.
  // Each of the two filters marks the JSON Schema approximate on its own, so a
  // mutant of one of them changes nothing the document shows; the last carries
  // the description and examples, so its fragment may also be empty.
  Schema.makeFilter(
    (text: string) => isRealDate(text) ? undefined : "Not a real calendar date",
    // Stryker disable next-line BooleanLiteral,ObjectLiteral: the next filter is approximate too (any array result counts as approximate)
    { toJsonSchema: () => [{}, true] }
  ),
  Schema.makeFilter(
    (text: string) => isInCalendar(text) ? undefined : OUT_OF_CALENDAR,
    // Stryker disable next-line ArrayDeclaration,BooleanLiteral,ArrowFunction: the previous filter is approximate too, and this one's description and examples stand in for an empty fragment
    { toJsonSchema: () => [{}, true] }
  )
).annotate({
  // Last, so a field's own `.annotate({ description })` replaces it rather
  // than being nested beside it.
  description: `A date, YYYY-MM-DD, from ${MIN_DATE} to ${MAX_DATE}`,
  examples: ["2026-11-21"]
})
export type LocalDate = typeof LocalDate.Type

/** Days since 1970-01-01. */
export const dayNumber = (date: LocalDate): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS)

export const fromDayNumber = (day: number): LocalDate => new Date(day * DAY_MS).toISOString().slice(0, 10)

export const addDays = (date: LocalDate, days: number): LocalDate => fromDayNumber(dayNumber(date) + days)

/** The UTC date of an instant. */
export const dateOfEpochMillis = (millis: number): LocalDate => new Date(millis).toISOString().slice(0, 10)

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number => dayNumber(to) - dayNumber(from)
