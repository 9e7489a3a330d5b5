import { Effect, Layer, Option } from "effect"
import { AccessTokensLive } from "../../application/accounting/access-tokens-live.ts"
import { AccountingSettings } from "../../application/accounting/accounting-settings.ts"
import { AccountingGateway } from "../../application/ports/accounting-gateway.ts"
import { QuickBooksOAuth } from "../../application/ports/quickbooks-oauth.ts"
import { SqlRateLimiter } from "../sql/sql-rate-limiter-store.ts"
import { makeQuickBooksOAuth } from "./oauth-client.ts"
import { loadQuickBooksConfig, type QuickBooksConfig } from "./quickbooks-config.ts"
import { makeQuickBooksGateway } from "./quickbooks-gateway.ts"

/** What operators see at start-up when no QuickBooks variable is set. */
export const QUICKBOOKS_OFF_NOTICE = "QuickBooks: off (QUICKBOOKS_* not configured)"
// The off layer lives in the application, where the unit tests' application uses it too.
export { QuickBooksOff } from "../../application/accounting/quickbooks-off.ts"
import { QuickBooksOff } from "../../application/accounting/quickbooks-off.ts"

/**
 * The integration against Intuit (or the `QUICKBOOKS_*_URL` overrides):
 * OAuth and settings, AccessTokens on them, the gateway on AccessTokens and
 * the realm limits shared through PostgreSQL (`SqlRateLimiter`).
 */
export const quickBooksOn = (config: QuickBooksConfig) => {
  const oauthAndSettings = Layer.merge(
    Layer.effect(QuickBooksOAuth, makeQuickBooksOAuth(config)),
    Layer.succeed(AccountingSettings, AccountingSettings.of({
      enabled: true,
      environment: config.environment,
      incomeAccountId: config.incomeAccountId
    }))
  )
  const gateway = Layer.effect(AccountingGateway, makeQuickBooksGateway(config)).pipe(Layer.provide(SqlRateLimiter))
  return gateway.pipe(Layer.provideMerge(AccessTokensLive), Layer.provideMerge(oauthAndSettings))
}

/**
 * AccountingGateway, QuickBooksOAuth, AccessTokens and AccountingSettings as
 * the configuration asks: on when the QuickBooks variables are set, off when
 * none is, a start-up error naming the variable when some are missing or
 * malformed. Needs an `HttpClient`, a `SqlClient`, the connection store and
 * a `Transactor` (only the live side uses them).
 */
export const QuickBooksLive = Layer.unwrap(Effect.gen(function*() {
  const config = yield* loadQuickBooksConfig
  if (Option.isNone(config)) {
    yield* Effect.logInfo(QUICKBOOKS_OFF_NOTICE)
    return QuickBooksOff
  }
  yield* Effect.logInfo("QuickBooks: on").pipe(
    Effect.annotateLogs({ environment: config.value.environment, apiUrl: config.value.apiUrl })
  )
  return quickBooksOn(config.value)
}))
