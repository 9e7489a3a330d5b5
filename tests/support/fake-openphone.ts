import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { performance } from "node:perf_hooks"
import { Effect } from "effect"

// A stand-in for OpenPhone's v1 API (tests/fixtures/openphone/*.json) on a real
// socket: what the adapter sends goes through Node's HTTP stack as it would in
// production. Error bodies are built from the spec's own `const` members.

type Json = Record<string, unknown>
const spec = (file: string) => JSON.parse(readFileSync(new URL(`../fixtures/openphone/${file}`, import.meta.url), "utf8")) as {
  readonly paths: Record<string, Record<string, { readonly responses: Record<string, { readonly content?: Record<string, { readonly schema?: Json }> }> }>>
}
const specs = [spec("openphone-openapi-2025-12.json"), spec("openphone-openapi-2025-06.json")]
const DOCS = "https://openphone.com/docs"

/** The error envelope the spec gives for this operation and status; a generic one where it gives none (429). */
const errorBody = (method: string, path: string, status: number, message?: string): Json => {
  for (const document of specs) {
    const schema = document.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content?.["application/json"]?.schema
    const properties = schema?.["properties"] as Record<string, { readonly const?: unknown }> | undefined
    if (properties === undefined) continue
    const consts = Object.fromEntries(Object.entries(properties).flatMap(([k, v]) => (v.const === undefined ? [] : [[k, v.const]])))
    const examples = schema?.["examples"] as ReadonlyArray<{ readonly message?: string }> | undefined
    return { message: message ?? examples?.[0]?.message ?? String(consts["title"]), ...consts }
  }
  const titles: Record<number, string> = { 400: "Bad Request", 429: "Too Many Requests", 502: "Bad Gateway", 503: "Service Unavailable" }
  return { message: message ?? titles[status] ?? "Error", code: `0200${status}`, status, docs: DOCS, title: titles[status] ?? "Error" }
}

export type FaultMode =
  /** Answer with this status (A2P: the 400 `0206400`); 429 carries `Retry-After` when given. */
  | { readonly kind: "status"; readonly status: number; readonly retryAfterSeconds?: number; readonly body?: Json }
  /** Take the request and never answer (nothing recorded): the client's timeout must fire. */
  | { readonly kind: "hang" }
  /** Record the message, then answer late: the provider took it but the client may give up first. */
  | { readonly kind: "slow"; readonly millis: number }

export interface Fault {
  readonly mode: FaultMode
  /** How many requests it hits; absent: every one until cleared. */
  readonly times?: number
  /** `send`: only POST /v1/messages (default); `all`: every API request. */
  readonly on?: "send" | "all"
}

export interface FailureRatio {
  /** Share of sends that fail, 0..1, decided by a seeded generator so a run repeats exactly. */
  readonly ratio: number
  readonly seed: number
  readonly status?: number
}

export interface ReceivedMessage {
  readonly id: string
  readonly direction: "incoming" | "outgoing"
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly text: string
  readonly phoneNumberId: string
  readonly createdAt: string
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: unknown
  /** When it arrived, `performance.now()` of the fake's process. */
  readonly at: number
}

export interface RecordedResponse {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: unknown
}

export interface FakeStats {
  readonly requests: number
  readonly sends: number
  readonly received: number
  /** Most API requests that arrived within any one second (sliding window). */
  readonly maxPerSecond: number
  readonly byStatus: Readonly<Record<string, number>>
}

export interface FakeOpenPhoneOptions {
  readonly apiKey?: string
  readonly phoneNumbers?: ReadonlyArray<{ readonly id: string; readonly number: string; readonly name: string }>
  readonly failureRatio?: FailureRatio
  /** Answer 429 (Retry-After: 1) to requests beyond this many in a sliding second, as the real API does. */
  readonly enforceRateLimit?: number
}

export const FAKE_API_KEY = "fake-openphone-key"
export const FAKE_NUMBER = { id: "PNfake000001", number: "+15125550100", name: "Main line" }

/** mulberry32: a small seeded generator, so a "30% failures" run fails the same requests every time. */
const seeded = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const maxInWindow = (times: ReadonlyArray<number>, windowMillis: number) => {
  let best = 0
  let start = 0
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMillis) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

const E164 = /^\+[1-9]\d{1,14}$/u

export interface FakeOpenPhone {
  readonly url: string
  readonly fail: (fault: Fault) => void
  readonly failureRatio: (ratio: FailureRatio | undefined) => void
  readonly clearFaults: () => void
  /** Messages the fake took (sent through it, or added as incoming), oldest first. */
  readonly received: () => ReadonlyArray<ReceivedMessage>
  readonly requests: () => ReadonlyArray<RecordedRequest>
  readonly responses: () => ReadonlyArray<RecordedResponse>
  readonly stats: () => FakeStats
  /** A text from a contact to the business number, as the provider would list it. */
  readonly addIncoming: (from: string, text: string, createdAt?: Date) => ReceivedMessage
  readonly reset: () => void
  readonly close: () => Promise<void>
}

export const startFakeOpenPhone = async (options: FakeOpenPhoneOptions = {}): Promise<FakeOpenPhone> => {
  const apiKey = options.apiKey ?? FAKE_API_KEY
  const numbers = options.phoneNumbers ?? [FAKE_NUMBER]
  let faults: Array<{ fault: Fault; left: number }> = []
  let ratio: { readonly ratio: number; readonly status: number; readonly next: () => number } | undefined
  const setRatio = (r: FailureRatio | undefined) => {
    ratio = r === undefined ? undefined : { ratio: r.ratio, status: r.status ?? 500, next: seeded(r.seed) }
  }
  setRatio(options.failureRatio)
  let messages: Array<ReceivedMessage> = []
  let requests: Array<RecordedRequest> = []
  let responses: Array<RecordedResponse> = []
  let arrivals: Array<number> = []
  let sends = 0
  let byStatus: Record<string, number> = {}
  let counter = 0
  const hung = new Set<ServerResponse>()
  const nextId = (prefix: string) => `${prefix}${(++counter).toString(16).padStart(12, "0")}`

  const numberOf = (idOrNumber: string) => numbers.find((n) => n.id === idOrNumber || n.number === idOrNumber)

  const phoneNumberJson = (n: (typeof numbers)[number]) => ({
    id: n.id,
    groupId: "GRfake",
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
    name: n.name,
    number: n.number,
    formattedNumber: n.number,
    forward: null,
    portRequestId: null,
    portingStatus: null,
    symbol: null,
    users: [{ email: "owner@example.com", firstName: "Owner", lastName: null, groupId: "GRfake", id: "USfake000001", role: "owner" }],
    restrictions: {
      messaging: { CA: "unrestricted", US: "unrestricted", Intl: "restricted" },
      calling: { CA: "unrestricted", US: "unrestricted", Intl: "restricted" }
    }
  })

  const messageJson = (m: ReceivedMessage) => ({
    id: m.id,
    to: m.to,
    from: m.from,
    text: m.text,
    phoneNumberId: m.phoneNumberId,
    direction: m.direction,
    userId: "USfake000001",
    status: m.direction === "outgoing" ? "sent" : "delivered",
    createdAt: m.createdAt,
    updatedAt: m.createdAt
  })

  const otherParty = (m: ReceivedMessage) => (m.direction === "outgoing" ? m.to[0] ?? "" : m.from)

  /** The fault for this request, if any; decided before anything is recorded. */
  const faultFor = (isSend: boolean): FaultMode | undefined => {
    const index = faults.findIndex(({ fault }) => isSend || fault.on === "all")
    const entry = faults[index]
    if (entry !== undefined) {
      entry.left -= 1
      if (entry.left <= 0) faults = faults.filter((_, i) => i !== index)
      return entry.fault.mode
    }
    if (isSend && ratio !== undefined && ratio.next() < ratio.ratio) return { kind: "status", status: ratio.status }
    return undefined
  }

  const page = <A>(items: ReadonlyArray<A>, token: string | null, max: number) => {
    const offset = token === null ? 0 : Number.parseInt(token, 10) || 0
    const slice = items.slice(offset, offset + max)
    return { slice, next: offset + max < items.length ? String(offset + max) : null }
  }

  interface Answer {
    readonly status: number
    readonly body: Json
    readonly afterMillis?: number
    readonly retryAfter?: number
  }

  const handleApi = (method: string, path: string, query: URLSearchParams, body: unknown): Answer | "hang" => {
    const isSend = method === "POST" && path === "/v1/messages"
    const fault = faultFor(isSend)
    if (fault?.kind === "hang") return "hang"
    if (fault?.kind === "status") {
      // A 400 on POST /v1/messages is the spec's A2P refusal unless the fault brings its own body.
      return {
        status: fault.status,
        body: fault.body ?? errorBody(method, path, fault.status),
        ...(fault.retryAfterSeconds === undefined ? {} : { retryAfter: fault.retryAfterSeconds })
      }
    }
    const slow = fault?.kind === "slow" ? fault.millis : undefined
    const ok = (status: number, json: Json): Answer => ({ status, body: json, ...(slow === undefined ? {} : { afterMillis: slow }) })
    if (isSend) {
      const b = body as { content?: unknown; from?: unknown; to?: unknown } | null
      const sender = typeof b?.from === "string" ? numberOf(b.from) : undefined
      const to = Array.isArray(b?.to) ? b.to : []
      if (
        typeof b?.content !== "string" || [...b.content].length < 1 || [...b.content].length > 1600 || !/\S/u.test(b.content) ||
        sender === undefined || to.length !== 1 || typeof to[0] !== "string" || !E164.test(to[0])
      ) {
        return { status: 400, body: errorBody("GET", "/v1/phone-numbers", 400, "Invalid send request") }
      }
      const message: ReceivedMessage = {
        id: nextId("AC"),
        direction: "outgoing",
        from: sender.number,
        to: [to[0]],
        text: b.content,
        phoneNumberId: sender.id,
        createdAt: new Date().toISOString()
      }
      messages.push(message)
      return ok(202, { data: { ...messageJson(message), status: "queued" } })
    }
    if (method === "GET" && path === "/v1/phone-numbers") return ok(200, { data: numbers.map(phoneNumberJson) })
    if (method === "GET" && path === "/v1/messages") {
      const phoneNumberId = query.get("phoneNumberId")
      const participants = query.getAll("participants")
      const max = Number(query.get("maxResults"))
      if (phoneNumberId === null || participants.length === 0 || !Number.isInteger(max) || max < 1 || max > 100) {
        return { status: 400, body: errorBody("GET", "/v1/phone-numbers", 400, "phoneNumberId, participants and maxResults (1-100) are required") }
      }
      const after = query.get("createdAfter")
      const before = query.get("createdBefore")
      const matching = messages
        .filter((m) =>
          m.phoneNumberId === phoneNumberId && participants.includes(otherParty(m)) &&
          (after === null || Date.parse(m.createdAt) > Date.parse(after)) &&
          (before === null || Date.parse(m.createdAt) < Date.parse(before))
        )
        .reverse()
      const { slice, next } = page(matching, query.get("pageToken"), max)
      return ok(200, { data: slice.map(messageJson), totalItems: matching.length, nextPageToken: next })
    }
    if (method === "GET" && path === "/v1/conversations") {
      const max = Number(query.get("maxResults"))
      const phoneNumbers = query.getAll("phoneNumbers").map((p) => numberOf(p)?.id)
      const updatedAfter = query.get("updatedAfter")
      const latest = new Map<string, ReceivedMessage>()
      for (const m of messages) {
        if (phoneNumbers.length === 0 || phoneNumbers.includes(m.phoneNumberId)) latest.set(`${m.phoneNumberId} ${otherParty(m)}`, m)
      }
      const conversations = [...latest.values()]
        .filter((m) => updatedAfter === null || Date.parse(m.createdAt) > Date.parse(updatedAfter))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      const { slice, next } = page(conversations, query.get("pageToken"), Number.isInteger(max) && max > 0 ? max : 10)
      return ok(200, {
        data: slice.map((m) => ({
          assignedTo: null,
          createdAt: m.createdAt,
          deletedAt: null,
          id: `CN${m.id.slice(2)}`,
          lastActivityAt: m.createdAt,
          lastActivityId: m.id,
          mutedUntil: null,
          name: null,
          participants: [otherParty(m)],
          phoneNumberId: m.phoneNumberId,
          snoozedUntil: null,
          updatedAt: m.createdAt
        })),
        totalItems: conversations.length,
        nextPageToken: next
      })
    }
    return { status: 404, body: errorBody("GET", "/v1/phone-numbers", 404) }
  }

  const stats = (): FakeStats => ({
    requests: requests.length,
    sends,
    received: messages.filter((m) => m.direction === "outgoing").length,
    maxPerSecond: maxInWindow(arrivals, 1000),
    byStatus: { ...byStatus }
  })

  const send = (res: ServerResponse, method: string, path: string, status: number, json: unknown, headers: Record<string, string> = {}) => {
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1
    if (path.startsWith("/v1/")) responses.push({ method, path, status, body: json })
    res.writeHead(status, { "content-type": "application/json", ...headers })
    res.end(JSON.stringify(json))
  }

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Array<Buffer> = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    })
  const parse = (text: string): unknown => {
    if (text === "") return null
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }

  const control = (method: string, path: string, body: unknown): unknown => {
    if (path === "/__fake/stats") return stats()
    if (path === "/__fake/messages") return messages
    if (path === "/__fake/faults" && method === "POST") {
      const b = body as { fault?: Fault; failureRatio?: FailureRatio | null }
      if (b.fault !== undefined) api.fail(b.fault)
      if (b.failureRatio !== undefined) setRatio(b.failureRatio ?? undefined)
      return { ok: true }
    }
    if (path === "/__fake/faults" && method === "DELETE") return (api.clearFaults(), { ok: true })
    if (path === "/__fake/reset" && method === "POST") return (api.reset(), { ok: true })
    return undefined
  }

  const server = createServer((req, res) => {
    // Stamped on arrival, before the body is read: the pace the provider would measure.
    const at = performance.now()
    void readBody(req).then((text) => {
      const url = new URL(req.url ?? "/", "http://fake")
      const method = req.method ?? "GET"
      const body = parse(text)
      if (url.pathname.startsWith("/__fake/")) {
        const answer = control(method, url.pathname, body)
        res.writeHead(answer === undefined ? 404 : 200, { "content-type": "application/json" })
        return res.end(JSON.stringify(answer ?? { error: "unknown control path" }))
      }
      arrivals.push(at)
      requests.push({ method, path: url.pathname, query: [...url.searchParams.entries()], headers: { ...req.headers }, body, at })
      const isSend = method === "POST" && url.pathname === "/v1/messages"
      if (isSend) sends++
      if (req.headers.authorization !== apiKey) {
        return send(res, method, url.pathname, 401, errorBody(method, url.pathname, 401))
      }
      if (options.enforceRateLimit !== undefined) {
        const now = arrivals[arrivals.length - 1] ?? 0
        const recent = arrivals.filter((t) => now - t < 1000).length
        if (recent > options.enforceRateLimit) {
          return send(res, method, url.pathname, 429, errorBody(method, url.pathname, 429), { "retry-after": "1" })
        }
      }
      const result = handleApi(method, url.pathname, url.searchParams, body)
      if (result === "hang") {
        hung.add(res)
        res.on("close", () => hung.delete(res))
        return
      }
      const headers: Record<string, string> = result.retryAfter === undefined ? {} : { "retry-after": String(result.retryAfter) }
      const answer = () => send(res, method, url.pathname, result.status, result.body, headers)
      if (result.afterMillis === undefined) answer()
      else setTimeout(answer, result.afterMillis)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  const api: FakeOpenPhone = {
    url: `http://127.0.0.1:${port}`,
    fail: (fault) => void faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY }),
    failureRatio: setRatio,
    clearFaults: () => {
      faults = []
      ratio = undefined
    },
    received: () => messages,
    requests: () => requests,
    responses: () => responses,
    stats,
    addIncoming: (from, text, createdAt = new Date()) => {
      const number = numbers[0] ?? FAKE_NUMBER
      const message: ReceivedMessage = {
        id: nextId("AC"),
        direction: "incoming",
        from,
        to: [number.number],
        text,
        phoneNumberId: number.id,
        createdAt: createdAt.toISOString()
      }
      messages.push(message)
      return message
    },
    reset: () => {
      faults = []
      ratio = undefined
      messages = []
      requests = []
      responses = []
      arrivals = []
      sends = 0
      byStatus = {}
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
  return api
}

/** The fake for the length of the calling scope. */
export const fakeOpenPhone = (options: FakeOpenPhoneOptions = {}) =>
  Effect.acquireRelease(Effect.promise(() => startFakeOpenPhone(options)), (fake) => Effect.promise(() => fake.close()))
