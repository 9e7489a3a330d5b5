import { Effect, Semaphore } from "effect"

interface Held {
  readonly semaphore: Semaphore.Semaphore
  users: number
}

/**
 * One push per CRM entity at a time in this process: twenty invoices of one
 * new customer pushed at once would otherwise each create the customer (the
 * shared request id keeps QuickBooks to one, but every call counts against
 * the realm's 500 a minute). Across processes the request id and the mapping
 * table's unique keys are the guard. Entries go when their last user does.
 */
const held = new Map<string, Held>()

export const withEntityLock = (key: string) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const entry = held.get(key) ?? { semaphore: Semaphore.makeUnsafe(1), users: 0 }
      entry.users += 1
      held.set(key, entry)
      return entry
    }),
    (entry) => Semaphore.withPermits(entry.semaphore, 1)(self),
    (entry) =>
      Effect.sync(() => {
        entry.users -= 1
        if (entry.users === 0) held.delete(key)
      })
  )
