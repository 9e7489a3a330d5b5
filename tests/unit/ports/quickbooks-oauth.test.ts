import { Effect, Layer } from "effect"
import { MemoryQuickBooksOAuth, MemoryQuickBooksOAuthControl } from "../../../application/testing/index.ts"
import { OAuthConsent, quickBooksOAuthSuite } from "../../support/port-suites/quickbooks-oauth.ts"

// The in-memory Intuit OAuth the connect and token tests run on, held to the same
// behaviour as the live client against the fake server (tests/integration/ports/quickbooks-oauth-fake.test.ts).
const consent = Layer.effect(
  OAuthConsent,
  Effect.map(MemoryQuickBooksOAuthControl, (control) => OAuthConsent.of({ allow: () => control.approve() }))
)

quickBooksOAuthSuite("QuickBooksOAuth in memory", consent.pipe(Layer.provideMerge(MemoryQuickBooksOAuth)))
