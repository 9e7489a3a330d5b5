import { randomBytes, timingSafeEqual } from "node:crypto"
import { json, type Reply } from "./faults.ts"
import { obj, str } from "./json.ts"

// Intuit's OAuth 2.0 endpoints as the fake plays them: authorize (302 back to
// the redirect URI with code, state, realmId), token (authorization_code and
// refresh_token grants, client id and secret in Basic auth) and revoke.
//
// Refresh tokens rotate on every refresh. What happens to the one just used is
// `rotation`:
//  - "until-next-used" (default, after Intuit's advice to keep the previous
//    token until the new one works): the used token stays valid until a token
//    issued from it is itself used; then it is refused with invalid_grant.
//  - "immediate": the used token is refused from the moment it was used.
//  - { graceMillis }: as the default, and refused graceMillis after its first use anyway.
// Revoking any token of a grant ends the whole grant (every access and refresh token).

export type Rotation = "until-next-used" | "immediate" | { readonly graceMillis: number }

export interface OAuthOptions {
  readonly clientId: string
  readonly clientSecret: string
  /** When set, authorize and the code exchange refuse any other redirect URI. */
  readonly redirectUri?: string
  readonly accessTokenLifetimeSeconds: number
  readonly refreshTokenLifetimeSeconds: number
  readonly rotation: Rotation
  /** Codes live this long (Intuit does not say; 10 minutes here). */
  readonly codeLifetimeSeconds: number
}

export const ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"

interface Code { readonly realmId: string; readonly redirectUri: string; readonly expiresAt: number; used: boolean }
interface AccessToken { readonly realmId: string; readonly grant: number; readonly expiresAt: number; invalid: boolean }
interface RefreshToken {
  readonly realmId: string
  readonly grant: number
  readonly expiresAt: number
  readonly parent: string | undefined
  invalid: boolean
  refusedAfter: number
}

export interface OAuthEvent {
  readonly kind: "authorize" | "exchange" | "refresh" | "revoke" | "refused"
  readonly at: number
  readonly realmId?: string
  readonly detail?: string
}

const token = (prefix: string) => `${prefix}${randomBytes(24).toString("base64url")}`
const sameText = (a: string, b: string) => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export const makeOAuth = (options: OAuthOptions) => {
  const codes = new Map<string, Code>()
  const access = new Map<string, AccessToken>()
  const refresh = new Map<string, RefreshToken>()
  const events: Array<OAuthEvent> = []
  let grants = 0

  const clientOk = (authorization: string | undefined) => {
    const match = /^Basic\s+(.+)$/iu.exec(authorization ?? "")
    if (match?.[1] === undefined) return false
    return sameText(Buffer.from(match[1], "base64").toString("utf8"), `${options.clientId}:${options.clientSecret}`)
  }
  const error = (status: number, code: string, description?: string): Reply =>
    json(status, { error: code, ...(description === undefined ? {} : { error_description: description }) })

  const issue = (realmId: string, grant: number, now: number, parent: string | undefined): Reply => {
    const accessToken = token("qbo-at-")
    const refreshToken = token("qbo-rt-")
    access.set(accessToken, { realmId, grant, expiresAt: now + options.accessTokenLifetimeSeconds * 1000, invalid: false })
    // A refresh keeps the grant's original refresh expiry, as Intuit's shrinking x_refresh_token_expires_in does.
    const expiresAt = parent === undefined
      ? now + options.refreshTokenLifetimeSeconds * 1000
      : refresh.get(parent)?.expiresAt ?? now + options.refreshTokenLifetimeSeconds * 1000
    refresh.set(refreshToken, { realmId, grant, expiresAt, parent, invalid: false, refusedAfter: Number.POSITIVE_INFINITY })
    return json(200, {
      token_type: "bearer",
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: options.accessTokenLifetimeSeconds,
      x_refresh_token_expires_in: Math.max(0, Math.floor((expiresAt - now) / 1000))
    })
  }

  const refreshUsable = (record: RefreshToken | undefined, now: number): record is RefreshToken =>
    record !== undefined && !record.invalid && now < record.expiresAt && now < record.refusedAfter

  return {
    events: (): ReadonlyArray<OAuthEvent> => events,

    /** GET /connect/oauth2: the user's consent, decided by the test. */
    authorize: (query: URLSearchParams, decision: { readonly allow: boolean; readonly realmId: string }, now: number):
      | { readonly redirect: string }
      | Reply => {
      const redirectUri = query.get("redirect_uri") ?? ""
      const state = query.get("state")
      const problem =
        query.get("client_id") !== options.clientId ? "unknown client_id" :
        query.get("response_type") !== "code" ? "response_type must be code" :
        !(query.get("scope") ?? "").split(" ").includes(ACCOUNTING_SCOPE) ? `scope must include ${ACCOUNTING_SCOPE}` :
        redirectUri === "" || (options.redirectUri !== undefined && redirectUri !== options.redirectUri) ? "redirect_uri does not match the app's" :
        state === null || state === "" ? "state is required" :
        undefined
      if (problem !== undefined) {
        events.push({ kind: "refused", at: now, detail: `authorize: ${problem}` })
        return error(400, "invalid_request", problem)
      }
      const target = new URL(redirectUri)
      if (!decision.allow) {
        target.searchParams.set("error", "access_denied")
        target.searchParams.set("state", state ?? "")
        return { redirect: target.toString() }
      }
      const code = token("qbo-code-")
      codes.set(code, { realmId: decision.realmId, redirectUri, expiresAt: now + options.codeLifetimeSeconds * 1000, used: false })
      events.push({ kind: "authorize", at: now, realmId: decision.realmId })
      target.searchParams.set("code", code)
      target.searchParams.set("state", state ?? "")
      target.searchParams.set("realmId", decision.realmId)
      return { redirect: target.toString() }
    },

    /** POST /oauth2/v1/tokens/bearer. */
    token: (form: URLSearchParams, authorization: string | undefined, now: number): Reply => {
      if (!clientOk(authorization)) {
        events.push({ kind: "refused", at: now, detail: "token: client authentication failed" })
        return error(401, "invalid_client")
      }
      const grantType = form.get("grant_type")
      if (grantType === "authorization_code") {
        const code = codes.get(form.get("code") ?? "")
        if (code === undefined || code.used || now >= code.expiresAt || form.get("redirect_uri") !== code.redirectUri) {
          events.push({ kind: "refused", at: now, detail: "token: authorization code refused" })
          return error(400, "invalid_grant")
        }
        code.used = true
        events.push({ kind: "exchange", at: now, realmId: code.realmId })
        return issue(code.realmId, ++grants, now, undefined)
      }
      if (grantType === "refresh_token") {
        const used = form.get("refresh_token") ?? ""
        const record = refresh.get(used)
        if (!refreshUsable(record, now)) {
          events.push({ kind: "refused", at: now, detail: "token: refresh token refused" })
          return error(400, "invalid_grant", "Incorrect or invalid refresh token")
        }
        // The parent of the token being used is now superseded for good.
        const parent = record.parent === undefined ? undefined : refresh.get(record.parent)
        if (parent !== undefined && options.rotation !== "immediate") parent.invalid = true
        if (options.rotation === "immediate") record.invalid = true
        else if (typeof options.rotation === "object" && record.refusedAfter === Number.POSITIVE_INFINITY) {
          record.refusedAfter = now + options.rotation.graceMillis
        }
        events.push({ kind: "refresh", at: now, realmId: record.realmId })
        return issue(record.realmId, record.grant, now, used)
      }
      return error(400, "unsupported_grant_type")
    },

    /** POST /v2/oauth2/tokens/revoke with `{"token": ...}` (a refresh or an access token). */
    revoke: (body: unknown, authorization: string | undefined, now: number): Reply => {
      if (!clientOk(authorization)) return error(401, "invalid_client")
      const value = str(obj(body)?.["token"]) ?? (typeof body === "string" ? new URLSearchParams(body).get("token") ?? "" : "")
      const grant = refresh.get(value)?.grant ?? access.get(value)?.grant
      if (grant === undefined) return error(400, "invalid_request", "unknown token")
      for (const record of refresh.values()) if (record.grant === grant) record.invalid = true
      for (const record of access.values()) if (record.grant === grant) record.invalid = true
      events.push({ kind: "revoke", at: now })
      return { status: 200, contentType: "application/json", body: "" }
    },

    /** The realm an API bearer token is good for, or why not. */
    check: (authorization: string | undefined, now: number): { readonly realmId: string } | { readonly refused: string } => {
      const match = /^Bearer\s+(.+)$/iu.exec(authorization ?? "")
      const record = match?.[1] === undefined ? undefined : access.get(match[1])
      if (record === undefined) return { refused: "Malformed bearer token: too short or too long" }
      if (record.invalid) return { refused: "Token revoked" }
      if (now >= record.expiresAt) return { refused: "Token expired" }
      return { realmId: record.realmId }
    },

    /** Tokens for a realm as a finished connect would leave them, without the browser round trip. */
    connect: (realmId: string, now: number) => {
      const reply = issue(realmId, ++grants, now, undefined)
      events.push({ kind: "exchange", at: now, realmId })
      const body = obj(JSON.parse(reply.body)) ?? {}
      return { accessToken: str(body["access_token"]) ?? "", refreshToken: str(body["refresh_token"]) ?? "", realmId }
    },

    /** Every access token issued so far stops working (a 401 until the client refreshes). */
    expireAccessTokens: (realmId?: string) => {
      for (const record of access.values()) if (realmId === undefined || record.realmId === realmId) record.invalid = true
    },

    /** Whether this refresh token would be taken now. */
    refreshTokenWorks: (value: string, now: number) => refreshUsable(refresh.get(value), now),

    /** Tokens issued by code exchange (a connect) and by refresh. */
    counts: () => ({
      accessTokens: access.size,
      refreshTokens: refresh.size,
      refreshes: events.filter((e) => e.kind === "refresh").length,
      exchanges: events.filter((e) => e.kind === "exchange").length
    })
  }
}

export type FakeOAuth = ReturnType<typeof makeOAuth>
