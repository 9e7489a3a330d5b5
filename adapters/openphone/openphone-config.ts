import { Config, Duration, type Option, type Redacted } from "effect"

/** How the gateway talks to OpenPhone; read from the environment by {@link openPhoneConfig}. */
export interface OpenPhoneConfig {
  /** Absent: the sandbox gateway runs and nothing is sent. Never logged (Redacted). */
  readonly apiKey: Option.Option<Redacted.Redacted<string>>
  /** The sending number, a `PN...` id or E.164; absent: the first number the account lists. */
  readonly from: Option.Option<string>
  readonly apiUrl: string
  /** One HTTP attempt; beyond it the attempt counts as timed out (retried like a 5xx). */
  readonly requestTimeout: Duration.Duration
  /** Retries after the first attempt, for 429, 5xx, timeouts and network failures. */
  readonly maxRetries: number
  /** First retry delay; doubled each time, with jitter, never below the provider's `Retry-After`. */
  readonly retryBase: Duration.Duration
  readonly retryMaxDelay: Duration.Duration
  /**
   * Requests per second per API key across every process. OpenPhone allows 10
   * (shared/reference/openphone-facts.md, "Rate limits", S5).
   */
  readonly requestsPerSecond: number
  /**
   * Added to the spacing between two requests (1 s / requestsPerSecond). A request
   * reaches the provider some time after its slot (a new connection, a busy event
   * loop: up to ~150 ms measured in tests/resilience/rate-limit.test.ts); 25 ms a
   * slot absorbs 250 ms of such delay before an 11th request can land in one
   * second, at the price of 8 rather than 10 requests a second.
   */
  readonly spacingMargin: Duration.Duration
}

export const openPhoneConfig: Config.Config<OpenPhoneConfig> = Config.all({
  apiKey: Config.option(Config.Redacted("OPENPHONE_API_KEY")),
  from: Config.option(Config.NonEmptyString("OPENPHONE_FROM")),
  apiUrl: Config.String("OPENPHONE_API_URL").pipe(Config.withDefault("https://api.openphone.com")),
  requestTimeout: Config.Duration("OPENPHONE_REQUEST_TIMEOUT").pipe(Config.withDefault(Duration.seconds(10))),
  maxRetries: Config.Int("OPENPHONE_MAX_RETRIES").pipe(Config.withDefault(5)),
  retryBase: Config.Duration("OPENPHONE_RETRY_BASE").pipe(Config.withDefault(Duration.millis(500))),
  retryMaxDelay: Config.Duration("OPENPHONE_RETRY_MAX_DELAY").pipe(Config.withDefault(Duration.seconds(30))),
  requestsPerSecond: Config.Int("OPENPHONE_REQUESTS_PER_SECOND").pipe(Config.withDefault(10)),
  spacingMargin: Config.Duration("OPENPHONE_SPACING_MARGIN").pipe(Config.withDefault(Duration.millis(25)))
})

/** The pause between two requests under one API key, whichever process sends them. */
export const requestSpacing = (config: OpenPhoneConfig): Duration.Duration =>
  Duration.sum(Duration.millis(Math.ceil(1000 / Math.max(1, config.requestsPerSecond))), config.spacingMargin)
