import { assert, describe, it } from "@effect/vitest"
import { Context, DateTime, Duration, Effect, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { AccessTokens } from "../../../application/accounting/access-tokens.ts"
import { AccessTokensLive } from "../../../application/accounting/access-tokens-live.ts"
import { QuickBooksConnectionStore } from "../../../application/ports/quickbooks-connection-store.ts"
import { QuickBooksOAuth } from "../../../application/ports/quickbooks-oauth.ts"
import {
  MemoryQuickBooksConnectionStore,
  MemoryQuickBooksOAuth,
  MemoryQuickBooksOAuthControl,
  MemoryStore
} from "../../../application/testing/index.ts"
import { MemoryTransactor } from "../../../application/testing/memory-transactor.ts"

const setup = Effect.gen(function*() {
  const layer = AccessTokensLive.pipe(
    Layer.provideMerge(Layer.mergeAll(MemoryQuickBooksConnectionStore, MemoryTransactor, MemoryQuickBooksOAuth)),
    Layer.provide(MemoryStore.layer)
  )
  const context = yield* Layer.build(layer)
  const store = Context.get(context, QuickBooksConnectionStore)
  const tokens = Context.get(context, AccessTokens)
  const intuit = Context.get(context, MemoryQuickBooksOAuthControl)
  const oauth = Context.get(context, QuickBooksOAuth)
  // The pair a connect left: access-1 / refresh-1.
  const grant = yield* intuit.connect()
  const now = yield* DateTime.now
  yield* store.connect({
    realmId: "123",
    companyName: null,
    tokens: {
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      accessTokenExpiresAt: DateTime.addDuration(now, Duration.hours(1)),
      refreshTokenExpiresAt: DateTime.addDuration(now, Duration.days(100))
    },
    connectedAt: now
  })
  const stored = Effect.map(store.find, Option.getOrThrow)
  return { intuit, oauth, store, tokens, stored }
})

const value = (access: { readonly accessToken: Redacted.Redacted<string> }) => Redacted.value(access.accessToken)

describe("AccessTokens (live)", () => {
  it.effect("uses the stored token until 5 minutes before it expires, then refreshes and stores both rotated tokens", () =>
    Effect.scoped(Effect.gen(function*() {
      const { intuit, stored, tokens } = yield* setup
      yield* TestClock.adjust(Duration.minutes(54))
      assert.deepStrictEqual({ realm: (yield* tokens.current).realmId, token: value(yield* tokens.current) }, { realm: "123", token: "access-1" })
      assert.deepStrictEqual(yield* intuit.refreshes, [])

      yield* TestClock.adjust(Duration.minutes(1))
      assert.strictEqual(value(yield* tokens.current), "access-2")
      const after = yield* stored
      assert.deepInclude(after, { version: 2 })
      assert.strictEqual(Redacted.value(after.refreshToken), "refresh-2")
      assert.strictEqual(DateTime.formatIso(after.accessTokenExpiresAt), DateTime.formatIso(DateTime.add(yield* DateTime.now, { hours: 1 })))
      // Fresh again: no second refresh.
      assert.strictEqual(value(yield* tokens.current), "access-2")
      assert.deepStrictEqual(yield* intuit.refreshes, ["refresh-1"])
    })))

  it.effect("after a 401 refreshes once; a caller rejected with an older token gets the newer one without refreshing", () =>
    Effect.scoped(Effect.gen(function*() {
      const { intuit, tokens } = yield* setup
      assert.strictEqual(value(yield* tokens.afterRejection(Redacted.make("access-1"))), "access-2")
      // A second request that was sent with access-1 too: the token has moved on already.
      assert.strictEqual(value(yield* tokens.afterRejection(Redacted.make("access-1"))), "access-2")
      assert.deepStrictEqual(yield* intuit.refreshes, ["refresh-1"])
      // Two at once take turns on the row lock: one refresh between them.
      const both = yield* Effect.all([tokens.afterRejection(Redacted.make("access-2")), tokens.afterRejection(Redacted.make("access-2"))], {
        concurrency: 2
      })
      assert.deepStrictEqual(both.map(value), ["access-3", "access-3"])
      assert.deepStrictEqual(yield* intuit.refreshes, ["refresh-1", "refresh-2"])
    })))

  it.effect("a refused refresh token is not-connected and recorded on the connection; a network failure may pass", () =>
    Effect.scoped(Effect.gen(function*() {
      const { intuit, oauth, stored, tokens } = yield* setup
      yield* TestClock.adjust(Duration.hours(1))
      yield* intuit.fail({ op: "refresh", reason: "network", times: Number.POSITIVE_INFINITY })
      assert.deepInclude(yield* Effect.flip(tokens.current), { reason: "network" })
      assert.isNull((yield* stored).lastError)

      // The app was disconnected at Intuit meanwhile: the refresh token is dead.
      yield* intuit.clearFailures
      yield* oauth.revoke(Redacted.make("refresh-1"))
      const refused = yield* Effect.flip(tokens.current)
      assert.deepInclude(refused, { _tag: "AccountingError", reason: "not-connected" })
      assert.include((yield* stored).lastError ?? "", "reconnect")
      assert.deepInclude(yield* stored, { version: 1 })
    })))

  it.effect("an expired refresh token or no connection is not-connected without calling Intuit", () =>
    Effect.scoped(Effect.gen(function*() {
      const { intuit, store, tokens } = yield* setup
      yield* TestClock.adjust(Duration.days(100))
      assert.deepInclude(yield* Effect.flip(tokens.current), { reason: "not-connected" })
      yield* store.disconnect
      assert.deepInclude(yield* Effect.flip(tokens.afterRejection(Redacted.make("access-1"))), { reason: "not-connected" })
      assert.deepStrictEqual(yield* intuit.refreshes, [])
    })))
})
