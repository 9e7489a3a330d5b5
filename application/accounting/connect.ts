import { Context, DateTime, Duration, Effect, Layer, Option, Schema } from "effect"
import { AccountingGateway } from "../ports/accounting-gateway.ts"
import { AccountingMappings } from "../ports/accounting-mappings.ts"
import { Ids } from "../ports/ids.ts"
import { QuickBooksConnectionStore } from "../ports/quickbooks-connection-store.ts"
import { QuickBooksOAuth } from "../ports/quickbooks-oauth.ts"
import { Transactor } from "../ports/transactor.ts"
import { QuickBooksNotConfigured } from "./accounting-errors.ts"
import { AccountingSettings } from "./accounting-settings.ts"

/** How long a `state` waits for Intuit's callback: the person has that long to sign in and pick a company. */
export const STATE_LIFETIME = Duration.minutes(10)

/** Why a callback from Intuit did not connect anything; the browser gets a plain page saying so. */
export class OAuthCallbackRefused extends Schema.TaggedError<OAuthCallbackRefused>()("OAuthCallbackRefused", {
  /**
   * `cancelled`: the person declined at Intuit; `invalid-request`: no code, state or realm id;
   * `unknown-state`: not ours, expired or used already; `code-refused`: Intuit would not exchange the code;
   * `provider-error`: Intuit did not answer properly (try again).
   */
  reason: Schema.Literals(["cancelled", "invalid-request", "unknown-state", "code-refused", "provider-error"]),
  message: Schema.String
}) {}

export interface AuthorizeRequest {
  readonly authorizeUrl: string
  readonly expiresAt: DateTime.Utc
}

/** The query Intuit's redirect carries back (every member optional: it is outside input). */
export interface OAuthCallback {
  readonly code?: string | undefined
  readonly state?: string | undefined
  readonly realmId?: string | undefined
  readonly error?: string | undefined
}

export interface Connected {
  readonly realmId: string
  readonly companyName: string | null
}

export interface QuickBooksStatus {
  readonly enabled: boolean
  readonly connected: boolean
  readonly environment: "sandbox" | "production" | null
  readonly realmId: string | null
  readonly companyName: string | null
  readonly connectedAt: DateTime.Utc | null
  readonly accessTokenExpiresAt: DateTime.Utc | null
  readonly refreshTokenExpiresAt: DateTime.Utc | null
  readonly lastSyncAt: DateTime.Utc | null
  readonly lastError: string | null
  readonly mapped: { readonly customers: number; readonly services: number; readonly invoices: number; readonly payments: number }
}

const notConfigured = new QuickBooksNotConfigured({
  message: "QuickBooks is not configured: set the QUICKBOOKS_* variables (see README, \"QuickBooks Online\")"
})

/**
 * Connecting the CRM to one QuickBooks company (OAuth 2.0 authorization code
 * grant), showing the connection, and disconnecting it.
 */
export class QuickBooksConnect extends Context.Service<QuickBooksConnect, {
  /** A `state` bound to the asking API token, valid 10 minutes, and Intuit's authorize URL carrying it. */
  readonly start: (apiTokenId: string) => Effect.Effect<AuthorizeRequest, QuickBooksNotConfigured>
  /** Intuit's redirect: checks and uses up the state, exchanges the code, stores the tokens. */
  readonly complete: (callback: OAuthCallback) => Effect.Effect<Connected, QuickBooksNotConfigured | OAuthCallbackRefused>
  readonly status: Effect.Effect<QuickBooksStatus>
  /** Revokes the refresh token at Intuit (a failure is logged, not fatal) and forgets the connection. */
  readonly disconnect: Effect.Effect<void, QuickBooksNotConfigured>
}>()("crm/application/accounting/QuickBooksConnect") {
  /** Needs AccountingSettings, QuickBooksOAuth, QuickBooksConnectionStore, AccountingGateway, AccountingMappings, Ids and Transactor. */
  static readonly layer = Layer.effect(
    QuickBooksConnect,
    Effect.gen(function*() {
      const settings = yield* AccountingSettings
      const oauth = yield* QuickBooksOAuth
      const store = yield* QuickBooksConnectionStore
      const gateway = yield* AccountingGateway
      const mappings = yield* AccountingMappings
      const ids = yield* Ids
      const tx = yield* Transactor
      const enabled = settings.enabled ? Effect.void : Effect.fail(notConfigured)

      const start = Effect.fn("QuickBooksConnect.start")(function*(apiTokenId: string) {
        yield* enabled
        const state = yield* ids.secret
        const expiresAt = DateTime.addDuration(yield* DateTime.now, STATE_LIFETIME)
        yield* store.saveState({ state, apiTokenId, expiresAt })
        return { authorizeUrl: oauth.authorizeUrl(state), expiresAt }
      })

      const refused = (reason: OAuthCallbackRefused["reason"], message: string) => new OAuthCallbackRefused({ reason, message })

      const complete = Effect.fn("QuickBooksConnect.complete")(function*(callback: OAuthCallback) {
        yield* enabled
        const now = yield* DateTime.now
        // The state is used up whatever happens next: a callback is answered once.
        const state = callback.state === undefined || callback.state === ""
          ? Option.none()
          : yield* store.takeState(callback.state, now)
        if (callback.error !== undefined) {
          return yield* callback.error === "access_denied"
            ? refused("cancelled", "Connecting to QuickBooks was cancelled at Intuit; nothing was connected")
            : refused("provider-error", `Intuit answered ${callback.error.slice(0, 100)}; nothing was connected`)
        }
        if (callback.code === undefined || callback.code === "" || callback.realmId === undefined || callback.realmId === "") {
          return yield* refused("invalid-request", "Intuit's answer has no code or realmId; nothing was connected")
        }
        if (Option.isNone(state)) {
          return yield* refused(
            "unknown-state",
            "This sign-in link is unknown, expired (10 minutes) or used already; start connecting again"
          )
        }
        const grant = yield* oauth.exchangeCode(callback.code).pipe(
          Effect.mapError((error) =>
            error.reason === "invalid-grant" || error.reason === "invalid-client"
              ? refused("code-refused", `Intuit refused the authorization code (${error.message}); start connecting again`)
              : refused("provider-error", `Intuit did not answer properly (${error.message}); start connecting again`)
          )
        )
        const realmId = callback.realmId
        // One transaction: another company's mappings never outlive the switch to this one.
        yield* tx.withTransaction(Effect.gen(function*() {
          const previous = yield* store.findForUpdate
          if (Option.isSome(previous) && previous.value.realmId !== realmId) {
            // Mappings hold the other company's ids; pushes would update unrelated entities here.
            const forgotten = yield* mappings.clear
            yield* Effect.logWarning("QuickBooks connected to another company; its mappings were forgotten").pipe(
              Effect.annotateLogs({ previousRealmId: previous.value.realmId, realmId, forgotten })
            )
          }
          yield* store.connect({
            realmId,
            companyName: null,
            connectedAt: now,
            tokens: {
              accessToken: grant.accessToken,
              refreshToken: grant.refreshToken,
              accessTokenExpiresAt: DateTime.addDuration(now, grant.accessTokenLifetime),
              refreshTokenExpiresAt: DateTime.addDuration(now, grant.refreshTokenLifetime)
            }
          })
        }))
        yield* Effect.logInfo("QuickBooks connected").pipe(
          Effect.annotateLogs({ realmId, apiTokenId: state.value.apiTokenId })
        )
        // The name is only for the status page: connected without it if QuickBooks does not answer now.
        const companyName = yield* gateway.companyName.pipe(
          Effect.tap((name) => store.setCompanyName(name)),
          Effect.map((name): string | null => name),
          Effect.catch((error) =>
            Effect.as(
              Effect.logWarning("QuickBooks company name not read").pipe(Effect.annotateLogs({ reason: error.reason, error: error.message })),
              null
            )
          )
        )
        return { realmId, companyName }
      })

      const status = Effect.gen(function*() {
        const connection = yield* store.find
        const [customers, services, invoices, payments] = yield* Effect.all([
          mappings.count("customer"),
          mappings.count("service"),
          mappings.count("invoice"),
          mappings.count("payment")
        ])
        const found = Option.getOrNull(connection)
        return {
          enabled: settings.enabled,
          connected: found !== null,
          environment: settings.environment,
          realmId: found?.realmId ?? null,
          companyName: found?.companyName ?? null,
          connectedAt: found?.connectedAt ?? null,
          accessTokenExpiresAt: found?.accessTokenExpiresAt ?? null,
          refreshTokenExpiresAt: found?.refreshTokenExpiresAt ?? null,
          lastSyncAt: found?.lastSyncAt ?? null,
          lastError: found?.lastError ?? null,
          mapped: { customers, services, invoices, payments }
        }
      }).pipe(Effect.withSpan("QuickBooksConnect.status"))

      const disconnect = Effect.gen(function*() {
        yield* enabled
        const connection = yield* store.find
        if (Option.isNone(connection)) return
        // Revoking the refresh token ends the access token too (Intuit's revoke endpoint).
        yield* oauth.revoke(connection.value.refreshToken).pipe(
          Effect.catch((error) =>
            Effect.logWarning("QuickBooks token not revoked; forgotten anyway").pipe(
              Effect.annotateLogs({ reason: error.reason, error: error.message })
            )
          )
        )
        yield* store.disconnect
        yield* Effect.logInfo("QuickBooks disconnected").pipe(Effect.annotateLogs({ realmId: connection.value.realmId }))
      }).pipe(Effect.withSpan("QuickBooksConnect.disconnect"))

      return QuickBooksConnect.of({ start, complete, status, disconnect })
    })
  )
}
