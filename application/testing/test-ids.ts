import { Effect, Layer, Ref } from "effect"
import { Ids } from "../ports/ids.ts"

/** The n-th test id: a valid, time-ordered (version 7 shaped) UUID, so order = creation order. */
export const testUuid = (n: number): string => `00000000-0000-7000-8000-${n.toString(16).padStart(12, "0")}`

/** Ids 1, 2, 3 ... and secrets "test-secret-1" ...: the same run gives the same values. */
export const TestIds = Layer.effect(
  Ids,
  Effect.map(Ref.make(0), (counter) =>
    Ids.of({
      next: Effect.map(Ref.updateAndGet(counter, (n) => n + 1), testUuid),
      secret: Effect.map(Ref.updateAndGet(counter, (n) => n + 1), (n) => `test-secret-${n}`)
    }))
)
