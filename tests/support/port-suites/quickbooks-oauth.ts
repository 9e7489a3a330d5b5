import { assert, layer } from "@effect/vitest"
import { Context, Duration, Effect, type Layer, Redacted } from "effect"
import { QuickBooksOAuth } from "../../../application/ports/quickbooks-oauth.ts"

/** The user at Intuit's consent page: follows the authorize URL, allows, and answers the code sent back. */
export class OAuthConsent extends Context.Service<OAuthConsent, {
  readonly allow: (authorizeUrl: string) => Effect.Effect<string>
}>()("tests/support/OAuthConsent") {}

/**
 * What every QuickBooksOAuth does: the in-memory one the unit tests use and
 * the live client against the fake QuickBooks' token endpoints.
 */
export const quickBooksOAuthSuite = <E>(name: string, oauth: Layer.Layer<QuickBooksOAuth | OAuthConsent, E>) =>
  layer(oauth, { timeout: 60_000, excludeTestServices: true })(name, (it) => {
    const grantFromConsent = Effect.gen(function*() {
      const client = yield* QuickBooksOAuth
      const code = yield* (yield* OAuthConsent).allow(client.authorizeUrl("state-1"))
      return yield* client.exchangeCode(code)
    })

    it.effect("the authorize URL asks for the accounting scope and carries the state", () =>
      Effect.gen(function*() {
        const url = new URL((yield* QuickBooksOAuth).authorizeUrl("a state/with+signs"))
        assert.include((url.searchParams.get("scope") ?? "").split(" "), "com.intuit.quickbooks.accounting")
        assert.strictEqual(url.searchParams.get("state"), "a state/with+signs")
        assert.strictEqual(url.searchParams.get("response_type"), "code")
      }))

    it.effect("a code is exchanged for a token pair once; used again, or invented, it is invalid-grant", () =>
      Effect.gen(function*() {
        const client = yield* QuickBooksOAuth
        const code = yield* (yield* OAuthConsent).allow(client.authorizeUrl("state-2"))
        const grant = yield* client.exchangeCode(code)
        assert.isNotEmpty(Redacted.value(grant.accessToken))
        assert.isNotEmpty(Redacted.value(grant.refreshToken))
        assert.strictEqual(Duration.toMillis(grant.accessTokenLifetime), Duration.toMillis(Duration.hours(1)))
        assert.isTrue(Duration.isGreaterThan(grant.refreshTokenLifetime, Duration.days(30)))
        assert.deepInclude(yield* Effect.flip(client.exchangeCode(code)), { _tag: "OAuthError", reason: "invalid-grant" })
        assert.deepInclude(yield* Effect.flip(client.exchangeCode("never-issued")), { reason: "invalid-grant" })
      }))

    it.effect("a refresh rotates both tokens; a refresh token older than the one in use is invalid-grant", () =>
      Effect.gen(function*() {
        const client = yield* QuickBooksOAuth
        const first = yield* grantFromConsent
        const second = yield* client.refresh(first.refreshToken)
        assert.notStrictEqual(Redacted.value(second.refreshToken), Redacted.value(first.refreshToken))
        assert.notStrictEqual(Redacted.value(second.accessToken), Redacted.value(first.accessToken))
        // Using the new token ends the one before it.
        const third = yield* client.refresh(second.refreshToken)
        assert.notStrictEqual(Redacted.value(third.refreshToken), Redacted.value(second.refreshToken))
        assert.deepInclude(yield* Effect.flip(client.refresh(first.refreshToken)), { reason: "invalid-grant" })
        // The rotated token keeps the grant's expiry: it never outlives the first.
        assert.isTrue(Duration.isLessThanOrEqualTo(third.refreshTokenLifetime, first.refreshTokenLifetime))
      }))

    it.effect("a revoked refresh token is invalid-grant", () =>
      Effect.gen(function*() {
        const client = yield* QuickBooksOAuth
        const grant = yield* grantFromConsent
        yield* client.revoke(grant.refreshToken)
        assert.deepInclude(yield* Effect.flip(client.refresh(grant.refreshToken)), { reason: "invalid-grant" })
      }))
  })
