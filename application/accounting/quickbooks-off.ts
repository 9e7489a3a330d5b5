import { Effect, Layer } from "effect"
import { AccountingError, AccountingGateway } from "../ports/accounting-gateway.ts"
import { OAuthError, QuickBooksOAuth } from "../ports/quickbooks-oauth.ts"
import { AccessTokens } from "./access-tokens.ts"
import { AccountingSettings } from "./accounting-settings.ts"

const NOT_CONFIGURED = "QuickBooks is not configured"

const notConfigured = Effect.fail(
  new AccountingError({ reason: "not-connected", status: null, code: null, element: null, message: NOT_CONFIGURED })
)
const oauthOff = Effect.fail(new OAuthError({ reason: "provider-error", status: null, message: NOT_CONFIGURED }))

/**
 * The integration switched off: settings say so, every call fails saying so.
 * The adapter's layer answers this when no QUICKBOOKS_* variable is set; the
 * unit tests' application uses it too.
 */
export const QuickBooksOff = Layer.mergeAll(
  Layer.succeed(AccountingSettings, AccountingSettings.of({ enabled: false, environment: null, incomeAccountId: null })),
  Layer.succeed(AccountingGateway, AccountingGateway.of({
    create: () => notConfigured,
    update: () => notConfigured,
    read: () => notConfigured,
    voidInvoice: () => notConfigured,
    query: () => notConfigured,
    changedSince: () => notConfigured,
    companyName: notConfigured
  })),
  Layer.succeed(QuickBooksOAuth, QuickBooksOAuth.of({
    // Use cases check AccountingSettings.enabled first; this URL only says why there is none.
    authorizeUrl: () => `about:blank#${encodeURIComponent(NOT_CONFIGURED)}`,
    exchangeCode: () => oauthOff,
    refresh: () => oauthOff,
    revoke: () => oauthOff
  })),
  Layer.succeed(AccessTokens, AccessTokens.of({ current: notConfigured, afterRejection: () => notConfigured }))
)
