import { createHash } from "node:crypto"
import { Cause, DateTime, Effect, Exit, Option } from "effect"
import { IdempotencyStore } from "../../application/ports/idempotency-store.ts"
import { Transactor } from "../../application/ports/transactor.ts"
import { type ApplicationError, problemForError } from "./error-mapping.ts"
import { type HttpResponse, problemResponse } from "./http-response.ts"
import { type HttpProblem, httpProblem } from "./problem.ts"
import type { HttpServices } from "./http-services.ts"

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** Same method, path and JSON body (whatever its key order or spacing) give the same fingerprint. */
export const fingerprint = (method: string, path: string, body: unknown): string => {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
      : value
  return createHash("sha256").update(`${method} ${path}\n${JSON.stringify(canonical(body) ?? null)}`).digest("hex")
}

/**
 * Runs `execute` at most once per (caller, key): a repeat of the same request
 * gets the stored response; the same key with another request is refused. A
 * request that fails unexpectedly releases the key so a retry can run.
 */
export const idempotent = <A>(
  scope: { readonly tokenId: string; readonly key: string },
  print: string,
  execute: Effect.Effect<{ readonly value: A; readonly response: HttpResponse }, ApplicationError, HttpServices>,
  replayAs: (value: A) => HttpProblem | undefined,
  requestId: string
) =>
  Effect.gen(function*() {
    const store = yield* IdempotencyStore
    const tx = yield* Transactor
    const claim = yield* store.claim(scope, print, yield* DateTime.now)
    switch (claim._tag) {
      case "Mismatch":
        return yield* httpProblem("idempotency-key-reused", "This Idempotency-Key was used for a different request")
      case "InProgress":
        return yield* httpProblem("idempotency-key-in-use", "The first request with this Idempotency-Key is still running")
      case "Replay":
        return { ...claim.response, headers: { ...claim.response.headers, "idempotent-replayed": "true" } }
      case "Claimed":
        break
    }
    // The use case's writes and the stored response commit together: a crash
    // in between rolls both back, and the claim, left unfinished, is taken
    // as abandoned later, so a retry runs the request afresh.
    const outcome = yield* Effect.exit(tx.withTransaction(Effect.gen(function*() {
      const exit = yield* Effect.exit(execute)
      if (Exit.isSuccess(exit)) {
        const { response, value } = exit.value
        const substitute = replayAs(value)
        yield* store.complete(scope, substitute === undefined ? response : problemResponse(substitute, requestId))
        return { response, stored: true }
      }
      const failure = Option.getOrUndefined(Cause.findErrorOption(exit.cause))
      if (failure === undefined) return yield* Effect.failCause(exit.cause)
      const response = problemResponse(problemForError(failure), requestId)
      // A 5xx says nothing about the request itself: a retry should run again.
      if (response.status < 500) yield* store.complete(scope, response)
      return { response, stored: response.status < 500 }
    })))
    if (Exit.isFailure(outcome)) {
      yield* store.release(scope)
      return yield* Effect.failCause(outcome.cause)
    }
    if (!outcome.value.stored) yield* store.release(scope)
    return outcome.value.response
  })
