import { DateTime, Duration, Effect } from "effect"

/**
 * When to refresh QuickBooks OAuth tokens. Intuit's access tokens live one
 * hour (`expires_in: 3600`); each refresh answers a new refresh token with its
 * own lifetime (`x_refresh_token_expires_in`), and the old one stops working
 * once the new one is used.
 */

/**
 * Refresh this long before the access token expires, so a request that
 * starts with it (and may wait out a 60 s throttle) does not carry a token
 * that dies on the way.
 */
export const REFRESH_MARGIN: Duration.Duration = Duration.minutes(5)

/** Whether the access token must be refreshed before use: it expires within `margin` of `now`, or has. */
export const needsRefresh = (
  expiresAt: DateTime.Utc,
  now: DateTime.Utc,
  margin: Duration.Input = REFRESH_MARGIN
): boolean => DateTime.toEpochMillis(expiresAt) - Duration.toMillis(margin) <= DateTime.toEpochMillis(now)

/** Whether a token has expired at `now` (an expiry instant is already too late). */
export const isExpired = (expiresAt: DateTime.Utc, now: DateTime.Utc): boolean =>
  DateTime.toEpochMillis(expiresAt) <= DateTime.toEpochMillis(now)

/** What the stored tokens allow at `now`. */
export type TokenState =
  /** The access token is good for more than the margin. */
  | "valid"
  /** Refresh first, with the refresh token. */
  | "refresh"
  /** The refresh token has expired too: only a new connection helps. */
  | "reconnect"

export const tokenState = (
  tokens: { readonly accessTokenExpiresAt: DateTime.Utc; readonly refreshTokenExpiresAt: DateTime.Utc },
  now: DateTime.Utc,
  margin: Duration.Input = REFRESH_MARGIN
): TokenState =>
  isExpired(tokens.refreshTokenExpiresAt, now)
    ? "reconnect"
    : needsRefresh(tokens.accessTokenExpiresAt, now, margin)
    ? "refresh"
    : "valid"

/** `tokenState` at the current time of the Clock (TestClock in tests). */
export const currentTokenState = (
  tokens: { readonly accessTokenExpiresAt: DateTime.Utc; readonly refreshTokenExpiresAt: DateTime.Utc },
  margin: Duration.Input = REFRESH_MARGIN
): Effect.Effect<TokenState> => Effect.map(DateTime.now, (now) => tokenState(tokens, now, margin))

/** The instant a token answered at `now` with `expires_in` seconds expires. */
export const expiryFrom = (now: DateTime.Utc, expiresInSeconds: number): DateTime.Utc =>
  DateTime.add(now, { seconds: expiresInSeconds })
