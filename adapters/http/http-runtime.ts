import { type Context, Effect } from "effect"
import type { HttpServices } from "./route.ts"

/** How Hono handlers run effects: against the services of the running application. */
export interface HttpRuntime {
  readonly runPromise: <A>(effect: Effect.Effect<A, never, HttpServices>) => Promise<A>
  readonly runFork: (effect: Effect.Effect<void, never, HttpServices>) => void
}

export const httpRuntime = (context: Context.Context<HttpServices>): HttpRuntime => {
  const runPromise = Effect.runPromiseWith(context)
  const runFork = Effect.runForkWith(context)
  return {
    runPromise,
    runFork: (effect) => void runFork(effect)
  }
}
