import { Context, DateTime, Duration, Effect, Layer, Redacted, Ref } from "effect"
import { OAuthError, QuickBooksOAuth, type TokenGrant } from "../ports/quickbooks-oauth.ts"

/** The realm the memory consent page picks unless a test names another. */
export const MEMORY_QBO_REALM = "4620816365171360360"

const ACCESS_LIFETIME = Duration.hours(1)
const REFRESH_LIFETIME = Duration.days(100)

export type OAuthOp = "exchange" | "refresh" | "revoke"

/** A failure for the next `times` calls (default 1) of `op` (any when undefined). */
export interface OAuthFailure {
  readonly op?: OAuthOp | undefined
  readonly reason: OAuthError["reason"]
  readonly times?: number | undefined
}

/** Lets a test play the user at Intuit's consent page, see token traffic and make it fail. */
export class MemoryQuickBooksOAuthControl extends Context.Service<MemoryQuickBooksOAuthControl, {
  /** The user allows access on the authorize page: a one-use code for the realm. */
  readonly approve: (realmId?: string) => Effect.Effect<string>
  /** Tokens for a realm as after a finished connect, without the browser round trip. */
  readonly connect: (realmId?: string) => Effect.Effect<TokenGrant>
  /** The refresh tokens presented to `refresh`, oldest first (refused ones too). */
  readonly refreshes: Effect.Effect<ReadonlyArray<string>>
  /** The tokens revoked. */
  readonly revoked: Effect.Effect<ReadonlyArray<string>>
  readonly fail: (failure: OAuthFailure) => Effect.Effect<void>
  readonly clearFailures: Effect.Effect<void>
}>()("crm/application/testing/MemoryQuickBooksOAuthControl") {}

interface RefreshToken {
  readonly grant: number
  readonly parent: string | undefined
  readonly expiresAt: number
  readonly invalid: boolean
}

interface State {
  readonly codes: ReadonlyMap<string, { readonly realmId: string; readonly used: boolean }>
  readonly tokens: ReadonlyMap<string, RefreshToken>
  /** Tokens handed out so far: access-n / refresh-n number them, so tests can name them. */
  readonly issued: number
  readonly grants: number
  readonly refreshes: ReadonlyArray<string>
  readonly revoked: ReadonlyArray<string>
  readonly failures: ReadonlyArray<OAuthFailure>
}

const refused = (message: string) => new OAuthError({ reason: "invalid-grant", status: 400, message: `token answered 400: invalid_grant (${message})` })

/**
 * Intuit's OAuth in memory, as tests/support/fake-quickbooks plays it: a code
 * works once; a refresh rotates the refresh token, and the one used stays good
 * until a token issued from it is itself used (Intuit's advice to keep the
 * previous one); revoking any token ends its whole grant. Tokens are
 * `access-n` / `refresh-n` in the order handed out.
 */
export const MemoryQuickBooksOAuth: Layer.Layer<QuickBooksOAuth | MemoryQuickBooksOAuthControl> = Layer.effectContext(
  Effect.gen(function*() {
    const state = yield* Ref.make<State>({
      codes: new Map(),
      tokens: new Map(),
      issued: 0,
      grants: 0,
      refreshes: [],
      revoked: [],
      failures: []
    })

    const queued = (op: OAuthOp) =>
      Effect.flatMap(
        Ref.modify(state, (s): [OAuthFailure | undefined, State] => {
          const index = s.failures.findIndex((f) => f.op === undefined || f.op === op)
          const found = s.failures[index]
          if (found === undefined) return [undefined, s]
          const left = (found.times ?? 1) - 1
          const failures = left > 0
            ? s.failures.map((f, i) => (i === index ? { ...f, times: left } : f))
            : s.failures.filter((_, i) => i !== index)
          return [found, { ...s, failures }]
        }),
        (failure) =>
          failure === undefined
            ? Effect.void
            : Effect.fail(new OAuthError({ reason: failure.reason, status: null, message: `queued ${failure.reason}` }))
      )

    /** A new pair for the grant; `parent` the refresh token it was issued from. */
    const issue = (s: State, grant: number, parent: string | undefined, now: number): [TokenGrant, State] => {
      const n = s.issued + 1
      const refreshToken = `refresh-${n}`
      // A rotated token keeps the grant's first expiry, as Intuit's shrinking x_refresh_token_expires_in says.
      const expiresAt = parent === undefined ? now + Duration.toMillis(REFRESH_LIFETIME) : s.tokens.get(parent)?.expiresAt ?? now
      const tokens = new Map(s.tokens).set(refreshToken, { grant, parent, expiresAt, invalid: false })
      return [{
        accessToken: Redacted.make(`access-${n}`),
        refreshToken: Redacted.make(refreshToken),
        accessTokenLifetime: ACCESS_LIFETIME,
        refreshTokenLifetime: Duration.millis(Math.max(0, expiresAt - now))
      }, { ...s, issued: n, tokens }]
    }

    const now = Effect.map(DateTime.now, DateTime.toEpochMillis)

    const oauth = QuickBooksOAuth.of({
      authorizeUrl: (oauthState) =>
        `https://appcenter.intuit.test/connect/oauth2?client_id=memory&response_type=code&scope=com.intuit.quickbooks.accounting&state=${
          encodeURIComponent(oauthState)
        }`,
      exchangeCode: (code) =>
        Effect.gen(function*() {
          yield* queued("exchange")
          const at = yield* now
          const grant = yield* Ref.modify(state, (s): [TokenGrant | OAuthError, State] => {
            const found = s.codes.get(code)
            if (found === undefined || found.used) return [refused("authorization code refused"), s]
            const codes = new Map(s.codes).set(code, { ...found, used: true })
            return issue({ ...s, codes, grants: s.grants + 1 }, s.grants + 1, undefined, at)
          })
          return grant instanceof OAuthError ? yield* Effect.fail(grant) : grant
        }),
      refresh: (token) =>
        Effect.gen(function*() {
          const used = Redacted.value(token)
          yield* Ref.update(state, (s) => ({ ...s, refreshes: [...s.refreshes, used] }))
          yield* queued("refresh")
          const at = yield* now
          const grant = yield* Ref.modify(state, (s): [TokenGrant | OAuthError, State] => {
            const record = s.tokens.get(used)
            if (record === undefined || record.invalid || at >= record.expiresAt) return [refused("Incorrect or invalid refresh token"), s]
            // Using a token ends its parent for good.
            const parent = record.parent === undefined ? undefined : s.tokens.get(record.parent)
            const tokens = parent === undefined || record.parent === undefined
              ? s.tokens
              : new Map(s.tokens).set(record.parent, { ...parent, invalid: true })
            return issue({ ...s, tokens }, record.grant, used, at)
          })
          return grant instanceof OAuthError ? yield* Effect.fail(grant) : grant
        }),
      revoke: (token) =>
        Effect.gen(function*() {
          yield* queued("revoke")
          const value = Redacted.value(token)
          const outcome = yield* Ref.modify(state, (s): [OAuthError | undefined, State] => {
            const grant = s.tokens.get(value)?.grant
            if (grant === undefined) {
              return [new OAuthError({ reason: "provider-error", status: 400, message: "revoke answered 400: invalid_request (unknown token)" }), s]
            }
            const tokens = new Map([...s.tokens].map(([k, t]) => [k, t.grant === grant ? { ...t, invalid: true } : t]))
            return [undefined, { ...s, tokens, revoked: [...s.revoked, value] }]
          })
          if (outcome !== undefined) return yield* Effect.fail(outcome)
        })
    })

    const control = MemoryQuickBooksOAuthControl.of({
      approve: (realmId = MEMORY_QBO_REALM) =>
        Ref.modify(state, (s): [string, State] => {
          const code = `code-${s.codes.size + 1}`
          return [code, { ...s, codes: new Map(s.codes).set(code, { realmId, used: false }) }]
        }),
      connect: () =>
        Effect.flatMap(now, (at) => Ref.modify(state, (s) => issue({ ...s, grants: s.grants + 1 }, s.grants + 1, undefined, at))),
      refreshes: Effect.map(Ref.get(state), (s) => s.refreshes),
      revoked: Effect.map(Ref.get(state), (s) => s.revoked),
      fail: (failure) => Ref.update(state, (s) => ({ ...s, failures: [...s.failures, failure] })),
      clearFailures: Ref.update(state, (s) => ({ ...s, failures: [] }))
    })

    return Context.make(QuickBooksOAuth, oauth).pipe(Context.add(MemoryQuickBooksOAuthControl, control))
  })
)
