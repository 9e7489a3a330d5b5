import { randomInt } from "node:crypto"
import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { v7 } from "uuid"
import { OptOutLog } from "../../../application/ports/opt-out-log.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { MessageId } from "../../../domain/messaging/message.ts"
import { type OptOutEvent, OptOutEventId } from "../../../domain/messaging/opt-out-event.ts"
import { at } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

/** A number no other test uses (the suites of a file share one database): ten random digits. */
export const freshPhone = (): string => `+1${randomInt(2_000_000_000, 10_000_000_000)}`

export const optOutEvent = (phone: string, fields: Partial<OptOutEvent> = {}): OptOutEvent => ({
  id: OptOutEventId.make(v7()),
  phone,
  action: "opt-out",
  source: "keyword",
  keyword: "STOP",
  messageId: MessageId.make(v7()),
  occurredAt: at("2026-05-01T12:00:00.000Z"),
  ...fields
})

const optIn = (phone: string, fields: Partial<OptOutEvent> = {}) =>
  optOutEvent(phone, { action: "opt-in", source: "api", keyword: null, messageId: null, ...fields })

export const optOutLogSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("keeps every entry of a number, oldest first, and only that number's", () =>
      Effect.gen(function*() {
        const log = yield* OptOutLog
        const phone = freshPhone()
        const other = freshPhone()
        const later = optIn(phone, { occurredAt: at("2026-05-02T09:00:00.000Z") })
        const earlier = optOutEvent(phone, { keyword: "OPT OUT" })
        // Recorded out of order: the log orders by when they happened.
        yield* log.record(later)
        yield* log.record(earlier)
        yield* log.record(optOutEvent(other))
        assert.deepStrictEqual(yield* log.history(phone), [earlier, later])
        assert.deepStrictEqual(yield* log.history(freshPhone()), [])
      }))

    it.effect("calls a number opted out when its latest entry is an opt-out", () =>
      Effect.gen(function*() {
        const log = yield* OptOutLog
        const phone = freshPhone()
        assert.isFalse(yield* log.isOptedOut([phone]))
        yield* log.record(optOutEvent(phone))
        assert.isTrue(yield* log.isOptedOut([phone]))
        yield* log.record(optIn(phone, { occurredAt: at("2026-05-01T12:05:00.000Z") }))
        assert.isFalse(yield* log.isOptedOut([phone]))
        // A late-recorded entry that happened earlier does not decide.
        yield* log.record(optOutEvent(phone, { occurredAt: at("2026-05-01T12:01:00.000Z") }))
        assert.isFalse(yield* log.isOptedOut([phone]))
        yield* log.record(optOutEvent(phone, { source: "api", keyword: null, messageId: null, occurredAt: at("2026-05-03T00:00:00.000Z") }))
        assert.isTrue(yield* log.isOptedOut([phone]))
      }))

    it.effect("orders entries of the same instant by id, so the later-made one decides", () =>
      Effect.gen(function*() {
        const log = yield* OptOutLog
        const phone = freshPhone()
        const first = optOutEvent(phone)
        const second = optIn(phone, { occurredAt: first.occurredAt })
        yield* log.record(second)
        yield* log.record(first)
        assert.deepStrictEqual((yield* log.history(phone)).map((e) => e.id), [first.id, second.id])
        assert.isFalse(yield* log.isOptedOut([phone]))
      }))

    it.effect("calls a set of numbers opted out when any one is, and no numbers not opted out", () =>
      Effect.gen(function*() {
        const log = yield* OptOutLog
        const [a, b, c] = [freshPhone(), freshPhone(), freshPhone()]
        yield* log.record(optOutEvent(b))
        yield* log.record(optIn(c))
        assert.isTrue(yield* log.isOptedOut([a, b, c]))
        assert.isTrue(yield* log.isOptedOut([c, b, b]))
        assert.isFalse(yield* log.isOptedOut([a, c]))
        assert.isFalse(yield* log.isOptedOut([]))
        // The batch form names which ones, once each.
        const d = freshPhone()
        yield* log.record(optOutEvent(d))
        yield* log.record(optIn(d))
        yield* log.record(optOutEvent(d))
        assert.deepStrictEqual([...(yield* log.optedOutAmong([a, b, c, d, b]))].sort(), [b, d].sort())
        assert.strictEqual((yield* log.optedOutAmong([])).size, 0)
      }))

    it.effect("keeps an entry recorded in a transaction only when it commits", () =>
      Effect.gen(function*() {
        const log = yield* OptOutLog
        const tx = yield* Transactor
        const phone = freshPhone()
        yield* Effect.exit(tx.withTransaction(Effect.andThen(log.record(optOutEvent(phone)), Effect.die("boom"))))
        assert.deepStrictEqual(yield* log.history(phone), [])
        yield* tx.withTransaction(Effect.andThen(log.isOptedOut([phone]), log.record(optOutEvent(phone))))
        assert.isTrue(yield* log.isOptedOut([phone]))
      }))
  })
