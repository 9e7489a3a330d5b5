import { assert, describe, it } from "@effect/vitest"
import { type Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { AccessTokens } from "../../application/accounting/access-tokens.ts"
import { AccountingGateway } from "../../application/ports/accounting-gateway.ts"
import { QuickBooksConnectionStore } from "../../application/ports/quickbooks-connection-store.ts"
import { TokenCipher } from "../../adapters/quickbooks/token-cipher.ts"
import { quickBooksOn } from "../../adapters/quickbooks/quickbooks-layer.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { SqlQuickBooksConnectionStoreNoDeps } from "../../adapters/sql/sql-quickbooks-connection-store.ts"
import { SqlTransactor } from "../../adapters/sql/sql-transactor.ts"
import { FAKE_QBO_COMPANY, type FakeQuickBooks, fakeQuickBooks } from "../support/fake-quickbooks.ts"
import { testQuickBooksConfig } from "../support/quickbooks-test-config.ts"
import { testDatabaseUrl } from "../support/test-database.ts"

// Two processes of the CRM (two application layers, each with its own
// PostgreSQL pool, on one database) find the QuickBooks access token expired
// at the same moment. The fake rotates refresh tokens "immediate"ly: a
// refresh token is dead once used, so a second refresh with the copy both
// started from would be refused (invalid_grant) and disconnect the CRM. The
// connection row lock must make the second wait and take the first's tokens.

/** The token endpoint answers this late: the first refresh holds the row lock while the other process arrives. */
const SLOW_TOKEN_MILLIS = 400

/** One CRM process's QuickBooks side: live OAuth client, AccessTokens, gateway, on a pool of its own. */
const processLayer = (databaseUrl: string, fake: FakeQuickBooks) => {
  const config = testQuickBooksConfig(fake.url, { clientId: fake.clientId, clientSecret: Redacted.make(fake.clientSecret) })
  const sql = pgClientLayer(Redacted.make(databaseUrl), 3).pipe(Layer.orDie)
  const store = SqlQuickBooksConnectionStoreNoDeps.pipe(Layer.provide(TokenCipher.layerTest))
  return quickBooksOn(config).pipe(
    Layer.provideMerge(Layer.mergeAll(store, SqlTransactor)),
    Layer.provideMerge(sql),
    Layer.provide(FetchHttpClient.layer)
  )
}

type Process = Context.Context<AccessTokens | AccountingGateway | QuickBooksConnectionStore>

const inProcess = (process: Process) => <A, E>(effect: Effect.Effect<A, E, AccessTokens | AccountingGateway | QuickBooksConnectionStore>) =>
  Effect.provideContext(effect, process)

/** A connection whose access token expired a minute ago, with tokens the fake issued. */
const connectExpired = (fake: FakeQuickBooks) =>
  Effect.gen(function*() {
    const issued = fake.connect()
    const now = yield* DateTime.now
    yield* QuickBooksConnectionStore.use((store) =>
      store.connect({
        realmId: issued.realmId,
        companyName: null,
        tokens: {
          accessToken: Redacted.make(issued.accessToken),
          refreshToken: Redacted.make(issued.refreshToken),
          accessTokenExpiresAt: DateTime.subtract(now, { minutes: 1 }),
          refreshTokenExpiresAt: DateTime.add(now, { days: 100 })
        },
        connectedAt: now
      })
    )
    return issued
  })

const storedTokens = QuickBooksConnectionStore.use((store) => store.find).pipe(
  Effect.map(Option.getOrThrow),
  Effect.map((c) => ({ access: Redacted.value(c.accessToken), refresh: Redacted.value(c.refreshToken), version: c.version }))
)

describe("two processes refreshing the QuickBooks token at once, on PostgreSQL", () => {
  it.live("the expired token is refreshed once; both use the new pair, and the stored refresh token is the live one", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const fake = yield* fakeQuickBooks({ rotation: "immediate" })
      const one = inProcess(yield* Layer.build(processLayer(url, fake)))
      const two = inProcess(yield* Layer.build(processLayer(url, fake)))
      const issued = yield* one(connectExpired(fake))

      fake.fail({ mode: { kind: "slow", millis: SLOW_TOKEN_MILLIS }, on: "oauth", path: "/oauth2/v1/tokens/bearer" })
      const [a, b] = yield* Effect.all([one(AccessTokens.use((t) => t.current)), two(AccessTokens.use((t) => t.current))], {
        concurrency: 2
      })
      assert.strictEqual(fake.tokenCounts().refreshes, 1, JSON.stringify(fake.oauthEvents()))
      assert.strictEqual(Redacted.value(a.accessToken), Redacted.value(b.accessToken))
      assert.notStrictEqual(Redacted.value(a.accessToken), issued.accessToken)
      const stored = yield* two(storedTokens)
      assert.strictEqual(stored.access, Redacted.value(a.accessToken))
      assert.isFalse(fake.refreshTokenWorks(issued.refreshToken), "immediate rotation: the used refresh token is dead")
      assert.isTrue(fake.refreshTokenWorks(stored.refresh), "the stored refresh token is the newest")

      // A later API call from either process goes through with the new token.
      assert.strictEqual(yield* two(AccountingGateway.use((qbo) => qbo.companyName)), FAKE_QBO_COMPANY)
      assert.strictEqual(yield* one(AccountingGateway.use((qbo) => qbo.companyName)), FAKE_QBO_COMPANY)
      assert.strictEqual(fake.tokenCounts().refreshes, 1)
    }))

  it.live("a 401 in both processes at once (afterRejection) refreshes once, and both calls go through", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const fake = yield* fakeQuickBooks({ rotation: "immediate" })
      const one = inProcess(yield* Layer.build(processLayer(url, fake)))
      const two = inProcess(yield* Layer.build(processLayer(url, fake)))
      yield* one(connectExpired(fake))
      // Both hold a fresh token, then QuickBooks stops taking it (revoked, or expired early).
      yield* one(AccessTokens.use((t) => t.current))
      const before = yield* one(storedTokens)
      fake.expireAccessTokens()

      fake.fail({ mode: { kind: "slow", millis: SLOW_TOKEN_MILLIS }, on: "oauth", path: "/oauth2/v1/tokens/bearer" })
      const names = yield* Effect.all([
        one(AccountingGateway.use((qbo) => qbo.companyName)),
        two(AccountingGateway.use((qbo) => qbo.companyName))
      ], { concurrency: 2 })
      assert.deepStrictEqual(names, [FAKE_QBO_COMPANY, FAKE_QBO_COMPANY])
      assert.strictEqual(fake.tokenCounts().refreshes, 2, JSON.stringify(fake.oauthEvents()))
      const after = yield* two(storedTokens)
      assert.notStrictEqual(after.access, before.access)
      assert.isTrue(fake.refreshTokenWorks(after.refresh))
      assert.isFalse(fake.refreshTokenWorks(before.refresh))
      // Each call met the 401 (both, unless one started after the refresh was stored) and then went through.
      const statuses = fake.apiRequests().map((r) => r.status)
      assert.deepStrictEqual(statuses.filter((s) => s !== 401), [200, 200])
      assert.isAtLeast(statuses.filter((s) => s === 401).length, 1)
    }))
})
