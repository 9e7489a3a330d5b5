import { assert } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { v7 } from "uuid"
import { AccountingSyncLog, type SyncLogEntry } from "../../../application/ports/accounting-sync-log.ts"
import { at } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const base = at("2026-07-01T09:00:00.000Z")

const entry = (fields: Partial<SyncLogEntry> = {}): SyncLogEntry => ({
  id: v7(),
  at: base,
  kind: "invoice",
  crmId: v7(),
  qboId: "145",
  action: "create",
  outcome: "succeeded",
  error: null,
  detail: null,
  ...fields
})

/**
 * The sync log: every attempt as written, newest first. The log is shared by
 * every test on one database, so each test appends its own entries and pages
 * from a cursor just after them (ids are UUIDv7: later ids sort later).
 */
export const accountingSyncLogSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("reads back every field, newest first, a page at a time", () =>
      Effect.gen(function*() {
        const log = yield* AccountingSyncLog
        const written = [
          entry(),
          entry({ action: "update", outcome: "failed", error: "stale-object 5010: Stale Object Error", at: DateTime.add(base, { seconds: 1 }) }),
          entry({ kind: "customer", crmId: v7(), qboId: null, action: "link", detail: "DisplayName taken; pushed as \"Acme (2)\"" }),
          entry({ kind: "payment", crmId: null, action: "pull", detail: "QuickBooks payment 77 ✓" }),
          entry({ action: "skip", outcome: "retrying" })
        ]
        for (const e of written) yield* log.append(e)
        const after = v7()
        const newestFirst = [...written].reverse()
        const first = yield* log.list({ before: after, limit: 3 })
        assert.deepStrictEqual(first, newestFirst.slice(0, 3))
        const second = yield* log.list({ before: first[2]?.id, limit: 2 })
        assert.deepStrictEqual(second, newestFirst.slice(3, 5))
        assert.deepStrictEqual(yield* log.list({ before: after, limit: 0 }), [])
        const latest = yield* log.list({ before: undefined, limit: 1 })
        assert.strictEqual(latest.length, 1)
      }))

    it.effect("filters by kind and by outcome, together or apart", () =>
      Effect.gen(function*() {
        const log = yield* AccountingSyncLog
        const failedCustomer = entry({ kind: "customer", outcome: "failed", error: "duplicate-name 6240" })
        const okCustomer = entry({ kind: "customer" })
        const failedService = entry({ kind: "service", outcome: "failed", error: "validation 2020" })
        const okService = entry({ kind: "service" })
        for (const e of [failedCustomer, okCustomer, failedService, okService]) yield* log.append(e)
        const after = v7()
        const ids = (entries: ReadonlyArray<SyncLogEntry>) => entries.map((e) => e.id)
        assert.deepStrictEqual(ids(yield* log.list({ before: after, limit: 2, kind: "customer" })), [okCustomer.id, failedCustomer.id])
        assert.deepStrictEqual(ids(yield* log.list({ before: after, limit: 2, outcome: "failed" })), [failedService.id, failedCustomer.id])
        assert.deepStrictEqual(
          ids(yield* log.list({ before: after, limit: 1, kind: "service", outcome: "succeeded" })),
          [okService.id]
        )
        assert.deepStrictEqual(ids(yield* log.list({ before: okService.id, limit: 1, kind: "service" })), [failedService.id])
      }))
  })
