import { Context, Effect } from "effect"

/**
 * Where new identifiers and secrets come from. Live: UUIDv7 (time-ordered, so
 * keyset pagination by id follows creation order) and random secrets; tests
 * swap in a fixed sequence.
 */
export class Ids extends Context.Service<Ids, {
  /** A new UUID for a row. */
  readonly next: Effect.Effect<string>
  /** A new unguessable secret, e.g. an API token, URL-safe. */
  readonly secret: Effect.Effect<string>
}>()("crm/application/ports/Ids") {}
