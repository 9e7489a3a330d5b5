import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Redacted } from "effect"
import { makeQuickBooksOAuth } from "../../../adapters/quickbooks/oauth-client.ts"
import { testQuickBooksConfig } from "../../support/quickbooks-test-config.ts"
import { type Reply, scriptedHttpClient, type SeenRequest } from "../../support/scripted-http-client.ts"

const config = testQuickBooksConfig("https://qbo.test", { oauthUrl: "https://oauth.test" })
const BASIC = `Basic ${Buffer.from("test-client-id:test-client-secret").toString("base64")}`
const tokens: Reply = {
  status: 200,
  body: { token_type: "bearer", access_token: "access-2", refresh_token: "refresh-2", expires_in: 3600, x_refresh_token_expires_in: 8_726_400 }
}

const oauthOver = (script: (request: SeenRequest, index: number) => Reply) =>
  Effect.gen(function*() {
    const http = yield* scriptedHttpClient(script)
    const oauth = yield* makeQuickBooksOAuth(config).pipe(Effect.provide(http.layer))
    return { oauth, requests: http.requests }
  })

describe("QuickBooks OAuth client (live layer over a scripted HttpClient)", () => {
  it.effect("the authorize URL asks for the accounting scope, a code, the redirect URI and the state", () =>
    Effect.gen(function*() {
      const { oauth } = yield* oauthOver(() => tokens)
      const url = new URL(oauth.authorizeUrl("state-123"))
      assert.strictEqual(url.origin + url.pathname, "https://oauth.test/connect/oauth2")
      assert.deepStrictEqual(Object.fromEntries(url.searchParams), {
        client_id: "test-client-id",
        response_type: "code",
        scope: "com.intuit.quickbooks.accounting",
        redirect_uri: "https://crm.test/integrations/quickbooks/callback",
        state: "state-123"
      })
    }))

  it.effect("exchanging a code posts the form with Basic auth and answers the token pair and lifetimes", () =>
    Effect.gen(function*() {
      const { oauth, requests } = yield* oauthOver(() => tokens)
      const grant = yield* oauth.exchangeCode("code-1")
      const [request] = yield* requests
      assert.strictEqual(request?.url.toString(), "https://oauth.test/oauth2/v1/tokens/bearer")
      assert.strictEqual(request?.headers["authorization"], BASIC)
      assert.strictEqual(request?.headers["accept"], "application/json")
      assert.deepStrictEqual(Object.fromEntries(new URLSearchParams(String(request?.body))), {
        grant_type: "authorization_code",
        code: "code-1",
        redirect_uri: "https://crm.test/integrations/quickbooks/callback"
      })
      assert.deepStrictEqual(
        [Redacted.value(grant.accessToken), Redacted.value(grant.refreshToken), Duration.toSeconds(grant.accessTokenLifetime), Duration.toDays(grant.refreshTokenLifetime)],
        ["access-2", "refresh-2", 3600, 101]
      )
    }))

  it.effect("refresh sends the refresh token; invalid_grant is invalid-grant and is not retried", () =>
    Effect.gen(function*() {
      const { oauth, requests } = yield* oauthOver(() => tokens)
      yield* oauth.refresh(Redacted.make("refresh-1"))
      assert.deepStrictEqual(Object.fromEntries(new URLSearchParams(String((yield* requests)[0]?.body))), {
        grant_type: "refresh_token",
        refresh_token: "refresh-1"
      })
      const refused = yield* oauthOver(() => ({ status: 400, body: { error: "invalid_grant", error_description: "Token invalid" } }))
      const error = yield* refused.oauth.refresh(Redacted.make("refresh-old")).pipe(Effect.flip)
      assert.deepStrictEqual([error.reason, error.status], ["invalid-grant", 400])
      assert.include(error.message, "invalid_grant (Token invalid)")
      assert.notInclude(error.message, "refresh-old")
      assert.strictEqual((yield* refused.requests).length, 1)
    }))

  it.effect("a refresh that met a 5xx or a broken connection is tried once more; a code exchange is not", () =>
    Effect.gen(function*() {
      const flaky = yield* oauthOver((_, i) => (i === 0 ? { status: 503, text: "" } : tokens))
      yield* flaky.oauth.refresh(Redacted.make("refresh-1"))
      assert.strictEqual((yield* flaky.requests).length, 2)
      const broken = yield* oauthOver(() => "network-error")
      const error = yield* broken.oauth.exchangeCode("code-1").pipe(Effect.flip)
      assert.strictEqual(error.reason, "network")
      assert.strictEqual((yield* broken.requests).length, 1)
    }))

  it.effect("invalid_client (401), another 400 and an answer without tokens are told apart", () =>
    Effect.gen(function*() {
      const client = yield* oauthOver(() => ({ status: 401, body: { error: "invalid_client" } }))
      assert.strictEqual((yield* client.oauth.exchangeCode("c").pipe(Effect.flip)).reason, "invalid-client")
      const request = yield* oauthOver(() => ({ status: 400, body: { error: "invalid_request" } }))
      const refused = yield* request.oauth.refresh(Redacted.make("r")).pipe(Effect.flip)
      assert.deepStrictEqual([refused.reason, (yield* request.requests).length], ["provider-error", 1], "not a dead grant, and not retried")
      const odd = yield* oauthOver(() => ({ status: 200, body: { access_token: "only" } }))
      assert.strictEqual((yield* odd.oauth.exchangeCode("c").pipe(Effect.flip)).reason, "malformed-response")
    }))

  it.effect("revoke posts the token as JSON with Basic auth; 200 is done", () =>
    Effect.gen(function*() {
      const { oauth, requests } = yield* oauthOver(() => ({ status: 200, text: "" }))
      yield* oauth.revoke(Redacted.make("refresh-9"))
      const [request] = yield* requests
      assert.strictEqual(request?.url.toString(), "https://oauth.test/v2/oauth2/tokens/revoke")
      assert.strictEqual(request?.headers["authorization"], BASIC)
      assert.deepStrictEqual(request?.body, { token: "refresh-9" })
    }))
})
