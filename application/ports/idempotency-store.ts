import { Context, type DateTime, type Effect } from "effect"

/** Requests are idempotent per caller: two tokens may use the same key. */
export interface IdempotencyScope {
  readonly tokenId: string
  readonly key: string
}

export interface StoredResponse {
  readonly status: number
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

export type IdempotencyClaim =
  /** First use of the key: run the request, then `complete` or `release`. */
  | { readonly _tag: "Claimed" }
  /** Same key, same request, finished: answer with the stored response. */
  | { readonly _tag: "Replay"; readonly response: StoredResponse }
  /** Same key, different request. */
  | { readonly _tag: "Mismatch" }
  /** Same key, and the first request has not finished yet. */
  | { readonly _tag: "InProgress" }

export class IdempotencyStore extends Context.Service<IdempotencyStore, {
  readonly claim: (scope: IdempotencyScope, fingerprint: string, now: DateTime.Utc) => Effect.Effect<IdempotencyClaim>
  readonly complete: (scope: IdempotencyScope, response: StoredResponse) => Effect.Effect<void>
  /** Forgets a claim whose request failed unexpectedly, so a retry runs again. */
  readonly release: (scope: IdempotencyScope) => Effect.Effect<void>
  /** Deletes keys created before `cutoff`; returns how many. */
  readonly purgeCreatedBefore: (cutoff: DateTime.Utc) => Effect.Effect<number>
}>()("crm/application/ports/IdempotencyStore") {}
