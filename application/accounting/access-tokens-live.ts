import { DateTime, Effect, Layer, Option, Redacted } from "effect"
import { isExpired, needsRefresh } from "../../domain/quickbooks/tokens.ts"
import { AccountingError } from "../ports/accounting-gateway.ts"
import { type NewTokens, type QuickBooksConnection, QuickBooksConnectionStore } from "../ports/quickbooks-connection-store.ts"
import { type OAuthError, type TokenGrant, QuickBooksOAuth } from "../ports/quickbooks-oauth.ts"
import { Transactor } from "../ports/transactor.ts"
import { AccessTokens, type RealmAccess } from "./access-tokens.ts"

const notConnected = (message: string) =>
  new AccountingError({ reason: "not-connected", status: null, code: null, element: null, message })

const access = (connection: QuickBooksConnection): RealmAccess => ({
  realmId: connection.realmId,
  accessToken: connection.accessToken
})

const tokensFrom = (grant: TokenGrant, now: DateTime.Utc): NewTokens => ({
  accessToken: grant.accessToken,
  refreshToken: grant.refreshToken,
  accessTokenExpiresAt: DateTime.addDuration(now, grant.accessTokenLifetime),
  refreshTokenExpiresAt: DateTime.addDuration(now, grant.refreshTokenLifetime)
})

// A refused refresh token only comes back by reconnecting; anything else may pass (the job engine retries).
const fromOAuth = (error: OAuthError): AccountingError =>
  error.reason === "invalid-grant"
    ? notConnected(`QuickBooks refused the refresh token (${error.message}); reconnect QuickBooks`)
    : new AccountingError({
      reason: error.reason === "timeout" || error.reason === "network" ? error.reason : "provider-error",
      status: error.status,
      code: null,
      element: null,
      message: `Refreshing the QuickBooks token failed: ${error.message}`
    })

/** What the locked refresh ended with; a refusal is recorded after the transaction, so it is not rolled back. */
type Refreshed =
  | { readonly _tag: "Ready"; readonly access: RealmAccess }
  | { readonly _tag: "Refused"; readonly error: AccountingError }

/**
 * AccessTokens on the connection store. A refresh runs inside the
 * connection row's lock (`findForUpdate`) and calls Intuit while holding it
 * on purpose: the lock is what makes a second process wait and then find the
 * new tokens instead of spending the refresh token a second time (Intuit
 * rotates it; the loser's copy would be dead). The rotated tokens are stored
 * in the same transaction, guarded by the version too.
 */
export const AccessTokensLive = Layer.effect(
  AccessTokens,
  Effect.gen(function*() {
    const store = yield* QuickBooksConnectionStore
    const oauth = yield* QuickBooksOAuth
    const tx = yield* Transactor

    const refreshLocked = (stillStale: (connection: QuickBooksConnection, now: DateTime.Utc) => boolean) =>
      Effect.gen(function*() {
        const outcome = yield* tx.withTransaction(Effect.gen(function*(): Effect.fn.Return<Refreshed, AccountingError> {
          const found = yield* store.findForUpdate
          if (Option.isNone(found)) return yield* notConnected("QuickBooks is not connected")
          const connection = found.value
          const now = yield* DateTime.now
          // Another process refreshed while this one waited for the lock: use its tokens.
          if (!stillStale(connection, now)) return { _tag: "Ready", access: access(connection) }
          if (isExpired(connection.refreshTokenExpiresAt, now)) {
            return { _tag: "Refused", error: notConnected("The QuickBooks refresh token has expired; reconnect QuickBooks") }
          }
          const grant = yield* oauth.refresh(connection.refreshToken).pipe(Effect.mapError(fromOAuth), Effect.result)
          if (grant._tag === "Failure") {
            if (grant.failure.reason === "not-connected") return { _tag: "Refused", error: grant.failure }
            return yield* grant.failure
          }
          const rotated = yield* store.rotateTokens(connection.version, tokensFrom(grant.success, yield* DateTime.now))
          if (Option.isSome(rotated)) return { _tag: "Ready", access: access(rotated.value) }
          // Only a writer that skipped the lock can get here; its tokens are the newer ones.
          const latest = yield* store.find
          if (Option.isNone(latest)) return yield* notConnected("QuickBooks was disconnected during a token refresh")
          return { _tag: "Ready", access: access(latest.value) }
        }))
        if (outcome._tag === "Ready") return outcome.access
        yield* store.recordSync({ at: yield* DateTime.now, error: outcome.error.message })
        yield* Effect.logWarning("QuickBooks token refresh refused").pipe(Effect.annotateLogs({ reason: outcome.error.message }))
        return yield* outcome.error
      })

    const current = Effect.gen(function*() {
      const found = yield* store.find
      if (Option.isNone(found)) return yield* notConnected("QuickBooks is not connected")
      const now = yield* DateTime.now
      if (!needsRefresh(found.value.accessTokenExpiresAt, now)) return access(found.value)
      return yield* refreshLocked((connection, at) => needsRefresh(connection.accessTokenExpiresAt, at))
    }).pipe(Effect.withSpan("AccessTokens.current"))

    const afterRejection = (rejected: Redacted.Redacted<string>) =>
      refreshLocked((connection) => Redacted.value(connection.accessToken) === Redacted.value(rejected)).pipe(
        Effect.withSpan("AccessTokens.afterRejection")
      )

    return AccessTokens.of({ current, afterRejection })
  })
)
