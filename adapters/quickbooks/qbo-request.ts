import { Clock, Duration, Effect, Option, Semaphore } from "effect"
import { type HttpClient, HttpClientRequest } from "effect/http"
import type { RateLimiter } from "effect/persistence"
import type { RealmAccess } from "../../application/accounting/access-tokens.ts"
import { AccessTokens } from "../../application/accounting/access-tokens.ts"
import { AccountingError } from "../../application/ports/accounting-gateway.ts"
import { parseFault, toAccountingError } from "./qbo-faults.ts"
import type { QuickBooksConfig } from "./quickbooks-config.ts"

/**
 * The pinned API version. Since 2025-08-01 Intuit ignores minor versions
 * below 75 and answers 75 by default (Intuit developer blog, 2025-01-21):
 * pinning it keeps a later, incompatible minor version from changing the
 * bodies under the mapping until someone moves it here on purpose.
 */
export const MINOR_VERSION = "75"

/** One call to `/v3/company/{realm}/{path}`. */
export interface QboCall {
  readonly method: "GET" | "POST"
  /** After `/v3/company/{realm}/`, e.g. `invoice` or `invoice/42`; {@link REALM} stands for the realm id. */
  readonly path: string
  readonly params?: Readonly<Record<string, string>>
  readonly body?: unknown
}

/** In a call's path, replaced by the connected realm's id (`companyinfo/{realm}`). */
export const REALM = "{realm}"

/** The limiter key of a realm: the limit is Intuit's, per company. */
export const rateLimitKey = (realmId: string): string => `quickbooks:${realmId}`

/**
 * The pause between two requests to one realm, whichever process sends them.
 * Spacing rather than a 500-a-minute window: a window lets 500 go at its end
 * and 500 more at the next one's start (1,000 in one minute, and far over
 * Intuit's 10 a second). 5 ms on top absorbs a request leaving a little
 * after its slot (480 rather than 500 a minute at the default). Never under
 * 112 ms, whatever QUICKBOOKS_REQUESTS_PER_MINUTE says: a request leaves at
 * most one spacing after its slot (see `admit`), so a second holds requests
 * of slots within 1 s + one spacing, ceil(1000 / 112) + 1 = 10 at most
 * (Intuit's per-second limit, quickbooks-facts.md).
 */
export const requestSpacing = (config: QuickBooksConfig): Duration.Duration =>
  Duration.millis(Math.max(Math.ceil(60_000 / config.requestsPerMinute) + 5, 112))

const what = (call: QboCall) => `${call.method} /${call.path.split("/")[0] ?? call.path}`

const storeFailure = (error: RateLimiter.RateLimiterError) =>
  new AccountingError({
    reason: "network",
    status: null,
    code: null,
    element: null,
    message: `rate limiter store failed: ${error.message}`
  })

const parseJson = (text: string): Option.Option<unknown> => {
  try {
    return Option.some(JSON.parse(text))
  } catch {
    return Option.none()
  }
}

/** Whether another attempt may help: the answer was the provider's trouble or never came. */
const transient = (error: AccountingError) =>
  error.reason === "provider-error" || error.reason === "timeout" || error.reason === "network"

/**
 * Sends QuickBooks calls for the connected realm within its limits and with
 * the retries the issue asks for: a throttle (429 or code 3001) waits
 * `throttleWait` and tries again, a 401 asks AccessTokens for a fresh token
 * once, 5xx, timeouts and broken connections back off and try again a few
 * times (writes too: each carries its `requestid`, so QuickBooks answers a
 * repeat with the first result instead of creating twice). Everything else
 * is final. Tokens never reach a log or an error message.
 */
export const makeQboClient = (config: QuickBooksConfig, client: HttpClient.HttpClient, limiter: RateLimiter.RateLimiter) =>
  Effect.gen(function*() {
    const tokens = yield* AccessTokens
    const spacing = requestSpacing(config)
    const spacingMillis = Duration.toMillis(spacing)
    const semaphores = new Map<string, Semaphore.Semaphore>()
    const semaphoreOf = (realmId: string) => {
      const existing = semaphores.get(realmId)
      if (existing !== undefined) return existing
      const created = Semaphore.makeUnsafe(config.maxConcurrent)
      semaphores.set(realmId, created)
      return created
    }

    /**
     * Waits for this realm's next slot, shared through the limiter's store by
     * every process. A fiber woken more than one spacing after its slot (an
     * event-loop pause, a long GC) takes a new slot instead of going: every
     * fiber the pause held would otherwise leave at once, on top of the
     * slots that follow (15 in one second in the bench).
     */
    const admit = (realmId: string) =>
      Effect.gen(function*() {
        for (;;) {
          // The slot is at least `asked + delay` (the store reads the clock after this), so a
          // request leaves at most one spacing after its slot however slow the store answered.
          const asked = yield* Clock.currentTimeMillis
          const slot = yield* limiter.consume({
            key: rateLimitKey(realmId),
            algorithm: "fixed-window",
            onExceeded: "delay",
            limit: 1,
            window: spacing
          })
          if (!Duration.isZero(slot.delay)) yield* Effect.sleep(slot.delay)
          if ((yield* Clock.currentTimeMillis) - (asked + Duration.toMillis(slot.delay)) <= spacingMillis) return
        }
      }).pipe(Effect.mapError(storeFailure))

    const request = (access: RealmAccess, call: QboCall) => {
      const realm = encodeURIComponent(access.realmId)
      const url = `${config.apiUrl}/v3/company/${realm}/${call.path.replaceAll(REALM, realm)}`
      const base = call.method === "GET" ? HttpClientRequest.get(url) : HttpClientRequest.post(url)
      return base.pipe(
        HttpClientRequest.setUrlParams({ ...call.params, minorversion: MINOR_VERSION }),
        HttpClientRequest.acceptJson,
        HttpClientRequest.bearerToken(access.accessToken),
        call.body === undefined ? (r) => r : HttpClientRequest.bodyJsonUnsafe(call.body)
      )
    }

    /** One attempt: a permit of the realm, its next slot, the exchange under the timeout, the answer read. */
    const attempt = (access: RealmAccess, call: QboCall): Effect.Effect<unknown, AccountingError> =>
      semaphoreOf(access.realmId).withPermits(1)(
        Effect.gen(function*() {
          yield* admit(access.realmId)
          const { status, body } = yield* client.execute(request(access, call)).pipe(
            Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, body: text }))),
            Effect.mapError((error) =>
              new AccountingError({ reason: "network", status: null, code: null, element: null, message: `${what(call)}: ${error.message}` })
            ),
            Effect.timeoutOrElse({
              duration: config.requestTimeout,
              orElse: () =>
                Effect.fail(
                  new AccountingError({
                    reason: "timeout",
                    status: null,
                    code: null,
                    element: null,
                    message: `${what(call)}: no answer within ${Duration.format(config.requestTimeout)}`
                  })
                )
            })
          )
          if (status < 200 || status >= 300) return yield* toAccountingError(what(call), status, body)
          // A 200 may still carry a Fault (quickbooks-facts.md): it is an error, not a success.
          if (Option.isSome(parseFault(body))) return yield* toAccountingError(what(call), status, body)
          const json = parseJson(body)
          if (Option.isNone(json)) {
            return yield* new AccountingError({
              reason: "malformed-response",
              status,
              code: null,
              element: null,
              message: `${what(call)} answered ${status} with a body that is not JSON`
            })
          }
          return json.value
        })
      )

    /** Sends `call` with the retries described above; the answer's JSON on success. */
    const send = (call: QboCall): Effect.Effect<unknown, AccountingError> =>
      Effect.gen(function*() {
        let access = yield* tokens.current
        let refreshed = false
        let throttled = 0
        let failures = 0
        for (;;) {
          const outcome = yield* Effect.result(attempt(access, call))
          if (outcome._tag === "Success") return outcome.success
          const error = outcome.failure
          if (error.reason === "unauthorized" && !refreshed) {
            refreshed = true
            // `afterRejection` refreshes only if no one else already did since this token was read.
            const rejected = access.accessToken
            access = yield* tokens.afterRejection(rejected)
            continue
          }
          if (error.reason === "throttled" && throttled < config.throttleRetries) {
            throttled++
            yield* Effect.logWarning("QuickBooks throttled the request; waiting before trying again").pipe(
              Effect.annotateLogs({ request: what(call), wait: Duration.format(config.throttleWait), attempt: throttled })
            )
            yield* Effect.sleep(config.throttleWait)
            // Minutes may have passed: a token near its end is refreshed before the next try.
            access = yield* tokens.current
            continue
          }
          if (transient(error) && failures < config.serverRetries) {
            yield* Effect.sleep(Duration.times(config.retryBase, 2 ** failures))
            failures++
            access = yield* tokens.current
            continue
          }
          return yield* error
        }
      })

    return { send }
  })

export type QboClient = Effect.Success<ReturnType<typeof makeQboClient>>
