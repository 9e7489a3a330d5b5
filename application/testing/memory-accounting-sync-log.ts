import { Effect, Layer, Ref } from "effect"
import { AccountingSyncLog } from "../ports/accounting-sync-log.ts"
import { MemoryStore } from "./memory-store.ts"

/** The sync log in the MemoryStore; pages newest first by id (ids are time-ordered), as the table does. */
export const MemoryAccountingSyncLog = Layer.effect(
  AccountingSyncLog,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    return AccountingSyncLog.of({
      append: (entry) =>
        Effect.flatMap(Ref.get(state), (s) =>
          // The id is the table's primary key: a second entry with it is a caller's bug.
          s.accountingSyncLog.some((existing) => existing.id === entry.id)
            ? Effect.die(new Error(`sync log entry ${entry.id} exists already`))
            : Ref.set(state, { ...s, accountingSyncLog: [...s.accountingSyncLog, entry] })),
      list: (page) =>
        Effect.map(Ref.get(state), (s) =>
          s.accountingSyncLog
            .filter((entry) =>
              (page.before === undefined || entry.id < page.before) &&
              (page.kind === undefined || entry.kind === page.kind) &&
              (page.outcome === undefined || entry.outcome === page.outcome)
            )
            .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
            .slice(0, Math.max(0, page.limit)))
    })
  })
)
