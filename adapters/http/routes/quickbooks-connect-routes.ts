import { Cause, Effect, Schema } from "effect"
import type { Context as HonoContext } from "hono"
import {
  type Connected,
  type OAuthCallbackRefused,
  QuickBooksConnect,
  type QuickBooksStatus
} from "../../../application/accounting/connect.ts"
import type { HttpResponse } from "../http-response.ts"
import { iso, Timestamp } from "../json-views.ts"
import { CurrentPrincipal, route, type Route, type RouteDoc } from "../route.ts"

const tags = ["QuickBooks"]

const AuthorizeJson = Schema.Struct({
  authorizeUrl: Schema.String.annotate({ description: "Open this in a browser: Intuit's sign-in and company choice" }),
  expiresAt: Timestamp.annotate({ description: "The link's state is good until then (10 minutes)" })
}).annotate({ identifier: "QuickBooksAuthorize" })

const QuickBooksStatusJson = Schema.Struct({
  enabled: Schema.Boolean.annotate({ description: "false: the QUICKBOOKS_* variables are not set and the integration is off" }),
  connected: Schema.Boolean,
  environment: Schema.NullOr(Schema.Literals(["sandbox", "production"])),
  realmId: Schema.NullOr(Schema.String).annotate({ description: "The connected QuickBooks company's id" }),
  companyName: Schema.NullOr(Schema.String),
  connectedAt: Schema.NullOr(Timestamp),
  accessTokenExpiresAt: Schema.NullOr(Timestamp).annotate({ description: "Refreshed automatically before then" }),
  refreshTokenExpiresAt: Schema.NullOr(Timestamp).annotate({ description: "Reconnect before then if nothing used the connection" }),
  lastSyncAt: Schema.NullOr(Timestamp),
  lastError: Schema.NullOr(Schema.String).annotate({ description: "The last sync or token error; null after a success" }),
  mapped: Schema.Struct({
    customers: Schema.Int,
    services: Schema.Int,
    invoices: Schema.Int,
    payments: Schema.Int
  }).annotate({ description: "How many CRM records have a QuickBooks twin" })
}).annotate({ identifier: "QuickBooksStatus" })

const orNull = (instant: Parameters<typeof iso>[0] | null) => (instant === null ? null : iso(instant))

const statusJson = (status: QuickBooksStatus): typeof QuickBooksStatusJson.Type => ({
  enabled: status.enabled,
  connected: status.connected,
  environment: status.environment,
  realmId: status.realmId,
  companyName: status.companyName,
  connectedAt: orNull(status.connectedAt),
  accessTokenExpiresAt: orNull(status.accessTokenExpiresAt),
  refreshTokenExpiresAt: orNull(status.refreshTokenExpiresAt),
  lastSyncAt: orNull(status.lastSyncAt),
  lastError: status.lastError,
  mapped: status.mapped
})

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/gu, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c] ?? c)

/** A plain page for the person's browser: Intuit redirects it here, so there is no API client to read JSON. */
const page = (status: number, title: string, text: string): HttpResponse => ({
  status,
  headers: {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // The page never loads anything: no script, style or frame from anywhere.
    "content-security-policy": "default-src 'none'"
  },
  body: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>\n`
})

const connectedPage = (connected: Connected) =>
  page(
    200,
    connected.companyName === null ? "Connected to QuickBooks" : `Connected to ${connected.companyName}`,
    `The CRM is connected to QuickBooks company ${connected.realmId}. You can close this page.`
  )

const refusedPage = (error: OAuthCallbackRefused) =>
  error.reason === "cancelled"
    ? page(200, "QuickBooks connection cancelled", error.message)
    : page(error.reason === "provider-error" ? 502 : 400, "QuickBooks not connected", error.message)

const callbackDoc: RouteDoc = {
  method: "get",
  path: "/integrations/quickbooks/callback",
  operationId: "quickBooksOAuthCallback",
  summary: "Intuit's OAuth redirect (browser)",
  description: "Where Intuit sends the browser after the person signs in (QUICKBOOKS_REDIRECT_URI points here). " +
    "Not for API clients: no bearer token; the one-use `state` from GET /api/integrations/quickbooks/connect " +
    "authenticates. Answers a plain HTML page: connected (200), cancelled at Intuit (200), an unknown, expired or " +
    "used state or a refused code (400), Intuit not answering (502), QuickBooks not configured (409).",
  tags,
  access: "public",
  success: { status: 200, schema: Schema.String, description: "A plain page saying what happened", contentType: "text/html" },
  problems: []
}

const query = (c: HonoContext, name: string): string | undefined => c.req.query(name)

const callback = (c: HonoContext, requestId: string) =>
  QuickBooksConnect.use((connect) =>
    connect.complete({
      code: query(c, "code"),
      state: query(c, "state"),
      realmId: query(c, "realmId"),
      error: query(c, "error")
    })
  ).pipe(
    Effect.map(connectedPage),
    Effect.catchTags({
      OAuthCallbackRefused: (error) =>
        Effect.as(
          Effect.logInfo("QuickBooks callback refused").pipe(Effect.annotateLogs({ requestId, reason: error.reason })),
          refusedPage(error)
        ),
      QuickBooksNotConfigured: (error) => Effect.succeed(page(409, "QuickBooks is not configured", error.message))
    }),
    Effect.catchCause((cause) =>
      Effect.as(
        Effect.logError("QuickBooks callback failed").pipe(Effect.annotateLogs({ requestId, cause: Cause.pretty(cause) })),
        page(500, "QuickBooks not connected", `Something failed on our side (request ${requestId}); start connecting again`)
      )
    )
  )

export const quickBooksConnectRoutes: ReadonlyArray<Route> = [
  route({
    method: "get",
    path: "/api/integrations/quickbooks",
    operationId: "getQuickBooksStatus",
    summary: "QuickBooks connection status",
    description: "Whether the integration is configured and connected, to which company, token expiry, the last sync " +
      "and its error, and how many records are mapped. Never shows tokens.",
    tags,
    access: "staff",
    success: { status: 200, schema: QuickBooksStatusJson, description: "The connection's state" },
    problems: [],
    handler: () => Effect.map(QuickBooksConnect.use((connect) => connect.status), statusJson)
  }),
  route({
    method: "get",
    path: "/api/integrations/quickbooks/connect",
    operationId: "connectQuickBooks",
    summary: "Start connecting QuickBooks",
    description: "Admin only. Answers Intuit's authorize URL (scope com.intuit.quickbooks.accounting) with a one-use " +
      "`state` bound to this token and valid 10 minutes; open it in a browser. Intuit then redirects to " +
      "/integrations/quickbooks/callback, which stores the connection.",
    tags,
    access: "admin",
    success: { status: 200, schema: AuthorizeJson, description: "Where to send the browser" },
    problems: ["quickbooks-not-configured"],
    handler: () =>
      Effect.gen(function*() {
        const principal = yield* CurrentPrincipal
        const request = yield* QuickBooksConnect.use((connect) => connect.start(principal.tokenId))
        return { authorizeUrl: request.authorizeUrl, expiresAt: iso(request.expiresAt) }
      })
  }),
  route({
    method: "delete",
    path: "/api/integrations/quickbooks",
    operationId: "disconnectQuickBooks",
    summary: "Disconnect QuickBooks",
    description: "Admin only. Revokes the tokens at Intuit (if Intuit does not answer, they are forgotten anyway and " +
      "expire) and forgets the connection. Mappings and the sync log are kept. Nothing connected: 204 too.",
    tags,
    access: "admin",
    success: { status: 204, description: "Disconnected" },
    problems: ["quickbooks-not-configured"],
    handler: () => QuickBooksConnect.use((connect) => connect.disconnect)
  }),
  { honoPath: callbackDoc.path, doc: callbackDoc, run: callback }
]
