import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Option, Redacted } from "effect"
import { AccountingSettings } from "../../../application/accounting/accounting-settings.ts"
import { AccountingGateway } from "../../../application/ports/accounting-gateway.ts"
import { QuickBooksOAuth } from "../../../application/ports/quickbooks-oauth.ts"
import { loadQuickBooksConfig } from "../../../adapters/quickbooks/quickbooks-config.ts"
import { QuickBooksOff } from "../../../adapters/quickbooks/quickbooks-layer.ts"

const complete = {
  QUICKBOOKS_CLIENT_ID: "ABc123",
  QUICKBOOKS_CLIENT_SECRET: "s3cret",
  QUICKBOOKS_ENVIRONMENT: "sandbox",
  QUICKBOOKS_REDIRECT_URI: "https://crm.example.com/integrations/quickbooks/callback",
  QUICKBOOKS_INCOME_ACCOUNT_ID: "79",
  QUICKBOOKS_WEBHOOK_VERIFIER: "verifier-token",
  QUICKBOOKS_TOKEN_KEY: "ab".repeat(32)
}

const load = (env: Record<string, string>) =>
  loadQuickBooksConfig.pipe(Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromUnknown(env)))

describe("QuickBooks configuration", () => {
  it.effect("none of the variables set: the integration is off", () =>
    Effect.gen(function*() {
      assert.isTrue(Option.isNone(yield* load({ OPENPHONE_API_KEY: "x" })))
    }))

  it.effect("all set: Intuit's endpoints for the environment, Intuit's limits, secrets redacted", () =>
    Effect.gen(function*() {
      const sandbox = Option.getOrThrow(yield* load(complete))
      assert.strictEqual(sandbox.apiUrl, "https://sandbox-quickbooks.api.intuit.com")
      assert.deepStrictEqual(sandbox.oauth, {
        authorize: "https://appcenter.intuit.com/connect/oauth2",
        token: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
        revoke: "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
      })
      assert.deepStrictEqual([sandbox.requestsPerMinute, sandbox.maxConcurrent, Duration.toSeconds(sandbox.throttleWait)], [500, 10, 60])
      assert.strictEqual(Redacted.value(sandbox.clientSecret), "s3cret")
      assert.notInclude(String(sandbox.clientSecret), "s3cret")
      const production = Option.getOrThrow(yield* load({ ...complete, QUICKBOOKS_ENVIRONMENT: "production" }))
      assert.strictEqual(production.apiUrl, "https://quickbooks.api.intuit.com")
    }))

  it.effect("the URL overrides move the API and all three OAuth endpoints under one base", () =>
    Effect.gen(function*() {
      const config = Option.getOrThrow(
        yield* load({ ...complete, QUICKBOOKS_API_URL: "http://127.0.0.1:4100/", QUICKBOOKS_OAUTH_URL: "http://127.0.0.1:4100" })
      )
      assert.strictEqual(config.apiUrl, "http://127.0.0.1:4100")
      assert.deepStrictEqual(config.oauth, {
        authorize: "http://127.0.0.1:4100/connect/oauth2",
        token: "http://127.0.0.1:4100/oauth2/v1/tokens/bearer",
        revoke: "http://127.0.0.1:4100/v2/oauth2/tokens/revoke"
      })
    }))

  it.effect("some set but not all: a start-up error naming what is missing", () =>
    Effect.gen(function*() {
      const { QUICKBOOKS_WEBHOOK_VERIFIER: _verifier, QUICKBOOKS_TOKEN_KEY: _key, ...partial } = complete
      const error = yield* load(partial).pipe(Effect.flip)
      assert.strictEqual(error._tag, "QuickBooksConfigError")
      if (error._tag !== "QuickBooksConfigError") return
      assert.strictEqual(error.variable, "QUICKBOOKS_WEBHOOK_VERIFIER")
      assert.include(error.message, "QUICKBOOKS_WEBHOOK_VERIFIER, QUICKBOOKS_TOKEN_KEY")
    }))

  it.effect("a malformed environment, URL or limit names its variable", () =>
    Effect.gen(function*() {
      const variable = (env: Record<string, string>) =>
        load(env).pipe(Effect.flip, Effect.map((error) => (error._tag === "QuickBooksConfigError" ? error.variable : error._tag)))
      assert.strictEqual(yield* variable({ ...complete, QUICKBOOKS_ENVIRONMENT: "staging" }), "QUICKBOOKS_ENVIRONMENT")
      assert.strictEqual(yield* variable({ ...complete, QUICKBOOKS_API_URL: "not a url" }), "QUICKBOOKS_API_URL")
      assert.strictEqual(yield* variable({ ...complete, QUICKBOOKS_REDIRECT_URI: "ftp://x" }), "QUICKBOOKS_REDIRECT_URI")
      assert.strictEqual(yield* variable({ ...complete, QUICKBOOKS_REQUESTS_PER_MINUTE: "0" }), "QUICKBOOKS_REQUESTS_PER_MINUTE")
    }))

  it.effect("the off layer: settings say disabled, and the gateway and OAuth say QuickBooks is not configured", () =>
    Effect.gen(function*() {
      const settings = yield* AccountingSettings
      assert.deepStrictEqual({ ...settings }, { enabled: false, environment: null, incomeAccountId: null })
      const error = yield* (yield* AccountingGateway).read("Invoice", "1").pipe(Effect.flip)
      assert.deepStrictEqual([error.reason, error.message], ["not-connected", "QuickBooks is not configured"])
      const refused = yield* (yield* QuickBooksOAuth).exchangeCode("c").pipe(Effect.flip)
      assert.strictEqual(refused.message, "QuickBooks is not configured")
    }).pipe(Effect.provide(QuickBooksOff)))
})
