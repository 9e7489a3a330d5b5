import { setTimeout as sleep } from "node:timers/promises"
import { Effect, Exit, Scope } from "effect"
import pg from "pg"
import { FAKE_API_KEY, FAKE_NUMBER, type FakeOpenPhone } from "../support/fake-openphone.ts"
import { testDatabaseUrl } from "../support/test-database.ts"

// Shared by the resilience tests: real server processes on a fresh database,
// the fake OpenPhone in the test process (its record outlives the killed
// servers), and small pollers. Every wait is bounded.

export const ADMIN_TOKEN = "crm_resilience_admin_token_0123456789"

/** A fresh copy of the migrated template and a pg pool on it; `close` drops both. */
export const freshDatabase = async () => {
  const scope = Effect.runSync(Scope.make())
  const url = await Effect.runPromise(Scope.provide(scope)(testDatabaseUrl))
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  return {
    url,
    query: async <R extends pg.QueryResultRow>(text: string, values: ReadonlyArray<unknown> = []) =>
      (await pool.query<R>(text, [...values])).rows,
    close: async () => {
      await pool.end()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}
export type FreshDatabase = Awaited<ReturnType<typeof freshDatabase>>

/**
 * The server's environment against the fake provider: engine timings short
 * enough that a restarted process takes its shards within seconds, reconcile
 * ages small so in-doubt texts resolve within the test.
 */
export const serverEnv = (databaseUrl: string, fake: FakeOpenPhone, extra: Record<string, string> = {}): Record<string, string> => ({
  DATABASE_URL: databaseUrl,
  CRM_ADMIN_TOKEN: ADMIN_TOKEN,
  DATABASE_POOL_SIZE: "10",
  OPENPHONE_API_KEY: FAKE_API_KEY,
  OPENPHONE_API_URL: fake.url,
  OPENPHONE_FROM: FAKE_NUMBER.number,
  OPENPHONE_RETRY_BASE: "100 millis",
  OPENPHONE_RETRY_MAX_DELAY: "2 seconds",
  MESSAGES_RECONCILE_GRACE: "3 seconds",
  MESSAGES_RECONCILE_GIVE_UP: "15 seconds",
  JOB_MESSAGE_POLL_INTERVAL: "200 millis",
  JOB_SHARD_LOCK_REFRESH_INTERVAL: "2 seconds",
  JOB_SHARD_LOCK_EXPIRATION: "6 seconds",
  JOB_REFRESH_ASSIGNMENTS_INTERVAL: "500 millis",
  ...extra
})

/** JSON request with the admin token; status 0 (and the error) when the server could not be reached (killed, restarting). */
export const call = async (baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  try {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000)
    })
    const text = await response.text()
    return { status: response.status, body: text === "" ? null : JSON.parse(text) as Record<string, unknown>, error: null }
  } catch (error) {
    return { status: 0, body: null, error: String(error) }
  }
}

/** `count` contacts with distinct real-looking US numbers (415-555-2600 onwards); their ids. */
export const createContacts = async (baseUrl: string, count: number, firstNumber = 2600) => {
  const ids: Array<string> = []
  for (let i = 0; i < count; i++) {
    const created = await call(baseUrl, "POST", "/api/contacts", { firstName: `Resilience ${i}`, phone: `+1415555${firstNumber + i}` })
    if (created?.status !== 201 || typeof created.body?.["id"] !== "string") {
      throw new Error(`creating contact ${i}: ${JSON.stringify(created)}`)
    }
    ids.push(created.body["id"])
  }
  return ids
}

/** Polls `check` every `everyMs` until it returns a value, or fails after `timeoutMs` with the last `describe()`. */
export const waitFor = async <A>(
  what: string,
  check: () => Promise<A | undefined>,
  options: { readonly timeoutMs: number; readonly everyMs?: number; readonly describe?: () => Promise<string> }
): Promise<A> => {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const found = await check()
    if (found !== undefined) return found
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${options.timeoutMs} ms${options.describe === undefined ? "" : `; ${await options.describe()}`}`)
    }
    await sleep(options.everyMs ?? 500)
  }
}

/** Outbound messages by status (those whose text starts with `prefix`, when given). */
export const statusCounts = async (db: FreshDatabase, prefix = "") => {
  const rows = await db.query<{ status: string; n: string }>(
    "SELECT status, count(*) AS n FROM messages WHERE direction = 'outbound' AND starts_with(body, $1) GROUP BY status",
    [prefix]
  )
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>
}

/** How many times the fake took each text (outgoing only). */
export const receivedByText = (fake: FakeOpenPhone) => {
  const counts = new Map<string, number>()
  for (const m of fake.received()) if (m.direction === "outgoing") counts.set(m.text, (counts.get(m.text) ?? 0) + 1)
  return counts
}

/** Texts the fake took more than once. */
export const duplicates = (fake: FakeOpenPhone) => [...receivedByText(fake)].filter(([, n]) => n > 1)

/**
 * Stamps each request the fake records with the time this process first saw
 * it (polled every 5 ms: the fake keeps no times of its own), so gaps between
 * a 429 and the next attempt of the same text can be checked. Stop it with
 * the returned `stop`.
 */
export const requestTimes = (fake: FakeOpenPhone) => {
  const times: Array<number> = []
  const stamp = () => {
    const now = performance.now()
    const seen = fake.requests().length
    while (times.length < seen) times.push(now)
  }
  const timer = setInterval(stamp, 5)
  return {
    times: () => (stamp(), times),
    stop: () => clearInterval(timer)
  }
}

interface LogLine {
  readonly message?: unknown
  readonly annotations?: Record<string, unknown>
}

/** The JSON log lines of a server's stdout with this message. */
export const logLines = (stdout: string, message: string): Array<Record<string, unknown>> =>
  stdout.split("\n").flatMap((line) => {
    if (!line.includes(message)) return []
    try {
      const parsed = JSON.parse(line) as LogLine
      const text = Array.isArray(parsed.message) ? parsed.message[0] : parsed.message
      return text === message ? [parsed.annotations ?? {}] : []
    } catch {
      return []
    }
  })

/** The provider requests in the busiest one-second window (arrival times relative to its first), to explain a breach. */
export const busiestSecond = (fake: FakeOpenPhone) => {
  const requests = [...fake.requests()].sort((a, b) => a.at - b.at)
  let best = { start: 0, end: 0 }
  let start = 0
  for (let end = 0; end < requests.length; end++) {
    while ((requests[end]?.at ?? 0) - (requests[start]?.at ?? 0) >= 1000) start++
    if (end - start > best.end - best.start) best = { start, end }
  }
  const first = requests[best.start]?.at ?? 0
  return requests.slice(best.start, best.end + 1)
    .map((r) => `+${Math.round(r.at - first)}ms ${r.method} ${r.path} via ${String(r.headers["host"])}`)
}

/** Provider requests by method and path, e.g. `{"POST /v1/messages": 80, "GET /v1/phone-numbers": 2}`. */
export const requestsByPath = (fake: FakeOpenPhone) => {
  const counts: Record<string, number> = {}
  for (const r of fake.requests()) counts[`${r.method} ${r.path}`] = (counts[`${r.method} ${r.path}`] ?? 0) + 1
  return counts
}

/**
 * Sends one text and waits until it is sent: the server then knows the
 * business number (looked up from the provider on the first send, and by
 * every request that arrives before that lookup has finished).
 */
export const warmUp = async (db: FreshDatabase, baseUrl: string, contactId: string, text: string, logs: () => string = () => "") => {
  const answer = await call(baseUrl, "POST", `/api/contacts/${contactId}/messages`, { body: text })
  if (answer.status !== 202) throw new Error(`warm-up send: ${JSON.stringify(answer)}`)
  await waitFor("the warm-up text sent", async () => ((await statusCounts(db, text))["sent"] === 1 ? true : undefined), {
    timeoutMs: 60_000,
    everyMs: 100,
    describe: async () => `${JSON.stringify(await statusCounts(db, text))}\n${logs()}`
  })
}

/** Warning and error lines of servers' output, the last `count`, to explain a failed wait. */
export const problemLines = (servers: ReadonlyArray<{ readonly stdout: () => string; readonly stderr: () => string }>, count = 30) =>
  () =>
    servers.flatMap((s, i) =>
      `${s.stdout()}\n${s.stderr()}`.split("\n").filter((line) => /"level":"(WARN|ERROR|FATAL)"/u.test(line))
        .slice(-count).map((line) => `server ${i}: ${line.slice(0, 400)}`)
    ).join("\n")
