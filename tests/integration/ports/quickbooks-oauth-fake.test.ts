import { Context, Duration, Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { makeQuickBooksOAuth } from "../../../adapters/quickbooks/oauth-client.ts"
import { QuickBooksOAuth } from "../../../application/ports/quickbooks-oauth.ts"
import { fakeQuickBooks } from "../../support/fake-quickbooks.ts"
import { OAuthConsent, quickBooksOAuthSuite } from "../../support/port-suites/quickbooks-oauth.ts"
import { testQuickBooksConfig } from "../../support/quickbooks-test-config.ts"

// The live OAuth client against the fake QuickBooks' authorize, token and revoke endpoints.
const live = Layer.effectContext(
  Effect.gen(function*() {
    const fake = yield* fakeQuickBooks()
    const config = testQuickBooksConfig(fake.apiUrl, {
      clientId: fake.clientId,
      clientSecret: Redacted.make(fake.clientSecret),
      requestTimeout: Duration.seconds(5)
    })
    const oauth = yield* makeQuickBooksOAuth(config)
    // The browser: Intuit's consent page answers a redirect to the app with the code.
    const consent = OAuthConsent.of({
      allow: (authorizeUrl) =>
        Effect.promise(async () => {
          const response = await fetch(authorizeUrl, { redirect: "manual" })
          return new URL(response.headers.get("location") ?? "about:blank").searchParams.get("code") ?? ""
        })
    })
    return Context.make(QuickBooksOAuth, oauth).pipe(Context.add(OAuthConsent, consent))
  })
).pipe(Layer.provide(FetchHttpClient.layer))

quickBooksOAuthSuite("QuickBooksOAuth: the live client against the fake QuickBooks", live)
