import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import { type Change, type CompanyOptions, entityOf, type FakeCompany, makeCompany } from "./fake-quickbooks/books.ts"
import { injectedReply, type QboFault, type QboFaultMode } from "./fake-quickbooks/fault-modes.ts"
import * as F from "./fake-quickbooks/faults.ts"
import { type CreatedTwice, findCreatedTwice, maxInWindow } from "./fake-quickbooks/observations.ts"
import { isObject, type Json, parseJson, str } from "./fake-quickbooks/json.ts"
import { makeOAuth, type OAuthEvent, type Rotation } from "./fake-quickbooks/oauth.ts"
import type { Entity } from "./fake-quickbooks/rules.ts"
import { type Notification, type SignedWebhook, signIntuit, webhookBody } from "./fake-quickbooks/webhooks.ts"

export type { QboFault, QboFaultMode } from "./fake-quickbooks/fault-modes.ts"
export type { CreatedTwice } from "./fake-quickbooks/observations.ts"
export { xsdProblems } from "./fake-quickbooks/xsd-validate.ts"
export type { Entity as QboEntity } from "./fake-quickbooks/rules.ts"
export type { Notification as QboNotification } from "./fake-quickbooks/webhooks.ts"

// A stand-in for QuickBooks Online on a real socket: Intuit's OAuth endpoints
// ({url}/connect/oauth2, {url}/oauth2/v1/tokens/bearer, {url}/v2/oauth2/tokens/revoke)
// and the Accounting API under {url}/v3/company/{realm}/. Point
// QUICKBOOKS_OAUTH_URL and QUICKBOOKS_API_URL at `url`. It checks request
// bodies against the XSD-derived rules (fake-quickbooks/xsd-validate.ts) and
// QuickBooks' business rules (fake-quickbooks/rules.ts), answers like the
// recorded examples, replays a write's first answer for a repeated `requestid`,
// and can be told to fail. Steered from TypeScript, not over HTTP.

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  /** Parsed JSON when it was JSON; the text otherwise (form bodies, query text). */
  readonly body: unknown
  readonly kind: "api" | "oauth"
  readonly realmId: string | undefined
  /** The fake's clock at arrival (ms). */
  readonly at: number
  /** The status answered; undefined while in flight or when the connection was cut. */
  readonly status: number | undefined
  /** The body answered (JSON or XML text). */
  readonly response: string | undefined
}

export interface FakeQuickBooksStats {
  readonly requests: number
  readonly apiRequests: number
  readonly byStatus: Readonly<Record<string, number>>
  /** Most API requests in flight at once, over all realms and per realm. */
  readonly maxInFlight: number
  readonly maxInFlightByRealm: Readonly<Record<string, number>>
  /** Most API requests that arrived within any 60 s of the fake's clock, per realm (the limit is 500). */
  readonly maxPerMinuteByRealm: Readonly<Record<string, number>>
  /** Most API requests within any 1 s of the fake's clock, per realm (Intuit states 10 a second). */
  readonly maxPerSecondByRealm: Readonly<Record<string, number>>
  /** Answers that were a throttle (429 or code 3001), injected or enforced. */
  readonly throttled: number
  /** Writes answered from the requestid cache. */
  readonly replayed: number
}

export interface FakeQuickBooksOptions {
  readonly clientId?: string
  readonly clientSecret?: string
  readonly redirectUri?: string
  /** The webhook verifier token `webhookFor` signs with. */
  readonly webhookVerifier?: string
  readonly companies?: ReadonlyArray<Partial<CompanyOptions> & { readonly realmId: string }>
  /** The fake's clock (epoch ms); default Date.now. `advanceClock` moves it on either way. */
  readonly now?: () => number
  /** Default 3600 (Intuit's expires_in). */
  readonly accessTokenLifetimeSeconds?: number
  /** Default 8,726,400 (101 days, Intuit's x_refresh_token_expires_in). */
  readonly refreshTokenLifetimeSeconds?: number
  readonly rotation?: Rotation
  /** Answer 429 (XML throttle) beyond these per realm, as QuickBooks does; off by default (the stats count either way). */
  readonly enforceLimits?: {
    /** Default 500 a minute per realm (Intuit's limit). */
    readonly perMinute?: number
    /** Default 10 in flight per realm (Intuit's older concurrency limit, still answered with 429). */
    readonly concurrent?: number
    /** Off unless set: Intuit also states 10 a second per realm and app. */
    readonly perSecond?: number
  }
}

export const FAKE_QBO_CLIENT_ID = "fake-qbo-client-id"
export const FAKE_QBO_CLIENT_SECRET = "fake-qbo-client-secret"
export const FAKE_QBO_VERIFIER = "fake-qbo-webhook-verifier"
export const FAKE_QBO_REALM = "9341455130188547"
export const FAKE_QBO_COMPANY = "Attack-a-Crack Sandbox Co."
/** Sandbox income accounts: "79" is the one item-create-response.json names. */
export const FAKE_QBO_ACCOUNTS: Readonly<Record<string, string>> = { "1": "Services", "79": "Sales of Product Income" }

const API = /^\/v3\/company\/([^/]+)\/(.+)$/u

export const startFakeQuickBooks = async (options: FakeQuickBooksOptions = {}) => {
  let offset = 0
  const now = () => (options.now?.() ?? Date.now()) + offset
  const oauth = makeOAuth({
    clientId: options.clientId ?? FAKE_QBO_CLIENT_ID,
    clientSecret: options.clientSecret ?? FAKE_QBO_CLIENT_SECRET,
    ...(options.redirectUri === undefined ? {} : { redirectUri: options.redirectUri }),
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? 8_726_400,
    rotation: options.rotation ?? "until-next-used",
    codeLifetimeSeconds: 600
  })
  const companies = new Map<string, FakeCompany>()
  for (const c of options.companies ?? [{ realmId: FAKE_QBO_REALM }]) {
    companies.set(c.realmId, makeCompany({
      realmId: c.realmId,
      companyName: c.companyName ?? FAKE_QBO_COMPANY,
      accounts: c.accounts ?? FAKE_QBO_ACCOUNTS,
      vendors: c.vendors ?? [],
      employees: c.employees ?? []
    }, now))
  }
  const firstRealm = [...companies.keys()][0] ?? FAKE_QBO_REALM
  const company = (realmId = firstRealm): FakeCompany => {
    const found = companies.get(realmId)
    if (found === undefined) throw new Error(`the fake QuickBooks has no company ${realmId}`)
    return found
  }

  let authorizeDecision = { allow: true, realmId: firstRealm }
  let faults: Array<{ fault: QboFault; left: number }> = []
  type Mutable = RecordedRequest & { status: number | undefined; response: string | undefined }
  let requests: Array<Mutable> = []
  // API arrival times per realm, in arrival order: the per-minute count looks back from the end.
  let arrivals = new Map<string, Array<number>>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let byStatus: Record<string, number> = {}
  let throttled = 0
  let replayed = 0
  let maxInFlight = 0
  let inFlight = 0
  const inFlightByRealm = new Map<string, number>()
  let maxInFlightByRealm: Record<string, number> = {}
  let creates: Array<{ realmId: string; entity: Entity; id: string; body: unknown }> = []
  // requestid -> the first answer; only answers that did something (2xx) are kept, so a refused write may be retried.
  const replies = new Map<string, F.Reply>()
  const open = new Set<ServerResponse>()

  const faultFor = (kind: "api" | "oauth", method: string, target: string): QboFaultMode | undefined => {
    const index = faults.findIndex(({ fault }) =>
      (fault.on ?? "api") !== (kind === "api" ? "oauth" : "api") &&
      (fault.method === undefined || fault.method.toUpperCase() === method) &&
      (fault.path === undefined || (typeof fault.path === "string" ? target.includes(fault.path) : fault.path.test(target)))
    )
    const entry = faults[index]
    if (entry === undefined) return undefined
    entry.left -= 1
    if (entry.left <= 0) faults = faults.filter((_, i) => i !== index)
    return entry.fault.mode
  }

  const injected = (mode: QboFaultMode, realmId: string | undefined) => injectedReply(mode, now(), () => oauth.expireAccessTokens(realmId))

  /** The Accounting API proper, once the request is authorised. */
  const api = (realmId: string, rest: string, method: string, query: URLSearchParams, body: unknown, record: RecordedRequest): F.Reply => {
    const books = company(realmId)
    const [segment = "", id, extra] = rest.split("/")
    const entity = entityOf(segment)
    if (method === "GET" && segment === "companyinfo" && id === realmId && extra === undefined) return books.companyInfo()
    if (segment === "query" && (method === "GET" || method === "POST")) {
      return books.query(method === "GET" ? query.get("query") ?? "" : typeof body === "string" ? body : "")
    }
    if (method === "GET" && segment === "cdc" && id === undefined) return books.cdc(query.get("entities") ?? "", query.get("changedSince") ?? "")
    if (entity !== undefined && method === "GET" && id !== undefined && extra === undefined) return books.read(entity, id)
    if (entity !== undefined && method === "POST" && id === undefined) {
      const requestId = query.get("requestid")
      const key = requestId === null ? undefined : `${realmId} ${rest} ${query.get("operation") ?? ""} ${requestId}`
      const earlier = key === undefined ? undefined : replies.get(key)
      if (earlier !== undefined) {
        replayed++
        return earlier
      }
      const operation = query.get("operation")
      const reply = operation === "void" && entity === "Invoice" ? books.voidInvoice(body)
        : operation === null || operation === "update" ? books.write(entity, body)
        : F.business(now(), `operation ${operation} is not one this fake answers`)
      if (reply.status === 200) {
        if (key !== undefined) replies.set(key, reply)
        const created = parseJson(reply.body)
        const value = isObject(created) ? created[entity] : undefined
        if (isObject(body) && body["Id"] === undefined && operation === null && isObject(value)) {
          creates.push({ realmId, entity, id: str(value["Id"]) ?? "", body: record.body })
        }
      }
      return reply
    }
    return F.json(404, F.faultBody(now(), [{ code: "0", message: "Not Found", detail: `No route for ${method} ${record.path}` }], "SystemFault"))
  }

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Array<Buffer> = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    })

  const server = createServer((req, res) => {
    const at = now()
    const url = new URL(req.url ?? "/", "http://fake")
    const method = req.method ?? "GET"
    const match = API.exec(url.pathname)
    const kind = match === null ? "oauth" : "api"
    const realmId = match?.[1]
    // Counted from arrival, before the body is read: the concurrency the provider would see.
    if (kind === "api") {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      const realm = realmId ?? ""
      const count = (inFlightByRealm.get(realm) ?? 0) + 1
      inFlightByRealm.set(realm, count)
      maxInFlightByRealm[realm] = Math.max(maxInFlightByRealm[realm] ?? 0, count)
      let done = false
      const leave = () => {
        if (done) return
        done = true
        inFlight--
        inFlightByRealm.set(realm, (inFlightByRealm.get(realm) ?? 1) - 1)
      }
      res.on("finish", leave)
      res.on("close", leave)
    }
    open.add(res)
    res.on("close", () => open.delete(res))
    void readBody(req).then((text) => {
      const record: Mutable = {
        method,
        path: url.pathname,
        query: [...url.searchParams.entries()],
        headers: { ...req.headers },
        body: parseJson(text),
        kind,
        realmId,
        at,
        status: undefined,
        response: undefined
      }
      requests.push(record)
      if (kind === "api") {
        const times = arrivals.get(realmId ?? "") ?? []
        times.push(at)
        arrivals.set(realmId ?? "", times)
      }
      const answer = (reply: F.Reply, afterMillis?: number) => {
        const send = () => {
          if (res.destroyed) return
          record.status = reply.status
          record.response = reply.body
          byStatus[String(reply.status)] = (byStatus[String(reply.status)] ?? 0) + 1
          if (reply.status === 429 || reply.body.includes("errorCode=003001")) throttled++
          res.writeHead(reply.status, reply.body === "" ? {} : { "content-type": reply.contentType })
          res.end(reply.body)
        }
        if (afterMillis === undefined) return send()
        const timer = setTimeout(() => {
          timers.delete(timer)
          send()
        }, afterMillis)
        timers.add(timer)
      }
      const mode = faultFor(kind, method, `${url.pathname}${url.search}`)
      if (mode?.kind === "drop") return void req.socket.destroy()
      const early = mode === undefined ? undefined : injected(mode, realmId)
      if (early !== undefined) return answer(early)
      let reply: F.Reply | { readonly redirect: string }
      if (kind === "oauth") {
        reply =
          method === "GET" && url.pathname === "/connect/oauth2" ? oauth.authorize(url.searchParams, authorizeDecision, now()) :
          method === "POST" && url.pathname === "/oauth2/v1/tokens/bearer" ? oauth.token(new URLSearchParams(text), req.headers.authorization, now()) :
          method === "POST" && url.pathname === "/v2/oauth2/tokens/revoke" ? oauth.revoke(record.body, req.headers.authorization, now()) :
          F.json(404, { error: "not_found" })
      } else {
        const limits = options.enforceLimits
        const realm = realmId ?? ""
        const times = arrivals.get(realm) ?? []
        const within = (millis: number) => {
          let count = 0
          for (let i = times.length - 1; i >= 0 && at - (times[i] ?? 0) < millis; i--) count++
          return count
        }
        const overLimit = limits !== undefined && (
          within(60_000) > (limits.perMinute ?? 500) ||
          (limits.perSecond !== undefined && within(1000) > limits.perSecond) ||
          (inFlightByRealm.get(realm) ?? 0) > (limits.concurrent ?? 10)
        )
        // QuickBooks reads a JSON body only when told it is JSON (a query may come as application/text).
        const contentType = String(req.headers["content-type"] ?? "")
        const unreadable = method === "POST" && text !== "" && !/^application\/(json|text)\b/iu.test(contentType)
        const grant = oauth.check(req.headers.authorization, now())
        reply =
          overLimit ? F.throttle(now()) :
          "refused" in grant ? F.unauthorized(now(), grant.refused) :
          unreadable ? F.json(415, F.faultBody(now(), [{ code: "415", message: "Unsupported Media Type", detail: `Content-Type ${contentType || "(none)"} is not application/json` }], "ValidationFault")) :
          grant.realmId !== realm || !companies.has(realm) ? F.forbidden(now()) :
          api(realm, match?.[2] ?? "", method, url.searchParams, record.body, record)
      }
      if ("redirect" in reply) {
        record.status = 302
        byStatus["302"] = (byStatus["302"] ?? 0) + 1
        res.writeHead(302, { location: reply.redirect })
        return void res.end()
      }
      if (mode?.kind === "drop-after") return void req.socket.destroy()
      answer(reply, mode?.kind === "slow" ? mode.millis : undefined)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const port = address !== null && typeof address === "object" ? (address satisfies AddressInfo).port : 0
  const url = `http://127.0.0.1:${port}`

  /** A change made by a person in QuickBooks (not through the API): answers the entity or throws the fault. */
  const provider = (reply: F.Reply, entity: Entity): Json => {
    const parsed = parseJson(reply.body)
    const value = isObject(parsed) ? parsed[entity] : undefined
    if (reply.status !== 200 || !isObject(value)) throw new Error(`QuickBooks refused the change: ${reply.body}`)
    return value
  }
  const current = (entity: Entity, id: string, realmId?: string) => provider(company(realmId).read(entity, id), entity)

  return {
    url,
    /** What to set QUICKBOOKS_API_URL / QUICKBOOKS_OAUTH_URL to. */
    apiUrl: url,
    oauthUrl: url,
    realmId: firstRealm,
    clientId: options.clientId ?? FAKE_QBO_CLIENT_ID,
    clientSecret: options.clientSecret ?? FAKE_QBO_CLIENT_SECRET,
    webhookVerifier: options.webhookVerifier ?? FAKE_QBO_VERIFIER,

    // --- faults and clock
    fail: (fault: QboFault) => void faults.push({ fault, left: fault.times ?? 1 }),
    clearFaults: () => void (faults = []),
    /** Moves the fake's clock (token expiry, MetaData times, the per-minute window). */
    advanceClock: (millis: number) => void (offset += millis),
    now,
    /** Every access token stops working: the next API call gets 401 until the client refreshes. */
    expireAccessTokens: (realmId?: string) => oauth.expireAccessTokens(realmId),
    /** What the user answers on Intuit's consent page, and for which company. */
    setAuthorizeDecision: (decision: { readonly allow: boolean; readonly realmId?: string }) =>
      void (authorizeDecision = { allow: decision.allow, realmId: decision.realmId ?? firstRealm }),
    /** Access and refresh tokens for a realm, as after a connect (for tests that do not run the OAuth flow). */
    connect: (realmId = firstRealm) => oauth.connect(realmId, now()),
    refreshTokenWorks: (refreshToken: string) => oauth.refreshTokenWorks(refreshToken, now()),
    oauthEvents: (): ReadonlyArray<OAuthEvent> => oauth.events(),
    tokenCounts: () => oauth.counts(),

    // --- what it saw
    requests: (): ReadonlyArray<RecordedRequest> => requests,
    apiRequests: (): ReadonlyArray<RecordedRequest> => requests.filter((r) => r.kind === "api"),
    stats: (): FakeQuickBooksStats => {
      const perMinute: Record<string, number> = {}
      const perSecond: Record<string, number> = {}
      for (const [realm, times] of arrivals) {
        perMinute[realm] = maxInWindow(times, 60_000)
        perSecond[realm] = maxInWindow(times, 1000)
      }
      return {
        requests: requests.length,
        apiRequests: requests.filter((r) => r.kind === "api").length,
        byStatus: { ...byStatus },
        maxInFlight,
        maxInFlightByRealm: { ...maxInFlightByRealm },
        maxPerMinuteByRealm: perMinute,
        maxPerSecondByRealm: perSecond,
        throttled,
        replayed
      }
    },
    /** Entities as QuickBooks would answer them now. */
    entities: (entity: Entity, realmId?: string): ReadonlyArray<Json> =>
      company(realmId).rows(entity).filter((r) => !r.deleted).map((r) => company(realmId).view(r)),
    entity: (entity: Entity, id: string, realmId?: string): Json | undefined => {
      const row = company(realmId).rows(entity).find((r) => r.id === id && !r.deleted)
      return row === undefined ? undefined : company(realmId).view(row)
    },
    counts: (realmId?: string): Readonly<Record<Entity, number>> => {
      const rows = company(realmId).rows().filter((r) => !r.deleted)
      const count = (entity: Entity) => rows.filter((r) => r.entity === entity).length
      return { Customer: count("Customer"), Item: count("Item"), Invoice: count("Invoice"), Payment: count("Payment") }
    },
    /** Entities created more than once: invoices sharing a DocNumber, or creates that sent the very same body. */
    createdTwice: (realmId = firstRealm): ReadonlyArray<CreatedTwice> => findCreatedTwice(creates.filter((c) => c.realmId === realmId)),
    /** Changes, oldest first: made through the API or by the provider-side helpers below. */
    changes: (realmId?: string): ReadonlyArray<Change> => company(realmId).changes(),

    // --- changes made in QuickBooks itself, for pull tests
    createInQbo: (entity: Entity, body: Json, realmId?: string): Json => provider(company(realmId).write(entity, body, "provider"), entity),
    updateInQbo: (entity: Entity, id: string, fields: Json, realmId?: string): Json => {
      const { SyncToken } = current(entity, id, realmId)
      return provider(company(realmId).write(entity, { ...fields, Id: id, SyncToken, sparse: true }, "provider"), entity)
    },
    voidInQbo: (invoiceId: string, realmId?: string): Json => {
      const { SyncToken } = current("Invoice", invoiceId, realmId)
      return provider(company(realmId).voidInvoice({ Id: invoiceId, SyncToken }, "provider"), "Invoice")
    },
    deleteInQbo: (entity: Entity, id: string, realmId?: string): boolean => company(realmId).remove(entity, id),
    /**
     * Someone records a payment against an invoice in QuickBooks: the invoice's
     * Balance goes down. `amountCents`, or `amount` as QuickBooks writes it (dollars).
     */
    recordPaymentInQbo: (payment: {
      readonly invoiceId: string
      readonly amountCents?: number
      readonly amount?: number
      readonly customerId?: string
      readonly txnDate?: string
      readonly paymentRefNum?: string
      readonly realmId?: string
    }): Json => {
      const invoice = current("Invoice", payment.invoiceId, payment.realmId)
      const amount = payment.amount ?? (payment.amountCents ?? 0) / 100
      const customerId = payment.customerId ?? (isObject(invoice["CustomerRef"]) ? str(invoice["CustomerRef"]["value"]) : undefined) ?? ""
      return provider(company(payment.realmId).write("Payment", {
        CustomerRef: { value: customerId },
        TotalAmt: amount,
        ...(payment.txnDate === undefined ? {} : { TxnDate: payment.txnDate }),
        ...(payment.paymentRefNum === undefined ? {} : { PaymentRefNum: payment.paymentRefNum }),
        Line: [{ Amount: amount, LinkedTxn: [{ TxnId: payment.invoiceId, TxnType: "Invoice" }] }]
      }, "provider"), "Payment")
    },
    /** A signed webhook delivery for these changes, in the classic or the CloudEvents form. */
    webhookFor: (notifications: ReadonlyArray<Notification>, form: "classic" | "cloudevents" = "classic", verifier?: string): SignedWebhook => {
      const body = webhookBody(notifications, form, { realmId: firstRealm, now: now() })
      return {
        body,
        headers: { "content-type": "application/json", "intuit-signature": signIntuit(body, verifier ?? options.webhookVerifier ?? FAKE_QBO_VERIFIER) }
      }
    },

    /** A vendor or employee (their DisplayName is closed to customers) added now. */
    addName: (entity: "Vendor" | "Employee", displayName: string, realmId?: string) => company(realmId).addName(entity, displayName),
    /** Forgets what it saw and the pending faults; keeps the books, the tokens and the requestid answers. */
    reset: () => {
      faults = []
      requests = []
      arrivals = new Map()
      byStatus = {}
      throttled = 0
      replayed = 0
      maxInFlight = 0
      maxInFlightByRealm = {}
      creates = []
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        for (const res of open) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

export type FakeQuickBooks = Awaited<ReturnType<typeof startFakeQuickBooks>>

/** The fake for the length of the calling scope. */
export const fakeQuickBooks = (options: FakeQuickBooksOptions = {}) =>
  Effect.acquireRelease(Effect.promise(() => startFakeQuickBooks(options)), (fake) => Effect.promise(() => fake.close()))
