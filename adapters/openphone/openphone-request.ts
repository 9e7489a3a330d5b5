import { Clock, Data, Duration, Effect, Option, Result, Schedule, Schema } from "effect"
import { Headers, type HttpClient, type HttpClientRequest } from "effect/http"
import type { RateLimiter } from "effect/persistence"
import { SmsGatewayError, type SmsFailureReason } from "../../application/ports/sms-gateway.ts"
import type { OpenPhoneConfig } from "./openphone-config.ts"
import { A2P_NOT_APPROVED, OpenPhoneErrorBody } from "./openphone-schemas.ts"

/** One failed attempt, before the retry policy decides whether there is another. */
export class AttemptFailed extends Data.TaggedError("AttemptFailed")<{
  readonly reason: SmsFailureReason
  readonly status: number | null
  readonly message: string
  /** The provider's `Retry-After`, when it sent one. */
  readonly retryAfter: Option.Option<Duration.Duration>
  /** False when the request certainly never reached the provider (refused before sending). */
  readonly mayHaveReached: boolean
}> {}

const decodeErrorBody = Schema.decodeUnknownOption(OpenPhoneErrorBody)

/** Maps a non-success status to the port's reason (shared/reference/openphone-facts.md, error table). */
export const reasonForStatus = (status: number, code: string | undefined): SmsFailureReason => {
  if (status === 400) return code === A2P_NOT_APPROVED ? "a2p-not-approved" : "invalid-request"
  if (status === 401) return "unauthorized"
  if (status === 402) return "insufficient-credits"
  if (status === 403) return "forbidden"
  if (status === 404) return "not-found"
  if (status === 429) return "rate-limited"
  if (status >= 500) return "provider-error"
  return "invalid-request"
}

/**
 * Whether another attempt may help and cannot send a text twice. A 429 or 5xx
 * answer means the provider did not take the request (the fake provider fails
 * before recording, as the issue requires), so it is retried. A timeout or a
 * broken connection after a `POST` may have been accepted: retrying could
 * deliver the text twice, so it is left to the caller (the message stays in
 * doubt and the reconcile job looks it up instead).
 */
export const retryable = (method: string, config: OpenPhoneConfig) => (failure: AttemptFailed): boolean => {
  // A Retry-After beyond the longest wait configured is honoured by not retrying at all
  // (the shared cool-down holds every process back meanwhile), never by retrying early.
  const waitTooLong = Option.exists(failure.retryAfter, (after) => Duration.isGreaterThan(after, config.retryMaxDelay))
  if (failure.reason === "rate-limited" || failure.reason === "provider-error") return !waitTooLong
  if (failure.reason === "timeout" || failure.reason === "network") return method === "GET" || !failure.mayHaveReached
  return false
}

/** Exponential backoff with jitter, capped, and never shorter than the provider's `Retry-After`. */
export const retrySchedule = (config: OpenPhoneConfig) =>
  Schedule.exponential(config.retryBase).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((meta: Schedule.Metadata<Duration.Duration, AttemptFailed>) =>
      Effect.succeed(Option.match(meta.input.retryAfter, {
        onNone: () => Duration.min(config.retryMaxDelay, meta.duration),
        onSome: (retryAfter) => Duration.max(Duration.min(config.retryMaxDelay, meta.duration), retryAfter)
      }))
    )
  )

const parseRetryAfter = (value: string | undefined, nowMillis: number): Option.Option<Duration.Duration> => {
  if (value === undefined) return Option.none()
  const parsed = Headers.parseRetryAfter(value)
  return Result.isSuccess(parsed) ? Option.some(Headers.retryAfterDelay(parsed.success, nowMillis)) : Option.none()
}

export interface Limits {
  readonly limiter: RateLimiter.RateLimiter
  /** Derived from a hash of the API key, never the key itself. */
  readonly key: string
  readonly spacing: Duration.Duration
  readonly requestsPerSecond: number
  /** How late after its slot a request may still leave (ms); later, it takes another slot. */
  readonly lateness: number
}

const storeFailure = (error: RateLimiter.RateLimiterError) =>
  new AttemptFailed({
    reason: "network",
    status: null,
    message: `rate limiter store failed: ${error.message}`,
    retryAfter: Option.none(),
    mayHaveReached: false
  })

/**
 * Waits for this process's turn under the shared limit: out any cool-down a
 * 429 imposed on every process (the store's adaptive state), then for the
 * next slot of the fixed spacing, so requests leave at most
 * `requestsPerSecond` a second whichever process sends them. A cool-down that
 * began while it waited for its slot (another request met a 429) is waited
 * out too, and a fresh slot taken after it, so processes waking together
 * still leave spaced. Returns the adaptive epoch for the 429 feedback.
 */
const admit = (limits: Limits) =>
  Effect.gen(function*() {
    const options = { key: limits.key, tokens: 1, fallbackLimit: limits.requestsPerSecond, fallbackWindow: Duration.seconds(1) }
    for (let round = 1; ; round++) {
      const adaptive = yield* limits.limiter.adaptiveConsume(options)
      if (adaptive.phase === "cooldown" && !Duration.isZero(adaptive.delay)) {
        yield* Effect.sleep(adaptive.delay)
        continue
      }
      if (!Duration.isZero(adaptive.delay)) yield* Effect.sleep(adaptive.delay)
      const before = yield* Clock.currentTimeMillis
      const slot = yield* limits.limiter.consume({
        key: limits.key,
        algorithm: "fixed-window",
        onExceeded: "delay",
        limit: 1,
        window: limits.spacing
      })
      if (!Duration.isZero(slot.delay)) yield* Effect.sleep(slot.delay)
      // Zero tokens: only asks whether a cool-down began meanwhile, counting nothing.
      const since = yield* limits.limiter.adaptiveConsume({ ...options, tokens: 0 })
      if (since.phase === "cooldown" && !Duration.isZero(since.delay)) {
        yield* Effect.sleep(since.delay)
        continue
      }
      // A request leaving well after its slot (a slow statement, a busy event
      // loop) would crowd the next one: it takes a later slot instead.
      const late = (yield* Clock.currentTimeMillis) - before - Duration.toMillis(slot.delay)
      if (late <= limits.lateness || round >= 3) return adaptive.epoch
    }
  }).pipe(Effect.mapError(storeFailure))

/**
 * Sends `request` once under the shared limit and reads the body of an
 * `expected` answer as JSON; any other status becomes an {@link AttemptFailed}
 * with the provider's reason and `Retry-After`.
 */
export const attempt = (
  client: HttpClient.HttpClient,
  limits: Limits,
  config: OpenPhoneConfig,
  request: HttpClientRequest.HttpClientRequest,
  expected: number
): Effect.Effect<unknown, AttemptFailed> =>
  Effect.gen(function*() {
    const epoch = yield* admit(limits)
    const exchange = Effect.gen(function*() {
      const response = yield* client.execute(request)
      const body = yield* response.text
      return { response, body }
    }).pipe(
      Effect.mapError((error) =>
        new AttemptFailed({
          reason: "network",
          status: null,
          message: `${request.method} ${request.url}: ${error.message}`,
          retryAfter: Option.none(),
          mayHaveReached: true
        })
      ),
      Effect.timeoutOrElse({
        duration: config.requestTimeout,
        orElse: () =>
          Effect.fail(
            new AttemptFailed({
              reason: "timeout",
              status: null,
              message: `${request.method} ${request.url}: no answer within ${Duration.format(config.requestTimeout)}`,
              retryAfter: Option.none(),
              mayHaveReached: true
            })
          )
      })
    )
    const { response, body } = yield* exchange
    const json = parseJson(body)
    if (response.status === expected) return json
    const error = Option.flatMap(json, decodeErrorBody)
    const nowMillis = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const retryAfter = parseRetryAfter(response.headers["retry-after"], nowMillis)
    if (response.status === 429 && Option.isSome(retryAfter)) {
      // Every process sharing the key cools down, not only this one.
      yield* limits.limiter.adaptiveFeedback({ key: limits.key, epoch, tokens: 1, status: 429, retryAfter: retryAfter.value }).pipe(
        Effect.ignore
      )
    }
    const detail = Option.match(error, {
      onNone: () => "",
      onSome: (e) => [e.title, e.message].filter((part) => part !== undefined).join(": ")
    })
    return yield* new AttemptFailed({
      reason: reasonForStatus(response.status, Option.getOrUndefined(Option.flatMap(error, (e) => Option.fromUndefinedOr(e.code)))),
      status: response.status,
      message: `${request.method} ${request.url} answered ${response.status}${detail === "" ? "" : ` (${detail})`}`,
      retryAfter,
      mayHaveReached: true
    })
  }).pipe(Effect.map((json) => Option.getOrNull(json)))

const parseJson = (text: string): Option.Option<unknown> => {
  try {
    return Option.some(JSON.parse(text))
  } catch {
    return Option.none()
  }
}

/** The port's error for what the retries left. */
export const toGatewayError = (failure: AttemptFailed): SmsGatewayError =>
  new SmsGatewayError({ reason: failure.reason, status: failure.status, message: failure.message })

/** Decodes a success body with `schema`; anything else is the provider breaking its contract. */
export const decodeBody = <S extends Schema.Decoder<unknown>>(schema: S, what: string) => {
  const decode = Schema.decodeUnknownEffect(schema)
  return (json: unknown): Effect.Effect<S["Type"], SmsGatewayError> =>
    decode(json).pipe(
      Effect.mapError((error) =>
        new SmsGatewayError({ reason: "malformed-response", status: null, message: `${what}: ${error.message}` })
      )
    )
}
