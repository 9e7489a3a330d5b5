import * as F from "./faults.ts"

// What the fake QuickBooks can be told to answer instead of doing its work
// (fake-quickbooks.ts `fail`): the failures issue 11 lists, in the shapes of
// the saved examples.

export type QboFaultMode =
  /** 429 XML, code 3001 (fault-429-throttle-exceeded.xml); `legacy403`: the pre-2017 403 form; `json`: a JSON Fault. */
  | { readonly kind: "throttle"; readonly legacy403?: boolean; readonly json?: boolean }
  /** Every access token issued so far stops working, and this request gets the lower-case JSON 401 (or the XML one). */
  | { readonly kind: "unauthorized"; readonly xml?: boolean }
  | { readonly kind: "stale-object" }
  | { readonly kind: "duplicate-name" }
  /** 500 (or `status`) XML SystemFault, code 10000. */
  | { readonly kind: "server-error"; readonly status?: number }
  /** HTTP 200 whose body is a Fault. */
  | { readonly kind: "fault-in-200" }
  /** The request is carried out, the answer comes `millis` later (a client timeout may fire first). */
  | { readonly kind: "slow"; readonly millis: number }
  /** The connection is cut before anything is done. */
  | { readonly kind: "drop" }
  /** The request is carried out, then the connection is cut: the client cannot know it worked. */
  | { readonly kind: "drop-after" }
  /** Any answer, verbatim. */
  | { readonly kind: "reply"; readonly status: number; readonly body: string; readonly contentType?: "application/json" | "application/xml" }

export interface QboFault {
  readonly mode: QboFaultMode
  /** How many matching requests it hits (default 1). */
  readonly times?: number
  /** Only requests whose path (and query) contains this string or matches this pattern. */
  readonly path?: string | RegExp
  readonly method?: string
  /** `api` (default): the Accounting API; `oauth`: Intuit's OAuth endpoints; `all`. */
  readonly on?: "api" | "oauth" | "all"
}

/** The answer for an injected fault; undefined for the modes that change how (not what) the fake answers. */
export const injectedReply = (mode: QboFaultMode, now: number, expireAccessTokens: () => void): F.Reply | undefined => {
  switch (mode.kind) {
    case "throttle":
      return mode.json === true ? F.throttleJson(now) : F.throttle(now, mode.legacy403 === true ? 403 : 429)
    case "unauthorized":
      expireAccessTokens()
      return mode.xml === true ? F.unauthorizedXml(now) : F.unauthorized(now)
    case "stale-object":
      return F.staleObject(now)
    case "duplicate-name":
      return F.duplicateName(now)
    case "server-error":
      return F.systemFault(now, mode.status ?? 500)
    case "fault-in-200":
      return F.faultIn200(now)
    case "reply":
      return { status: mode.status, contentType: mode.contentType ?? "application/json", body: mode.body }
    default:
      return undefined
  }
}
