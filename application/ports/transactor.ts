import { Context, type Effect } from "effect"

/**
 * Runs a unit of work atomically: every repository call inside sees one
 * transaction, committed when the effect succeeds and rolled back when it
 * fails or is interrupted.
 */
export class Transactor extends Context.Service<Transactor, {
  readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}>()("crm/application/ports/Transactor") {}
