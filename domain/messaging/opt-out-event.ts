import { DateTime, Schema } from "effect"
import { E164 } from "../phone.ts"
import { Uuid } from "../uuid.ts"
import { MessageId } from "./message.ts"

export const OptOutEventId = Uuid.pipe(Schema.brand("OptOutEventId"))
export type OptOutEventId = typeof OptOutEventId.Type

export const OptOutAction = Schema.Literals(["opt-out", "opt-in"])
export type OptOutAction = typeof OptOutAction.Type

/** A keyword texted by the person, or a change the business made through the API. */
export const OptOutSource = Schema.Literals(["keyword", "api"])
export type OptOutSource = typeof OptOutSource.Type

/**
 * One entry of the append-only opt-out log. Opt-out is kept per phone number,
 * not per contact, so it survives contact merges and their undo; a number's
 * latest entry is its state.
 */
export const OptOutEvent = Schema.Struct({
  id: OptOutEventId,
  phone: E164,
  action: OptOutAction,
  source: OptOutSource,
  /** The keyword as matched, upper-case (e.g. `STOP`, `OPT OUT`), for a keyword. */
  keyword: Schema.NullOr(Schema.String),
  /** The inbound text that carried the keyword, when known. */
  messageId: Schema.NullOr(MessageId),
  occurredAt: Schema.DateTimeUtc
}).annotate({ identifier: "OptOutEvent" })
export type OptOutEvent = typeof OptOutEvent.Type

/** Whether a number's entries, in any order, leave it opted out: the latest (by time, then id) decides. */
export const isOptedOutBy = (events: ReadonlyArray<OptOutEvent>): boolean => {
  const latest = events.reduce<OptOutEvent | undefined>((last, event) =>
    last === undefined || compareEvents(event, last) > 0 ? event : last, undefined)
  return latest?.action === "opt-out"
}

/** Log order: by time, then by id (UUIDv7, so creation order) for entries of the same instant. */
export const compareEvents = (a: OptOutEvent, b: OptOutEvent): number => {
  const time = DateTime.toEpochMillis(a.occurredAt) - DateTime.toEpochMillis(b.occurredAt)
  return time !== 0 ? time : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
