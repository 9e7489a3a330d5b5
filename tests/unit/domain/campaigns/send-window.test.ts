import { assert, describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import {
  businessDayOf,
  DEFAULT_DAILY_LIMIT,
  DEFAULT_QUIET_HOURS,
  nextSendSlot,
  QuietHours,
  type SendWindowInput
} from "../../../../domain/campaigns/send-window.ts"

const zone = DateTime.zoneMakeNamedUnsafe
const NEW_YORK = zone("America/New_York")
const LOS_ANGELES = zone("America/Los_Angeles")
const HONOLULU = zone("Pacific/Honolulu")
const BOISE = zone("America/Boise")
const at = (iso: string) => DateTime.makeUnsafe(iso)
const iso = (instant: DateTime.DateTime) => DateTime.formatIso(instant)

const input = (overrides: Partial<SendWindowInput> & Pick<SendWindowInput, "now">): SendWindowInput => ({
  recipientZone: NEW_YORK,
  quietHours: DEFAULT_QUIET_HOURS,
  businessZone: NEW_YORK,
  dailyLimit: DEFAULT_DAILY_LIMIT,
  sentToday: 0,
  lastSentAt: null,
  ...overrides
})
const slot = (overrides: Partial<SendWindowInput> & Pick<SendWindowInput, "now">) => {
  const next = nextSendSlot(input(overrides))
  return { at: iso(next.at), businessDay: next.businessDay }
}

describe("nextSendSlot: quiet hours in the recipient's zone", () => {
  it("sends at once inside the window, and waits for 09:00 before it or the next day's after it", () => {
    // 2026-06-10: New York is on EDT (UTC-4).
    expect(slot({ now: at("2026-06-10T15:00:00Z") })).toEqual({ at: "2026-06-10T15:00:00.000Z", businessDay: "2026-06-10" })
    expect(slot({ now: at("2026-06-10T10:00:00Z") }).at).toBe("2026-06-10T13:00:00.000Z")
    expect(slot({ now: at("2026-06-11T00:00:00Z") }).at).toBe("2026-06-11T13:00:00.000Z") // 20:00 EDT: closed
    expect(slot({ now: at("2026-06-10T23:59:59Z") }).at).toBe("2026-06-10T23:59:59.000Z") // 19:59:59 EDT: open
  })

  it("opens at 09:00 local on both sides of the spring-forward night (New York, 2026-03-08)", () => {
    // Saturday 20:30 EST: closed; Sunday 09:00 is EDT, 13:00Z, not 24 hours after Saturday's 14:00Z.
    expect(slot({ now: at("2026-03-08T01:30:00Z") }).at).toBe("2026-03-08T13:00:00.000Z")
    expect(slot({ now: at("2026-03-07T12:00:00Z") }).at).toBe("2026-03-07T14:00:00.000Z")
    // A window starting inside the skipped hour (02:30 does not exist) opens when the clock reads 03:00 EDT onwards.
    const early: QuietHours = { start: "02:30", end: "20:00" }
    expect(slot({ now: at("2026-03-08T05:00:00Z"), quietHours: early }).at).toBe("2026-03-08T07:30:00.000Z")
  })

  it("opens at 09:00 local on both sides of the fall-back night (New York, 2026-11-01)", () => {
    expect(slot({ now: at("2026-10-31T12:00:00Z") }).at).toBe("2026-10-31T13:00:00.000Z") // EDT
    expect(slot({ now: at("2026-11-01T01:00:00Z") }).at).toBe("2026-11-01T14:00:00.000Z") // EST after the change
    // 20:00 EST closes at 01:00Z: 00:30Z is 19:30 EST, still open.
    expect(slot({ now: at("2026-11-02T00:30:00Z") }).at).toBe("2026-11-02T00:30:00.000Z")
    expect(slot({ now: at("2026-11-02T01:00:00Z") }).at).toBe("2026-11-02T14:00:00.000Z")
  })

  it("keeps Los Angeles and Honolulu apart: two hours in summer, three in winter", () => {
    // 17:00Z on 1 July: 10:00 PDT (open), 07:00 HST (closed until 09:00 HST = 19:00Z).
    expect(slot({ now: at("2026-07-01T17:00:00Z"), recipientZone: LOS_ANGELES }).at).toBe("2026-07-01T17:00:00.000Z")
    expect(slot({ now: at("2026-07-01T17:00:00Z"), recipientZone: HONOLULU }).at).toBe("2026-07-01T19:00:00.000Z")
    // In January Los Angeles is on PST: 09:00 is 17:00Z; Hawaii keeps no DST: still 19:00Z.
    expect(slot({ now: at("2026-01-15T12:00:00Z"), recipientZone: LOS_ANGELES }).at).toBe("2026-01-15T17:00:00.000Z")
    expect(slot({ now: at("2026-01-15T12:00:00Z"), recipientZone: HONOLULU }).at).toBe("2026-01-15T19:00:00.000Z")
  })

  it("with several possible zones, sends only while the window is open in all of them", () => {
    // Idaho's 208: Boise (MDT) or Los Angeles (PDT). 15:30Z is 09:30 MDT but 08:30 PDT.
    const both = [BOISE, LOS_ANGELES]
    expect(slot({ now: at("2026-07-01T15:30:00Z"), recipientZone: both }).at).toBe("2026-07-01T16:00:00.000Z")
    // 02:30Z is 19:30 PDT but 20:30 MDT: closed until 09:00 PDT the next day.
    expect(slot({ now: at("2026-07-02T02:30:00Z"), recipientZone: both }).at).toBe("2026-07-02T16:00:00.000Z")
  })
})

describe("nextSendSlot: the daily limit in the business's day", () => {
  it("waits for the business's next day once the number has used its limit", () => {
    expect(slot({ now: at("2026-06-10T15:00:00Z"), sentToday: 125 })).toEqual({
      at: "2026-06-11T13:00:00.000Z", // midnight EDT, then the recipient's 09:00
      businessDay: "2026-06-11"
    })
    expect(slot({ now: at("2026-06-10T15:00:00Z"), sentToday: 124 }).businessDay).toBe("2026-06-10")
  })

  it("a New York business texting Honolulu: a fresh limit at New York's midnight, inside Honolulu's evening", () => {
    // 03:30Z on 2 July is 23:30 EDT on 1 July (limit used) and 17:30 HST (open until 20:00 HST = 06:00Z).
    expect(slot({ now: at("2026-07-02T03:30:00Z"), recipientZone: HONOLULU, sentToday: 125 })).toEqual({
      at: "2026-07-02T04:00:00.000Z",
      businessDay: "2026-07-02"
    })
  })

  it("a Honolulu business texting New York: the next business day starts before New York's window opens", () => {
    // 20:00Z on 1 July: 10:00 HST (limit used); Honolulu's 2 July starts 10:00Z, New York opens 13:00Z.
    expect(slot({ now: at("2026-07-01T20:00:00Z"), businessZone: HONOLULU, sentToday: 125 })).toEqual({
      at: "2026-07-02T13:00:00.000Z",
      businessDay: "2026-07-02"
    })
  })

  it("names the business day in the business's zone, not UTC's", () => {
    expect(businessDayOf(at("2026-07-02T03:30:00Z"), NEW_YORK)).toBe("2026-07-01")
    expect(businessDayOf(at("2026-07-02T04:00:00Z"), NEW_YORK)).toBe("2026-07-02")
    expect(businessDayOf(at("2026-07-02T09:59:59Z"), HONOLULU)).toBe("2026-07-01")
  })
})

describe("nextSendSlot: spreading", () => {
  /** Sends a day's texts as a campaign would: each at its slot, counting it and remembering it. */
  const day = (start: string, limit: number, overrides: Partial<SendWindowInput> = {}) => {
    const sends: Array<DateTime.Utc> = []
    let now: DateTime.DateTime = at(start)
    let sentToday = 0
    let lastSentAt: DateTime.DateTime | null = null
    let today = ""
    for (let i = 0; i < limit + 1; i++) {
      const next = nextSendSlot(input({ now, sentToday, lastSentAt, dailyLimit: limit, ...overrides }))
      if (today !== "" && next.businessDay !== today) sentToday = 0
      today = next.businessDay
      sends.push(next.at)
      sentToday += 1
      lastSentAt = next.at
      now = next.at
    }
    return sends
  }

  it("spaces a day's allowance evenly over the open window, not all in its first minute", () => {
    const sends = day("2026-06-10T13:00:00Z", 125) // 09:00 EDT, an 11-hour window
    const today = sends.slice(0, 125)
    expect(iso(today[0]!)).toBe("2026-06-10T13:00:00.000Z")
    const gaps = today.slice(1).map((send, i) => DateTime.toEpochMillis(send) - DateTime.toEpochMillis(today[i]!))
    // 11 h / 125 = 316.8 s between sends, within rounding to the millisecond.
    for (const gap of gaps) expect(Math.abs(gap - 316_800)).toBeLessThanOrEqual(1)
    expect(DateTime.toEpochMillis(today[124]!)).toBeLessThan(DateTime.toEpochMillis(at("2026-06-11T00:00:00Z")))
    // The 126th waits for the next business day's window.
    expect(iso(sends[125]!)).toBe("2026-06-11T13:00:00.000Z")
  })

  it("spreads the rest of the allowance over the rest of the window when a campaign starts late", () => {
    const sends = day("2026-06-10T22:00:00Z", 4) // 18:00 EDT: two hours left for four texts
    expect(sends.slice(0, 4).map(iso)).toEqual([
      "2026-06-10T22:00:00.000Z",
      "2026-06-10T22:30:00.000Z", // 120 min / (3 left + 1)
      "2026-06-10T23:00:00.000Z", // 90 min / (2 left + 1)
      "2026-06-10T23:30:00.000Z"
    ])
  })

  it("does not space the first send of a window after one made the day before", () => {
    expect(slot({ now: at("2026-06-11T13:00:00Z"), lastSentAt: at("2026-06-10T23:59:00Z") }).at)
      .toBe("2026-06-11T13:00:00.000Z")
  })

  it.effect("reads now from the clock: the same answer under a TestClock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(at("2026-03-08T01:30:00Z")))
      const now = yield* DateTime.now
      assert.strictEqual(iso(nextSendSlot(input({ now })).at), "2026-03-08T13:00:00.000Z")
    }))
})

describe("QuietHours", () => {
  it("accepts HH:MM windows whose start is before their end", () => {
    const decode = Schema.decodeUnknownExit(QuietHours)
    expect(decode({ start: "08:00", end: "21:00" })._tag).toBe("Success")
    for (const bad of [{ start: "9:00", end: "20:00" }, { start: "20:00", end: "09:00" }, { start: "09:00", end: "24:00" }]) {
      expect(decode(bad)._tag, JSON.stringify(bad)).toBe("Failure")
    }
  })
})
