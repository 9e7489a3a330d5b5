import { DateTime, Duration, Schema } from "effect"

/** `HH:MM`, 24-hour, a wall-clock time in the recipient's zone. */
export const LocalTimeOfDay = Schema.String.check(
  Schema.isPattern(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "Expected a time of day as HH:MM (00:00-23:59)" })
)
export type LocalTimeOfDay = typeof LocalTimeOfDay.Type

/**
 * The hours in the recipient's local time when campaign texts may be sent (the
 * API calls it `quietHours`: everything outside it is quiet). Same-day windows
 * only: `start` before `end`.
 */
export const QuietHours = Schema.Struct({ start: LocalTimeOfDay, end: LocalTimeOfDay }).check(
  Schema.makeFilter((hours) => hours.start < hours.end || "The window's start must be before its end", {
    identifier: "QuietHoursOrder"
  })
).annotate({ identifier: "QuietHours" })
export type QuietHours = typeof QuietHours.Type

/**
 * 09:00-20:00: inside the federal 8 a.m.-9 p.m. window (47 CFR 64.1200(c)(1)) and
 * the stricter ones of CT, FL, MD, MS, NJ, OK (shared/reference/external-apis-facts.md 3.3).
 */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: "09:00", end: "20:00" }

/** Texts a sending number may send in one business day, shared by every campaign on it. */
export const DEFAULT_DAILY_LIMIT = 125

export const DailyLimit = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

export interface SendWindowInput {
  readonly now: DateTime.DateTime
  /**
   * The recipient's zone, or several when the number's prefix spans a zone line and
   * nothing tells which: then a text goes only while the window is open in every one.
   */
  readonly recipientZone: DateTime.TimeZone | ReadonlyArray<DateTime.TimeZone>
  readonly quietHours: QuietHours
  /** `BUSINESS_TIMEZONE`: its midnight starts a new business day and a fresh daily limit. */
  readonly businessZone: DateTime.TimeZone
  /** At least 1. */
  readonly dailyLimit: number
  /** Sends the number has counted on the business day of `now`. */
  readonly sentToday: number
  /**
   * The number's last send, for spreading; null when unknown. Only a send inside the
   * current window and business day spaces the next one.
   */
  readonly lastSentAt: DateTime.DateTime | null
}

export interface SendSlot {
  /** The earliest instant the next text may go. */
  readonly at: DateTime.Utc
  /** The business day (`YYYY-MM-DD` in the business zone) whose count the send takes. */
  readonly businessDay: string
}

/** The calendar date (`YYYY-MM-DD`) an instant falls on in a zone. */
const localDate = (instant: DateTime.DateTime, zone: DateTime.TimeZone): string =>
  DateTime.formatIsoDate(DateTime.setZone(instant, zone))

/** The business day an instant falls on, `YYYY-MM-DD` in the business zone. */
export const businessDayOf = (instant: DateTime.DateTime, businessZone: DateTime.TimeZone): string =>
  localDate(instant, businessZone)

/** The calendar date after `date`: date arithmetic on a calendar day, no zone involved. */
const nextDate = (date: string): string =>
  DateTime.formatIsoDateUtc(DateTime.add(DateTime.makeUnsafe(`${date}T00:00:00Z`), { days: 1 }))

/**
 * A wall-clock time on a date in a zone, as an instant. "compatible" resolves a time
 * inside a spring-forward gap to after the gap, and a repeated fall-back time to its
 * first occurrence, as Temporal does.
 */
const wallClock = (zone: DateTime.TimeZone, date: string, time: string): DateTime.Utc =>
  DateTime.toUtc(DateTime.makeZonedUnsafe(
    {
      year: Number(date.slice(0, 4)),
      month: Number(date.slice(5, 7)),
      day: Number(date.slice(8, 10)),
      hour: Number(time.slice(0, 2)),
      minute: Number(time.slice(3, 5)),
      second: 0,
      millisecond: 0
    },
    { timeZone: zone, adjustForTimeZone: true, disambiguation: "compatible" }
  ))

interface Interval {
  readonly start: DateTime.Utc
  readonly end: DateTime.Utc
}

/**
 * Resolving a wall-clock time costs several Intl look-ups (about 0.1 ms); a campaign
 * asks for the same few days' windows thousands of times, so they are kept. Pure
 * values keyed by everything they depend on; bounded, so never a leak.
 */
const intervals = new Map<string, Interval>()
const MEMO_CAPACITY = 4096

const memoised = (key: string, make: () => Interval): Interval => {
  const known = intervals.get(key)
  if (known !== undefined) return known
  const made = make()
  if (intervals.size >= MEMO_CAPACITY) intervals.clear()
  intervals.set(key, made)
  return made
}

/** The recipient's window on a local date. */
const windowOn = (zone: DateTime.TimeZone, date: string, hours: QuietHours): Interval =>
  memoised(`w|${DateTime.zoneToString(zone)}|${date}|${hours.start}|${hours.end}`, () => ({
    start: wallClock(zone, date, hours.start),
    end: wallClock(zone, date, hours.end)
  }))

/** The recipient's window that contains `instant`, or else the next one. */
const openWindowFrom = (instant: DateTime.Utc, zone: DateTime.TimeZone, hours: QuietHours): Interval => {
  const date = localDate(instant, zone)
  const today = windowOn(zone, date, hours)
  if (DateTime.isLessThan(instant, today.end)) return today
  return windowOn(zone, nextDate(date), hours)
}

/** A business day from its midnight to the next (23 or 25 hours across a DST change). */
const businessDay = (zone: DateTime.TimeZone, date: string): Interval =>
  memoised(`d|${DateTime.zoneToString(zone)}|${date}`, () => ({
    start: wallClock(zone, date, "00:00"),
    end: wallClock(zone, nextDate(date), "00:00")
  }))

/** A slot is found within a few steps (one per zone and per business day); the bound guards against windows that never overlap. */
const MAX_STEPS = 32

const zoneList = (zones: DateTime.TimeZone | ReadonlyArray<DateTime.TimeZone>): ReadonlyArray<DateTime.TimeZone> =>
  DateTime.isTimeZone(zones) ? [zones] : zones

/** The earliest instant from `from` at which every zone's window is open, with the common window. */
const commonWindowFrom = (from: DateTime.Utc, zones: ReadonlyArray<DateTime.TimeZone>, hours: QuietHours) => {
  let candidate = from
  for (let step = 0; step < MAX_STEPS; step++) {
    const windows = zones.map((zone) => openWindowFrom(candidate, zone, hours))
    const start = DateTime.toUtc(windows.map((window) => window.start).reduce((a, b) => DateTime.max(a, b)))
    if (DateTime.isLessThan(candidate, start)) {
      // Moving to the latest start may pass another zone's close: look again from there.
      candidate = start
      continue
    }
    const end = DateTime.toUtc(windows.map((window) => window.end).reduce((a, b) => DateTime.min(a, b)))
    return { at: candidate, start, end }
  }
  return undefined
}

/**
 * The next instant a campaign text may be sent to a recipient: inside the recipient's
 * local window, on a business day whose count is under the number's limit, and not
 * sooner than the spread allows. Spreading: after a send at `last`, with `r` sends
 * left today and the window (or business day) closing at `end`, the next waits
 * (end - last) / (r + 1); repeating it spaces the day's sends evenly up to the close
 * instead of spending the allowance in the window's first minute.
 */
export const nextSendSlot = (input: SendWindowInput): SendSlot => {
  const now = DateTime.toUtc(input.now)
  const today = businessDayOf(now, input.businessZone)
  const limit = Math.max(1, input.dailyLimit)
  const listed = zoneList(input.recipientZone)
  const zones = listed.length > 0 ? listed : [input.businessZone]
  let candidate = now
  for (let step = 0; step < MAX_STEPS; step++) {
    const window = commonWindowFrom(candidate, zones, input.quietHours)
    if (window === undefined) {
      // Zones whose windows never overlap (not the case for any US prefix): keep the first one's.
      return nextSendSlot({ ...input, recipientZone: zones.slice(0, 1) })
    }
    candidate = window.at
    const day = businessDayOf(candidate, input.businessZone)
    const dayBounds = businessDay(input.businessZone, day)
    const used = day === today ? input.sentToday : 0
    if (used >= limit) {
      candidate = dayBounds.end
      continue
    }
    const end = DateTime.min(window.end, dayBounds.end)
    const last = input.lastSentAt === null ? null : DateTime.toUtc(input.lastSentAt)
    if (
      last !== null && day === today &&
      DateTime.isGreaterThanOrEqualTo(last, window.start) && DateTime.isGreaterThanOrEqualTo(last, dayBounds.start)
    ) {
      const gapMillis = Math.floor(Duration.toMillis(DateTime.distance(last, end)) / (limit - used + 1))
      candidate = DateTime.max(candidate, DateTime.add(last, { milliseconds: gapMillis }))
    }
    return { at: candidate, businessDay: day }
  }
  return { at: candidate, businessDay: businessDayOf(candidate, input.businessZone) }
}
