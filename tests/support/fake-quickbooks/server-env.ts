import { afterEach } from "vitest"
import type { FakeQuickBooks, FakeQuickBooksOptions } from "../fake-quickbooks.ts"
import { startFakeQuickBooks } from "../fake-quickbooks.ts"

/**
 * The QUICKBOOKS_* settings that point the CRM at this fake. The redirect URI
 * is only ever compared and echoed: tests play the browser and call the
 * CRM's callback themselves, whatever port it took.
 */
export const quickBooksEnv = (
  fake: Pick<FakeQuickBooks, "clientId" | "clientSecret" | "webhookVerifier" | "apiUrl" | "oauthUrl">,
  tokenKey: string = "07".repeat(32)
): Record<string, string> => ({
  QUICKBOOKS_CLIENT_ID: fake.clientId,
  QUICKBOOKS_CLIENT_SECRET: fake.clientSecret,
  QUICKBOOKS_ENVIRONMENT: "sandbox",
  QUICKBOOKS_REDIRECT_URI: "http://127.0.0.1/integrations/quickbooks/callback",
  QUICKBOOKS_INCOME_ACCOUNT_ID: "79",
  QUICKBOOKS_WEBHOOK_VERIFIER: fake.webhookVerifier,
  QUICKBOOKS_TOKEN_KEY: tokenKey,
  QUICKBOOKS_API_URL: fake.apiUrl,
  QUICKBOOKS_OAUTH_URL: fake.oauthUrl
})

/** Starts fakes for the current test file and closes each after its test. */
export const fakesPerTest = () => {
  const started: Array<FakeQuickBooks> = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()))
  })
  return async (options: FakeQuickBooksOptions = {}): Promise<FakeQuickBooks> => {
    const fake = await startFakeQuickBooks(options)
    started.push(fake)
    return fake
  }
}
