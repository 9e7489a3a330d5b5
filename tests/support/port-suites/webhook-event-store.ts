import { assert } from "@effect/vitest"
import { DateTime, Effect, Option } from "effect"
import { v7 } from "uuid"
import { type NewWebhookEvent, WebhookEventStore } from "../../../application/ports/webhook-event-store.ts"
import { at } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const received = at("2026-06-01T09:00:00.000Z")

const makeEvent = (fields: Partial<NewWebhookEvent> = {}): NewWebhookEvent => ({
  id: `EV${v7()}`,
  type: "message.received",
  payload: { object: "event", data: { object: { text: "Zoë ✓ STOP", to: ["+17205550100"], n: 1.5, ok: true, none: null } } },
  receivedAt: received,
  ...fields
})

export const webhookEventStoreSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores an event once; a redelivery of its id is a duplicate and changes nothing", () =>
      Effect.gen(function*() {
        const store = yield* WebhookEventStore
        const event = makeEvent()
        assert.strictEqual(yield* store.insertIfNew(event), "new")
        assert.strictEqual(yield* store.insertIfNew({ ...event, type: "call.completed", payload: {} }), "duplicate")
        const found = yield* store.find(event.id)
        assert.deepStrictEqual(found, Option.some({ ...event, processedAt: null, attempts: 0, lastError: null }))
        assert.deepStrictEqual(yield* store.findForUpdate(event.id), found)
        assert.isTrue(Option.isNone(yield* store.find(`EV${v7()}`)))
      }))

    it.effect("records failed attempts, then the success that clears the error", () =>
      Effect.gen(function*() {
        const store = yield* WebhookEventStore
        const event = makeEvent()
        yield* store.insertIfNew(event)
        yield* store.markFailed(event.id, { attempts: 1, error: "contact store unavailable" })
        const failed = Option.getOrThrow(yield* store.find(event.id))
        assert.deepStrictEqual([failed.attempts, failed.lastError, failed.processedAt], [1, "contact store unavailable", null])
        const done = DateTime.add(received, { minutes: 2 })
        yield* store.markProcessed(event.id, { at: done, attempts: 2 })
        const processed = Option.getOrThrow(yield* store.find(event.id))
        assert.deepStrictEqual([processed.attempts, processed.lastError], [2, null])
        assert.isTrue(processed.processedAt !== null && DateTime.Equivalence(processed.processedAt, done))
      }))

    it.effect("lists events waiting longer than the cutoff and under the attempts cap, oldest first", () =>
      Effect.gen(function*() {
        const store = yield* WebhookEventStore
        // Years no other test uses, so the list is this test's alone.
        const base = at("2001-02-03T04:00:00.000Z")
        const oldest = makeEvent({ receivedAt: base })
        const failedOnce = makeEvent({ receivedAt: DateTime.add(base, { seconds: 10 }) })
        const exhausted = makeEvent({ receivedAt: DateTime.add(base, { seconds: 20 }) })
        const processed = makeEvent({ receivedAt: DateTime.add(base, { seconds: 30 }) })
        const recent = makeEvent({ receivedAt: DateTime.add(base, { minutes: 5 }) })
        for (const event of [recent, processed, exhausted, failedOnce, oldest]) yield* store.insertIfNew(event)
        yield* store.markFailed(failedOnce.id, { attempts: 1, error: "boom" })
        yield* store.markFailed(exhausted.id, { attempts: 5, error: "boom" })
        yield* store.markProcessed(processed.id, { at: base, attempts: 1 })
        const cutoff = DateTime.add(base, { minutes: 1 })
        const waiting = yield* store.listUnprocessed({ olderThan: cutoff, maxAttempts: 5, limit: 10 })
        assert.deepStrictEqual(waiting.map((event) => event.id), [oldest.id, failedOnce.id])
        assert.strictEqual(waiting[1]?.lastError, "boom")
        const first = yield* store.listUnprocessed({ olderThan: cutoff, maxAttempts: 5, limit: 1 })
        assert.deepStrictEqual(first.map((event) => event.id), [oldest.id])
      }))
  })
