import { Effect, Layer, Ref } from "effect"
import { compareEvents, isOptedOutBy } from "../../domain/messaging/opt-out-event.ts"
import { OptOutLog } from "../ports/opt-out-log.ts"
import { MemoryStore } from "./memory-store.ts"

/**
 * The opt-out log in the MemoryStore. No lock is needed: the memory Transactor
 * already runs units of work one at a time.
 */
export const MemoryOptOutLog = Layer.effect(
  OptOutLog,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const history = (phone: string) =>
      Effect.map(Ref.get(state), (s) => s.optOutEvents.filter((event) => event.phone === phone).sort(compareEvents))
    return OptOutLog.of({
      record: (event) => Ref.update(state, (s) => ({ ...s, optOutEvents: [...s.optOutEvents, event] })),
      isOptedOut: (phones) =>
        Effect.map(Ref.get(state), (s) =>
          [...new Set(phones)].some((phone) => isOptedOutBy(s.optOutEvents.filter((event) => event.phone === phone)))),
      optedOutAmong: (phones) =>
        Effect.map(Ref.get(state), (s) =>
          new Set([...new Set(phones)].filter((phone) => isOptedOutBy(s.optOutEvents.filter((event) => event.phone === phone))))),
      history
    })
  })
)
