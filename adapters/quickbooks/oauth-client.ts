import { Duration, Effect, Option, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { OAuthError, QuickBooksOAuth, type TokenGrant } from "../../application/ports/quickbooks-oauth.ts"
import type { QuickBooksConfig } from "./quickbooks-config.ts"

/** The only scope the CRM asks for: the Accounting API. */
export const ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"

// Intuit's token endpoint answer (RFC 6749 section 5.1, plus its refresh-token lifetime).
const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  refresh_token: Schema.String,
  expires_in: Schema.Number,
  x_refresh_token_expires_in: Schema.Number
})
const decodeTokens = Schema.decodeUnknownOption(Schema.fromJsonString(TokenResponse))
// RFC 6749 section 5.2: `{"error": "invalid_grant", "error_description": ...}`.
const ErrorResponse = Schema.Struct({ error: Schema.String, error_description: Schema.optional(Schema.String) })
const decodeErrorBody = Schema.decodeUnknownOption(Schema.fromJsonString(ErrorResponse))

const toGrant = (tokens: typeof TokenResponse.Type): TokenGrant => ({
  accessToken: Redacted.make(tokens.access_token),
  refreshToken: Redacted.make(tokens.refresh_token),
  accessTokenLifetime: Duration.seconds(tokens.expires_in),
  refreshTokenLifetime: Duration.seconds(tokens.x_refresh_token_expires_in)
})

/** The port's error for a refused token request; Intuit's description, never the tokens sent. */
const refusal = (what: string, status: number, body: string): OAuthError => {
  const error = decodeErrorBody(body)
  const code = Option.map(error, (e) => e.error)
  // Only invalid_grant means the code or refresh token is dead (reconnect); another 400
  // (invalid_request, unsupported_grant_type) is this client's or Intuit's trouble, not the grant's.
  const reason = Option.getOrUndefined(code) === "invalid_grant"
    ? "invalid-grant"
    : Option.getOrUndefined(code) === "invalid_client" || status === 401
    ? "invalid-client"
    : "provider-error"
  const detail = Option.match(error, {
    onNone: () => "",
    onSome: (e) => `: ${e.error}${e.error_description === undefined ? "" : ` (${e.error_description})`}`
  })
  return new OAuthError({ reason, status, message: `${what} answered ${status}${detail}` })
}

/**
 * Intuit's OAuth 2.0 endpoints over Effect's `HttpClient`: the client id and
 * secret as HTTP Basic auth, form bodies to the token endpoint, JSON answers.
 * A refused code or refresh token is `invalid-grant` (reconnect); a refresh
 * or revoke that met a 5xx or a broken connection is tried once more (Intuit
 * keeps the previous refresh token valid until the new one is used, so a
 * repeated refresh is safe); a code exchange is not (a code works once).
 */
export const makeQuickBooksOAuth = (config: QuickBooksConfig) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient

    const post = (what: string, url: string, body: (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.HttpClientRequest) =>
      client.execute(HttpClientRequest.post(url).pipe(
        HttpClientRequest.acceptJson,
        HttpClientRequest.basicAuth(config.clientId, config.clientSecret),
        body
      )).pipe(
        Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
        Effect.mapError((error) => new OAuthError({ reason: "network", status: null, message: `${what}: ${error.message}` })),
        Effect.timeoutOrElse({
          duration: config.requestTimeout,
          orElse: () =>
            Effect.fail(
              new OAuthError({ reason: "timeout", status: null, message: `${what}: no answer within ${Duration.format(config.requestTimeout)}` })
            )
        })
      )

    const retriedOnce = <A>(effect: Effect.Effect<A, OAuthError>) =>
      effect.pipe(
        Effect.retry({
          times: 1,
          while: (error) =>
            error.reason === "network" || error.reason === "timeout" ||
            (error.reason === "provider-error" && (error.status === null || error.status >= 500))
        })
      )

    const tokenRequest = (what: string, form: Readonly<Record<string, string>>) =>
      post(what, config.oauth.token, HttpClientRequest.bodyUrlParams(form)).pipe(
        Effect.flatMap(({ status, text }) => {
          if (status !== 200) return Effect.fail(refusal(what, status, text))
          return Option.match(decodeTokens(text), {
            onNone: () =>
              Effect.fail(new OAuthError({ reason: "malformed-response", status, message: `${what}: the answer holds no token pair` })),
            onSome: (tokens) => Effect.succeed(toGrant(tokens))
          })
        })
      )

    return QuickBooksOAuth.of({
      authorizeUrl: (state) => {
        const url = new URL(config.oauth.authorize)
        url.searchParams.set("client_id", config.clientId)
        url.searchParams.set("response_type", "code")
        url.searchParams.set("scope", ACCOUNTING_SCOPE)
        url.searchParams.set("redirect_uri", config.redirectUri)
        url.searchParams.set("state", state)
        return url.toString()
      },
      exchangeCode: (code) =>
        tokenRequest("token (authorization_code)", {
          grant_type: "authorization_code",
          code,
          redirect_uri: config.redirectUri
        }).pipe(Effect.withSpan("QuickBooksOAuth.exchangeCode")),
      refresh: (refreshToken) =>
        retriedOnce(tokenRequest("token (refresh_token)", {
          grant_type: "refresh_token",
          refresh_token: Redacted.value(refreshToken)
        })).pipe(Effect.withSpan("QuickBooksOAuth.refresh")),
      revoke: (token) =>
        retriedOnce(
          post("revoke", config.oauth.revoke, HttpClientRequest.bodyJsonUnsafe({ token: Redacted.value(token) })).pipe(
            Effect.flatMap(({ status, text }) => (status === 200 ? Effect.void : Effect.fail(refusal("revoke", status, text))))
          )
        ).pipe(Effect.withSpan("QuickBooksOAuth.revoke"))
    })
  })
