import { Effect, Layer, Option } from "effect"
import { SmsGateway } from "../../application/ports/sms-gateway.ts"
import { SqlRateLimiter } from "../sql/sql-rate-limiter-store.ts"
import { openPhoneConfig } from "./openphone-config.ts"
import { makeOpenPhoneGateway } from "./openphone-gateway.ts"
import { makeSandboxGateway, SandboxOutboxLayer } from "./sandbox-gateway.ts"

/** What operators see at start-up and in the logs when no API key is configured. */
export const SANDBOX_NOTICE = "SMS gateway: sandbox (messages are recorded, not sent)"

/**
 * The SMS gateway the configuration asks for: OpenPhone when
 * `OPENPHONE_API_KEY` is set (rate limited through PostgreSQL, shared by every
 * process), otherwise the sandbox, which records texts in the database. Also
 * provides `SandboxOutbox` for `GET /api/sandbox/messages`. Needs a
 * `SqlClient` and an `HttpClient` (e.g. `FetchHttpClient.layer`).
 */
export const SmsGatewayLive = Layer.merge(
  Layer.effect(
    SmsGateway,
    Effect.gen(function*() {
      const config = yield* openPhoneConfig
      if (Option.isNone(config.apiKey)) {
        // Info, not a warning: it is the normal offline set-up, and CLI commands (at Warn) stay quiet.
        yield* Effect.logInfo(SANDBOX_NOTICE)
        return yield* makeSandboxGateway(config)
      }
      const gateway = yield* makeOpenPhoneGateway(config, config.apiKey.value).pipe(Effect.provide(SqlRateLimiter))
      // The key is never logged; where texts go and from which number is.
      yield* Effect.logInfo("SMS gateway: OpenPhone").pipe(
        Effect.annotateLogs({ apiUrl: config.apiUrl, from: Option.getOrElse(config.from, () => "(first number of the account)") })
      )
      return gateway
    })
  ),
  SandboxOutboxLayer
)
