import { afterEach, describe, expect, it } from "vitest"
import { type FakeOpenPhone, startFakeOpenPhone } from "../support/fake-openphone.ts"
import { freePort, type ServerProcess, startServer } from "../support/server-process.ts"
import {
  busiestSecond,
  call,
  createContacts,
  duplicates,
  freshDatabase,
  type FreshDatabase,
  problemLines,
  requestsByPath,
  serverEnv,
  statusCounts,
  waitFor,
  warmUp
} from "./harness.ts"

// The send path end to end under OpenPhone's limit of 10 requests a second per
// API key (shared/reference/openphone-facts.md, S5): texts queued through the
// API of real server processes, delivered by the job engine, against one fake
// provider that answers 429 beyond that limit. (rate-limit.test.ts checks the
// gateway alone in two bare processes.)

let db: FreshDatabase | undefined
let fake: FakeOpenPhone | undefined
const servers: Array<ServerProcess> = []

afterEach(async () => {
  for (const server of servers.splice(0)) await server.kill()
  await fake?.close()
  await db?.close()
  fake = undefined
  db = undefined
})

/** POSTs `count` texts with unique bodies, spread over the contacts and the servers in turn; their bodies. */
const sendAll = async (via: ReadonlyArray<ServerProcess>, contacts: ReadonlyArray<string>, prefix: string, count: number) => {
  const bodies = Array.from({ length: count }, (_, i) => `${prefix} ${i}: we will be there at ${8 + (i % 9)} am`)
  await Promise.all(bodies.map(async (body, i) => {
    const server = via[i % via.length]
    const answer = server === undefined ? undefined : await call(server.baseUrl, "POST", `/api/contacts/${contacts[i % contacts.length]}/messages`, { body })
    if (answer?.status !== 202) throw new Error(`send ${i}: ${JSON.stringify(answer)}`)
  }))
  return bodies
}

const allResolved = (database: FreshDatabase, prefix: string, count: number) =>
  waitFor("every text sent or failed", async () => {
    const counts = await statusCounts(database, prefix)
    return (counts["sent"] ?? 0) + (counts["failed"] ?? 0) === count ? counts : undefined
  }, { timeoutMs: 120_000, everyMs: 250, describe: async () => JSON.stringify(await statusCounts(database, prefix)) })

describe("texts under the provider's rate limit", () => {
  it("two runner processes (JOB_RUNNER=socket) share 10 requests a second", async () => {
    db = await freshDatabase()
    const provider = await startFakeOpenPhone({ enforceRateLimit: 10 })
    fake = provider
    // The same fake under two host names (both 127.0.0.1 in /etc/hosts): the
    // Host header of each request tells which process sent it.
    const hosts = ["127.0.0.1", "localhost"] as const
    const urlFor = (host: string) => provider.url.replace("127.0.0.1", host)
    for (const host of hosts) {
      const runnerPort = await freePort()
      const server = await startServer(serverEnv(db.url, provider, {
        OPENPHONE_API_URL: urlFor(host),
        JOB_RUNNER: "socket",
        JOB_RUNNER_HOST: "127.0.0.1",
        JOB_RUNNER_PORT: String(runnerPort)
      }))
      servers.push(server)
    }
    const [first] = servers
    if (first === undefined) throw new Error("no server")
    const contacts = await createContacts(first.baseUrl, 10)
    // Both runners registered and the shards split before measuring.
    await waitFor("two runners", async () => {
      const rows = await db?.query<{ n: string }>("SELECT count(*) AS n FROM cluster_runners WHERE healthy")
      return Number(rows?.[0]?.n) >= 2 ? true : undefined
    }, { timeoutMs: 30_000 })

    for (const [i, server] of servers.entries()) {
      await warmUp(db, server.baseUrl, contacts[0] ?? "", `Warm-up ${i}`, problemLines(servers))
    }
    const started = performance.now()
    const bodies = await sendAll(servers, contacts, "Two runners", 80)
    const counts = await allResolved(db, "Two runners", bodies.length)
    const seconds = (performance.now() - started) / 1000
    const sends = provider.requests().filter((r) => r.method === "POST" && r.path === "/v1/messages")
    const byHost = Object.fromEntries(hosts.map((host) => [host, sends.filter((r) => String(r.headers["host"]).startsWith(host)).length]))
    const stats = provider.stats()
    process.stdout.write(`two runners: ${bodies.length} texts in ${seconds.toFixed(1)} s, sends by process ${JSON.stringify(byHost)}, ` +
      `max ${stats.maxPerSecond} provider requests in any second, statuses ${JSON.stringify(stats.byStatus)}, ` +
      `requests ${JSON.stringify(requestsByPath(provider))}\n`)

    expect(counts).toEqual({ sent: bodies.length })
    expect(Object.values(byHost).every((n) => n > 0), `both processes sent: ${JSON.stringify(byHost)}`).toBe(true)
    expect(stats.maxPerSecond, `the busiest second:\n${busiestSecond(provider).join("\n")}`).toBeLessThanOrEqual(10)
    expect(stats.byStatus["429"]).toBeUndefined()
    expect(duplicates(provider)).toEqual([])
  })

  it("a 429 storm: every text is sent after it, once, and no text is tried again before Retry-After", async () => {
    db = await freshDatabase()
    const provider = await startFakeOpenPhone({ enforceRateLimit: 10 })
    fake = provider
    // Reconcile must not give a text up while its retries may still run: its
    // give-up age stays above the retry budget (8 retries of at most 5 s).
    const server = await startServer(serverEnv(db.url, provider, {
      OPENPHONE_MAX_RETRIES: "8",
      OPENPHONE_RETRY_MAX_DELAY: "5 seconds",
      MESSAGES_RECONCILE_GIVE_UP: "2 minutes"
    }))
    servers.push(server)
    const contacts = await createContacts(server.baseUrl, 5)
    await warmUp(db, server.baseUrl, contacts[0] ?? "", "Warm-up")
    const RETRY_AFTER_SECONDS = 2
    const REFUSED = 25
    const earlier = provider.requests().length
    provider.fail({ mode: { kind: "status", status: 429, retryAfterSeconds: RETRY_AFTER_SECONDS }, times: REFUSED })

    const started = performance.now()
    const bodies = await sendAll([server], contacts, "Storm", 20)
    const counts = await allResolved(db, "Storm", bodies.length)
    const seconds = (performance.now() - started) / 1000

    // The fault answers the first REFUSED sends in arrival order.
    const sends = provider.requests().slice(earlier).filter((r) => r.method === "POST" && r.path === "/v1/messages")
    const textOf = (body: unknown) =>
      typeof body === "object" && body !== null && "content" in body && typeof body.content === "string" ? body.content : ""
    const tooSoon: Array<string> = []
    const refusedTexts = new Set<string>()
    sends.forEach((request, index) => {
      if (index >= REFUSED) return
      const text = textOf(request.body)
      refusedTexts.add(text)
      const nextTry = sends.slice(index + 1).find((r) => textOf(r.body) === text)
      // 20 ms of slack: the fake stamps arrival, the client measures from the answer.
      if (nextTry !== undefined && nextTry.at - request.at < RETRY_AFTER_SECONDS * 1000 - 20) {
        tooSoon.push(`${text}: ${Math.round(nextTry.at - request.at)} ms`)
      }
    })
    const stats = provider.stats()
    const failures = await db.query<{ body: string; error: string | null }>(
      "SELECT body, error FROM messages WHERE status = 'failed' AND starts_with(body, 'Storm')"
    )
    process.stdout.write(`429 storm: ${bodies.length} texts in ${seconds.toFixed(1)} s, ${REFUSED} refusals over ${refusedTexts.size} texts, ` +
      `${sends.length} send requests, statuses ${JSON.stringify(stats.byStatus)}, failed ${JSON.stringify(failures)}\n`)

    expect(failures.filter((f) => provider.received().some((m) => m.text === f.body)), "recorded failed, yet the provider took them")
      .toEqual([])
    expect(counts).toEqual({ sent: bodies.length })
    expect(tooSoon, "retries sooner than Retry-After").toEqual([])
    expect(duplicates(provider)).toEqual([])
    expect(stats.byStatus["429"]).toBe(REFUSED)
    expect(provider.received().filter((m) => m.text.startsWith("Storm"))).toHaveLength(bodies.length)
  })

  // SendText asks the gateway for the business number on every send; the
  // gateway caches it once a lookup has succeeded. Until then each request
  // looked it up again: a burst right after start-up spent one provider
  // request (of 10 a second) per text, and the API answers waited in that queue.
  it("a burst of sends right after start-up looks the business number up once", async () => {
    db = await freshDatabase()
    const provider = await startFakeOpenPhone()
    fake = provider
    const server = await startServer(serverEnv(db.url, provider))
    servers.push(server)
    const contacts = await createContacts(server.baseUrl, 5)
    const started = performance.now()
    const bodies = await sendAll([server], contacts, "Burst", 30)
    const answered = (performance.now() - started) / 1000
    await allResolved(db, "Burst", bodies.length)
    const lookups = requestsByPath(provider)["GET /v1/phone-numbers"] ?? 0
    process.stdout.write(`burst after start-up: ${bodies.length} sends answered in ${answered.toFixed(1)} s, ${lookups} phone-number lookups\n`)
    expect(lookups).toBe(1)
  })
})
