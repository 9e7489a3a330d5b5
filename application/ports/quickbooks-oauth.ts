import { Context, type Duration, type Effect, type Redacted, Schema } from "effect"

export class OAuthError extends Schema.TaggedError<OAuthError>()("OAuthError", {
  /** `invalid-grant`: the code or refresh token was refused (expired, used, revoked): reconnect. */
  reason: Schema.Literals(["invalid-grant", "invalid-client", "provider-error", "timeout", "network", "malformed-response"]),
  status: Schema.NullOr(Schema.Int),
  message: Schema.String
}) {}

/** What Intuit's token endpoint answers. */
export interface TokenGrant {
  readonly accessToken: Redacted.Redacted<string>
  readonly refreshToken: Redacted.Redacted<string>
  /** `expires_in`: about one hour. */
  readonly accessTokenLifetime: Duration.Duration
  /** `x_refresh_token_expires_in`: about 100 days, and it shrinks as the token ages. */
  readonly refreshTokenLifetime: Duration.Duration
}

/**
 * Intuit's OAuth 2.0 endpoints (authorization code grant). The live layer
 * reads client id, secret and redirect URI from config; `QUICKBOOKS_OAUTH_URL`
 * moves the endpoints (a proxy, the tests' fake).
 */
export class QuickBooksOAuth extends Context.Service<QuickBooksOAuth, {
  /** The authorize URL for the accounting scope with this `state`. */
  readonly authorizeUrl: (state: string) => string
  readonly exchangeCode: (code: string) => Effect.Effect<TokenGrant, OAuthError>
  /** Intuit may rotate the refresh token on any refresh: store what comes back, every time. */
  readonly refresh: (refreshToken: Redacted.Redacted<string>) => Effect.Effect<TokenGrant, OAuthError>
  readonly revoke: (token: Redacted.Redacted<string>) => Effect.Effect<void, OAuthError>
}>()("crm/application/ports/QuickBooksOAuth") {}
