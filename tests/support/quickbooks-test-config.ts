import { Duration, Redacted } from "effect"
import { oauthEndpointsUnder, type QuickBooksConfig } from "../../adapters/quickbooks/quickbooks-config.ts"

/** The adapter's settings against a server at `apiUrl` (and OAuth under `oauthUrl`): short waits keep failure tests quick. */
export const testQuickBooksConfig = (
  apiUrl: string,
  overrides: Partial<QuickBooksConfig> & { readonly oauthUrl?: string } = {}
): QuickBooksConfig => {
  const { oauthUrl, ...rest } = overrides
  return {
    clientId: "test-client-id",
    clientSecret: Redacted.make("test-client-secret"),
    environment: "sandbox",
    redirectUri: "https://crm.test/integrations/quickbooks/callback",
    incomeAccountId: "79",
    webhookVerifier: Redacted.make("test-verifier"),
    tokenKey: Redacted.make("07".repeat(32)),
    apiUrl,
    oauth: oauthEndpointsUnder(oauthUrl ?? apiUrl),
    requestTimeout: Duration.seconds(10),
    requestsPerMinute: 500,
    maxConcurrent: 10,
    throttleWait: Duration.seconds(60),
    throttleRetries: 3,
    serverRetries: 3,
    retryBase: Duration.seconds(1),
    ...rest
  }
}
