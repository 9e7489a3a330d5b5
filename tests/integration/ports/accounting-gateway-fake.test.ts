import { Context, Duration, Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import { makeQuickBooksGateway } from "../../../adapters/quickbooks/quickbooks-gateway.ts"
import { AccessTokens } from "../../../application/accounting/access-tokens.ts"
import { AccountingGateway } from "../../../application/ports/accounting-gateway.ts"
import { FAKE_QBO_COMPANY, fakeQuickBooks } from "../../support/fake-quickbooks.ts"
import { accountingGatewaySuite, QuickBooksSide } from "../../support/port-suites/accounting-gateway.ts"
import { testQuickBooksConfig } from "../../support/quickbooks-test-config.ts"

// The live adapter over real sockets to the fake QuickBooks. The realm limits'
// store is Effect's memory one here (the PostgreSQL store has its own suite), and
// the access token is the one a finished connect leaves: the refresh path is
// tested in tests/integration/quickbooks-gateway.test.ts.
const live = Layer.effectContext(
  Effect.gen(function*() {
    const fake = yield* fakeQuickBooks()
    const config = testQuickBooksConfig(fake.apiUrl, {
      clientId: fake.clientId,
      clientSecret: Redacted.make(fake.clientSecret),
      requestTimeout: Duration.seconds(5),
      retryBase: Duration.millis(20),
      throttleWait: Duration.millis(200),
      requestsPerMinute: 60_000
    })
    const { accessToken } = fake.connect()
    const tokens = AccessTokens.of({
      current: Effect.succeed({ realmId: fake.realmId, accessToken: Redacted.make(accessToken) }),
      afterRejection: () => Effect.succeed({ realmId: fake.realmId, accessToken: Redacted.make(accessToken) })
    })
    const gateway = yield* makeQuickBooksGateway(config).pipe(Effect.provideService(AccessTokens, tokens))
    const side = QuickBooksSide.of({
      addVendor: (displayName) => Effect.sync(() => void fake.addName("Vendor", displayName)),
      remove: (entity, id) => Effect.sync(() => void fake.deleteInQbo(entity, id))
    })
    return Context.make(AccountingGateway, gateway).pipe(Context.add(QuickBooksSide, side))
  })
).pipe(Layer.provide(Layer.merge(FetchHttpClient.layer, RateLimiter.layer.pipe(Layer.provide(RateLimiter.layerStoreMemory)))))

accountingGatewaySuite("AccountingGateway: the live adapter over the fake QuickBooks", live, { companyName: FAKE_QBO_COMPANY })
