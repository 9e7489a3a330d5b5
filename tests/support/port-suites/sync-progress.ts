import { assert } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { v7 } from "uuid"
import { type SyncCheckpoint, SyncProgress } from "../../../application/ports/sync-progress.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { at } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

class Crash extends Schema.TaggedError<Crash>()("Crash", {}) {}

const checkpoint = (fields: Partial<SyncCheckpoint> = {}): SyncCheckpoint => ({
  key: `since:${v7()}`,
  source: "conversations",
  pageCursor: null,
  doneInPage: [],
  participant: null,
  messagePageToken: null,
  totals: { pages: 0, messages: 0, contactsCreated: 0, participants: 0 },
  startedAt: at("2026-05-01T12:00:00.000Z"),
  updatedAt: at("2026-05-01T12:00:00.000Z"),
  finishedAt: null,
  ...fields
})

/** Backfill checkpoints: read back as saved, replaced by key, and rolled back with their transaction. */
export const syncProgressSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("reads back what was saved, every field, and nothing for an unknown key", () =>
      Effect.gen(function*() {
        const progress = yield* SyncProgress
        const saved = checkpoint({
          source: "contacts",
          pageCursor: "0190a0b0-0000-7000-8000-000000000001",
          doneInPage: ["+14155552671", "+442079460958"],
          participant: "+14155550123",
          messagePageToken: "token with spaces & ünïcode",
          totals: { pages: 7, messages: 140, contactsCreated: 3, participants: 2 },
          updatedAt: at("2026-05-01T12:03:04.567Z"),
          finishedAt: null
        })
        yield* progress.save(saved)
        assert.deepStrictEqual(yield* progress.find(saved.key), Option.some(saved))
        assert.deepStrictEqual(yield* progress.find(`since:${v7()}`), Option.none())
      }))

    it.effect("replaces the checkpoint of the same key, and keeps other keys apart", () =>
      Effect.gen(function*() {
        const progress = yield* SyncProgress
        const first = checkpoint({ pageCursor: "page-2", participant: "+14155552671", messagePageToken: "m-3" })
        const other = checkpoint()
        yield* progress.save(first)
        yield* progress.save(other)
        const moved = {
          ...first,
          pageCursor: "page-3",
          doneInPage: [],
          participant: null,
          messagePageToken: null,
          totals: { ...first.totals, pages: 4 },
          finishedAt: at("2026-05-01T13:00:00.000Z")
        }
        yield* progress.save(moved)
        assert.deepStrictEqual(yield* progress.find(first.key), Option.some(moved))
        assert.deepStrictEqual(yield* progress.find(other.key), Option.some(other))
      }))

    it.effect("a checkpoint saved in a transaction that fails is not kept", () =>
      Effect.gen(function*() {
        const progress = yield* SyncProgress
        const tx = yield* Transactor
        const before = checkpoint({ messagePageToken: "m-1", participant: "+14155552671" })
        yield* progress.save(before)
        const failed = yield* tx.withTransaction(Effect.gen(function*() {
          yield* progress.save({ ...before, messagePageToken: "m-2" })
          return yield* new Crash()
        })).pipe(Effect.flip)
        assert.strictEqual(failed._tag, "Crash")
        assert.deepStrictEqual(yield* progress.find(before.key), Option.some(before))
      }))
  })
