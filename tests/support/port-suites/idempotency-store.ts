import { assert } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { v7 } from "uuid"
import { IdempotencyStore, type IdempotencyScope, type StoredResponse } from "../../../application/ports/idempotency-store.ts"
import { at } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const now = at("2026-05-01T12:00:00.000Z")
const scope = (key = `key-${v7()}`, tokenId = v7()): IdempotencyScope => ({ tokenId, key })
const created: StoredResponse = {
  status: 201,
  body: JSON.stringify({ id: "c-1", name: "Zoë ✓" }),
  headers: { "content-type": "application/json", location: "/api/contacts/c-1" }
}

export const idempotencyStoreSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("claims a key once; the same request is in progress, then replays; another request is a mismatch", () =>
      Effect.gen(function*() {
        const store = yield* IdempotencyStore
        const key = scope()
        assert.deepStrictEqual(yield* store.claim(key, "fp-1", now), { _tag: "Claimed" })
        assert.deepStrictEqual(yield* store.claim(key, "fp-1", now), { _tag: "InProgress" })
        assert.deepStrictEqual(yield* store.claim(key, "fp-2", now), { _tag: "Mismatch" })
        yield* store.complete(key, created)
        assert.deepStrictEqual(yield* store.claim(key, "fp-1", now), { _tag: "Replay", response: created })
        assert.deepStrictEqual(yield* store.claim(key, "fp-2", now), { _tag: "Mismatch" })
        // A stored response without headers or body replays as such.
        const empty = scope()
        yield* store.claim(empty, "fp", now)
        yield* store.complete(empty, { status: 204, body: "", headers: {} })
        assert.deepStrictEqual(yield* store.claim(empty, "fp", now), { _tag: "Replay", response: { status: 204, body: "", headers: {} } })
      }))

    it.effect("keeps keys apart per token", () =>
      Effect.gen(function*() {
        const store = yield* IdempotencyStore
        const first = scope("shared-key")
        const second = scope("shared-key")
        assert.deepStrictEqual(yield* store.claim(first, "fp-a", now), { _tag: "Claimed" })
        assert.deepStrictEqual(yield* store.claim(second, "fp-b", now), { _tag: "Claimed" })
        yield* store.complete(first, created)
        assert.deepStrictEqual(yield* store.claim(second, "fp-b", now), { _tag: "InProgress" })
      }))

    it.effect("releases an unfinished claim so a retry runs again, but never forgets a finished one", () =>
      Effect.gen(function*() {
        const store = yield* IdempotencyStore
        const failed = scope()
        yield* store.claim(failed, "fp", now)
        yield* store.release(failed)
        assert.deepStrictEqual(yield* store.claim(failed, "fp-retry", now), { _tag: "Claimed" })
        const done = scope()
        yield* store.claim(done, "fp", now)
        yield* store.complete(done, created)
        yield* store.release(done)
        assert.deepStrictEqual(yield* store.claim(done, "fp", now), { _tag: "Replay", response: created })
      }))

    it.effect("takes over a claim left unfinished for more than five minutes", () =>
      Effect.gen(function*() {
        const store = yield* IdempotencyStore
        const key = scope()
        yield* store.claim(key, "fp-dead", now)
        assert.deepStrictEqual(yield* store.claim(key, "fp-new", DateTime.add(now, { minutes: 5 })), { _tag: "Mismatch" })
        assert.deepStrictEqual(yield* store.claim(key, "fp-new", DateTime.add(now, { minutes: 5, seconds: 1 })), { _tag: "Claimed" })
        // The new claim is the one that counts: its request, its clock.
        assert.deepStrictEqual(yield* store.claim(key, "fp-new", DateTime.add(now, { minutes: 6 })), { _tag: "InProgress" })
        const finished = scope()
        yield* store.claim(finished, "fp", now)
        yield* store.complete(finished, created)
        assert.deepStrictEqual(yield* store.claim(finished, "fp", DateTime.add(now, { days: 1 })), { _tag: "Replay", response: created })
      }))

    it.effect("purges keys created before a cutoff and says how many", () =>
      Effect.gen(function*() {
        const store = yield* IdempotencyStore
        // Long before any other test's keys, so the count is this test's alone.
        const old = [scope(), scope(), scope()]
        yield* store.claim(old[0]!, "fp", at("2001-01-01T00:00:00Z"))
        yield* store.claim(old[1]!, "fp", at("2001-01-02T00:00:00Z"))
        yield* store.complete(old[1]!, created)
        yield* store.claim(old[2]!, "fp", at("2001-01-03T00:00:00Z"))
        assert.strictEqual(yield* store.purgeCreatedBefore(at("2001-01-03T00:00:00Z")), 2)
        assert.strictEqual(yield* store.purgeCreatedBefore(at("2001-01-03T00:00:00Z")), 0)
        const later = at("2001-01-03T00:00:01Z")
        assert.deepStrictEqual(yield* store.claim(old[0]!, "fp", later), { _tag: "Claimed" })
        assert.deepStrictEqual(yield* store.claim(old[1]!, "fp", later), { _tag: "Claimed" })
        assert.deepStrictEqual(yield* store.claim(old[2]!, "fp", later), { _tag: "InProgress" })
      }))
  })
