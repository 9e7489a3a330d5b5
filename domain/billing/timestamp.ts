import { DateTime, Effect, Schema, SchemaIssue, SchemaTransformation } from "effect"
import { isRealDate, MAX_DATE, MIN_DATE } from "./local-date.ts"

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/u
/** RFC 3339 `date-time`: seconds required, an offset required ("Z" or ±hh:mm). */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/u

const FIRST_INSTANT = Date.parse(`${MIN_DATE}T00:00:00Z`)
const LAST_INSTANT = Date.parse(`${MAX_DATE}T23:59:59.999Z`)

const EXPECTED_DATE_TIME = "a date-time with an offset (RFC 3339), such as 2026-11-21T15:04:05Z or 2026-11-21T10:04:05-05:00"

type Parsed = { readonly millis: number } | { readonly problem: string }

const inCalendar = (millis: number): Parsed =>
  millis >= FIRST_INSTANT && millis <= LAST_INSTANT
    ? { millis }
    : { problem: `Expected an instant from ${MIN_DATE}T00:00:00Z to ${MAX_DATE}T23:59:59.999Z` }

/**
 * Epoch milliseconds of an RFC 3339 date-time (or, when `dateOnly`, of a
 * `YYYY-MM-DD` date at 00:00 UTC), or why the text is not one. Every field
 * must exist as written: 30 February or 24:00 is refused, never rolled over.
 */
const parseInstant = (text: string, dateOnly: boolean): Parsed => {
  if (dateOnly && DATE_ONLY.test(text)) {
    return isRealDate(text) ? inCalendar(Date.parse(`${text}T00:00:00Z`)) : { problem: "Not a real calendar date" }
  }
  const match = DATE_TIME.exec(text)
  if (match === null) return { problem: `Expected ${dateOnly ? `a date (YYYY-MM-DD) or ${EXPECTED_DATE_TIME}` : EXPECTED_DATE_TIME}` }
  const [, date = "", hours, minutes, seconds, fraction = "", zulu, sign, offsetHours, offsetMinutes] = match
  if (!isRealDate(date)) return { problem: "Not a real calendar date" }
  // Leap seconds (:60) have no instant of their own in JavaScript or PostgreSQL.
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return { problem: "Not a real time of day" }
  if (fraction.length > 3) return { problem: "Expected at most 3 decimals of a second (milliseconds)" }
  if (zulu === undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return { problem: "Not a real UTC offset" }
  const local = Date.parse(`${date}T00:00:00Z`) +
    ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(fraction.padEnd(3, "0"))
  const offset = zulu === undefined ? (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 : 0
  return inCalendar(local - offset)
}

/**
 * An instant as a client writes it, decoded to UTC: an RFC 3339 date-time
 * with an offset, or also (`dateOnly`) a date meaning its first moment in UTC.
 * The annotations document the written form.
 */
export const instantInput = (
  dateOnly: boolean,
  annotations: { readonly description: string; readonly examples: ReadonlyArray<string> }
) =>
  Schema.String.annotate({
    description: annotations.description,
    examples: [...annotations.examples],
    ...(dateOnly ? {} : { format: "date-time" })
  }).check(Schema.makeFilter((text: string) => {
    const parsed = parseInstant(text, dateOnly)
    return "problem" in parsed ? parsed.problem : undefined
  })).pipe(
    Schema.decodeTo(
      Schema.DateTimeUtc,
      SchemaTransformation.transformEffect<DateTime.Utc, string>({
        decode: (text, options) => {
          const parsed = parseInstant(text, dateOnly)
          return "millis" in parsed
            ? Effect.succeed(DateTime.makeUnsafe(parsed.millis))
            : Effect.fail(new SchemaIssue.InvalidValue({ expected: parsed.problem }, text, options))
        },
        encode: (instant) => Effect.succeed(DateTime.formatIso(instant))
      })
    )
  )

/** An instant as a client writes it: an RFC 3339 date-time with an offset, decoded to UTC. */
export const Timestamp = instantInput(false, {
  description: `A date-time with an offset (RFC 3339), from ${MIN_DATE}T00:00:00Z to ${MAX_DATE}T23:59:59.999Z`,
  examples: ["2026-11-21T15:04:05Z", "2026-11-21T10:04:05-05:00"]
})

/** An instant, or a date meaning its first moment in UTC; decoded to UTC. */
export const DateOrTimestamp = instantInput(true, {
  description: `A date (YYYY-MM-DD, at 00:00 UTC) or a date-time with an offset (RFC 3339), from ${MIN_DATE} to ${MAX_DATE}`,
  examples: ["2026-11-21", "2026-11-21T15:04:05Z"]
})
