import { Context, Effect, Exit, Layer, Ref } from "effect"
import { Transactor } from "../ports/transactor.ts"
import { MemoryStore } from "./memory-store.ts"

const InTransaction = Context.Reference<boolean>("crm/application/testing/InTransaction", {
  defaultValue: () => false
})

/**
 * Transactions over the MemoryStore: serialised, and a failure restores the
 * state the unit of work started from. A nested unit of work behaves like a
 * PostgreSQL savepoint: its failure undoes only its own changes.
 */
export const MemoryTransactor = Layer.effect(
  Transactor,
  Effect.gen(function*() {
    const store = yield* MemoryStore
    const rollingBack = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.gen(function*() {
        const snapshot = yield* Ref.get(store.state)
        return yield* self.pipe(
          Effect.provideService(InTransaction, true),
          Effect.onExit((exit) => Exit.isFailure(exit) ? Ref.set(store.state, snapshot) : Effect.void)
        )
      })
    const withTransaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.flatMap(Effect.service(InTransaction), (nested) =>
        nested ? rollingBack(self) : rollingBack(self).pipe(store.lock.withPermits(1)))
    return Transactor.of({ withTransaction })
  })
)
