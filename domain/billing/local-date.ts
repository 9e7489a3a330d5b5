import { Schema } from "effect"

const DAY_MS = 86_400_000

const isRealDate = (text: string): boolean => {
  const date = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text
}

/** A calendar date without time or zone, `YYYY-MM-DD`. */
export const LocalDate = Schema.String.check(
  Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u, { message: "Expected a date as YYYY-MM-DD" }),
  Schema.makeFilter((text: string) => isRealDate(text) ? undefined : "Not a real calendar date")
).annotate({ description: "A date, YYYY-MM-DD", examples: ["2026-11-21"] })
export type LocalDate = typeof LocalDate.Type

/** Days since 1970-01-01. */
export const dayNumber = (date: LocalDate): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS)

export const fromDayNumber = (day: number): LocalDate => new Date(day * DAY_MS).toISOString().slice(0, 10)

export const addDays = (date: LocalDate, days: number): LocalDate => fromDayNumber(dayNumber(date) + days)

/** The UTC date of an instant. */
export const dateOfEpochMillis = (millis: number): LocalDate => new Date(millis).toISOString().slice(0, 10)

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number => dayNumber(to) - dayNumber(from)
