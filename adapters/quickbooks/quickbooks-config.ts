import { Config, Duration, Effect, Option, type Redacted, Schema } from "effect"

/** A QuickBooks variable that is missing or malformed while the integration is otherwise configured. */
export class QuickBooksConfigError extends Schema.TaggedError<QuickBooksConfigError>()("QuickBooksConfigError", {
  variable: Schema.String,
  message: Schema.String
}) {}

export type QuickBooksEnvironment = "sandbox" | "production"

/** Intuit's OAuth endpoints (developer.intuit.com, "OAuth 2.0": discovery document). */
export interface OAuthEndpoints {
  readonly authorize: string
  readonly token: string
  readonly revoke: string
}

/** How the adapter reaches QuickBooks Online; read from the environment by {@link loadQuickBooksConfig}. */
export interface QuickBooksConfig {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly environment: QuickBooksEnvironment
  readonly redirectUri: string
  /** `IncomeAccountRef.value` of the Items the CRM creates. */
  readonly incomeAccountId: string
  /** Intuit's webhook verifier token: the HMAC key of `intuit-signature`. */
  readonly webhookVerifier: Redacted.Redacted<string>
  /** The key the token cipher encrypts tokens at rest with (checked by the cipher's own layer). */
  readonly tokenKey: Redacted.Redacted<string>
  /** Without `/v3/...`: `https://quickbooks.api.intuit.com` or the sandbox host, or an override. */
  readonly apiUrl: string
  readonly oauth: OAuthEndpoints
  /** One HTTP attempt; Intuit itself gives up on a request after 120 s (quickbooks-facts.md, "Limits"). */
  readonly requestTimeout: Duration.Duration
  /** Requests per minute per realm across every process: Intuit allows 500. */
  readonly requestsPerMinute: number
  /** Requests in flight per realm in this process: Intuit allows 10. */
  readonly maxConcurrent: number
  /** How long a throttled (429 / 3001) request waits: Intuit advises 60 s. */
  readonly throttleWait: Duration.Duration
  /** Throttled answers waited out before the call fails as `throttled`. */
  readonly throttleRetries: number
  /** Retries of 5xx, timeouts and broken connections (writes too: each carries its requestid). */
  readonly serverRetries: number
  /** First backoff of those retries; doubled each time. */
  readonly retryBase: Duration.Duration
}

const API_URL: Record<QuickBooksEnvironment, string> = {
  sandbox: "https://sandbox-quickbooks.api.intuit.com",
  production: "https://quickbooks.api.intuit.com"
}

/** Intuit's OAuth endpoints are the same for sandbox and production companies. */
const INTUIT_OAUTH: OAuthEndpoints = {
  authorize: "https://appcenter.intuit.com/connect/oauth2",
  token: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
  revoke: "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
}

/** With `QUICKBOOKS_OAUTH_URL` all three endpoints live under one base (a proxy, the tests' fake). */
export const oauthEndpointsUnder = (base: string): OAuthEndpoints => {
  const root = base.replace(/\/+$/u, "")
  return {
    authorize: `${root}/connect/oauth2`,
    token: `${root}/oauth2/v1/tokens/bearer`,
    revoke: `${root}/v2/oauth2/tokens/revoke`
  }
}

// The variables that switch the integration on: none set means off, some set means all are needed.
const required = {
  clientId: Config.option(Config.NonEmptyString("QUICKBOOKS_CLIENT_ID")),
  clientSecret: Config.option(Config.Redacted("QUICKBOOKS_CLIENT_SECRET")),
  environment: Config.option(Config.NonEmptyString("QUICKBOOKS_ENVIRONMENT")),
  redirectUri: Config.option(Config.NonEmptyString("QUICKBOOKS_REDIRECT_URI")),
  incomeAccountId: Config.option(Config.NonEmptyString("QUICKBOOKS_INCOME_ACCOUNT_ID")),
  webhookVerifier: Config.option(Config.Redacted("QUICKBOOKS_WEBHOOK_VERIFIER")),
  tokenKey: Config.option(Config.Redacted("QUICKBOOKS_TOKEN_KEY"))
}

const VARIABLE: Record<keyof typeof required, string> = {
  clientId: "QUICKBOOKS_CLIENT_ID",
  clientSecret: "QUICKBOOKS_CLIENT_SECRET",
  environment: "QUICKBOOKS_ENVIRONMENT",
  redirectUri: "QUICKBOOKS_REDIRECT_URI",
  incomeAccountId: "QUICKBOOKS_INCOME_ACCOUNT_ID",
  webhookVerifier: "QUICKBOOKS_WEBHOOK_VERIFIER",
  tokenKey: "QUICKBOOKS_TOKEN_KEY"
}

const tunables = Config.all({
  apiUrl: Config.option(Config.NonEmptyString("QUICKBOOKS_API_URL")),
  oauthUrl: Config.option(Config.NonEmptyString("QUICKBOOKS_OAUTH_URL")),
  requestTimeout: Config.Duration("QUICKBOOKS_REQUEST_TIMEOUT").pipe(Config.withDefault(Duration.seconds(60))),
  requestsPerMinute: Config.Int("QUICKBOOKS_REQUESTS_PER_MINUTE").pipe(Config.withDefault(500)),
  maxConcurrent: Config.Int("QUICKBOOKS_MAX_CONCURRENT").pipe(Config.withDefault(10)),
  throttleWait: Config.Duration("QUICKBOOKS_THROTTLE_WAIT").pipe(Config.withDefault(Duration.seconds(60))),
  throttleRetries: Config.Int("QUICKBOOKS_THROTTLE_RETRIES").pipe(Config.withDefault(3)),
  serverRetries: Config.Int("QUICKBOOKS_SERVER_RETRIES").pipe(Config.withDefault(3)),
  retryBase: Config.Duration("QUICKBOOKS_RETRY_BASE").pipe(Config.withDefault(Duration.seconds(1)))
})

const invalid = (variable: string, message: string) => new QuickBooksConfigError({ variable, message: `${variable}: ${message}` })

const checkUrl = (variable: string, value: string) =>
  URL.canParse(value) && /^https?:$/u.test(new URL(value).protocol)
    ? Effect.succeed(value.replace(/\/+$/u, ""))
    : Effect.fail(invalid(variable, `${value} is not an http(s) URL`))

/**
 * The QuickBooks configuration, or none when no QuickBooks variable is set
 * (the integration is off). Some set but not all, or one malformed, is a
 * start-up error naming the variable: a half-configured integration is a
 * mistake to report, not to run with.
 */
export const loadQuickBooksConfig: Effect.Effect<
  Option.Option<QuickBooksConfig>,
  QuickBooksConfigError | Config.ConfigError
> = Effect.gen(function*() {
  const given = yield* Config.all(required)
  const missing = (Object.keys(required) as Array<keyof typeof required>).filter((key) => Option.isNone<unknown>(given[key]))
  if (missing.length === Object.keys(required).length) return Option.none()
  const all = Option.all(given)
  if (Option.isNone(all)) {
    const names = missing.map((key) => VARIABLE[key])
    return yield* invalid(names[0] ?? "QUICKBOOKS_CLIENT_ID", `not set, but QuickBooks is configured; set ${names.join(", ")}`)
  }
  const set = all.value
  const environment = set.environment
  if (environment !== "sandbox" && environment !== "production") {
    return yield* invalid("QUICKBOOKS_ENVIRONMENT", `${environment}: must be sandbox or production`)
  }
  const more = yield* tunables
  if (more.requestsPerMinute < 1) return yield* invalid("QUICKBOOKS_REQUESTS_PER_MINUTE", "must be at least 1")
  if (more.maxConcurrent < 1) return yield* invalid("QUICKBOOKS_MAX_CONCURRENT", "must be at least 1")
  const apiUrl = yield* Option.match(more.apiUrl, {
    onNone: () => Effect.succeed(API_URL[environment]),
    onSome: (url) => checkUrl("QUICKBOOKS_API_URL", url)
  })
  const oauth = yield* Option.match(more.oauthUrl, {
    onNone: () => Effect.succeed(INTUIT_OAUTH),
    onSome: (url) => Effect.map(checkUrl("QUICKBOOKS_OAUTH_URL", url), oauthEndpointsUnder)
  })
  yield* checkUrl("QUICKBOOKS_REDIRECT_URI", set.redirectUri)
  return Option.some<QuickBooksConfig>({
    clientId: set.clientId,
    clientSecret: set.clientSecret,
    environment,
    redirectUri: set.redirectUri,
    incomeAccountId: set.incomeAccountId,
    webhookVerifier: set.webhookVerifier,
    tokenKey: set.tokenKey,
    apiUrl,
    oauth,
    requestTimeout: more.requestTimeout,
    requestsPerMinute: more.requestsPerMinute,
    maxConcurrent: more.maxConcurrent,
    throttleWait: more.throttleWait,
    throttleRetries: Math.max(0, more.throttleRetries),
    serverRetries: Math.max(0, more.serverRetries),
    retryBase: more.retryBase
  })
})
