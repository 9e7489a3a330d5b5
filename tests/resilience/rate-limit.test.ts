import { spawn } from "node:child_process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { FAKE_API_KEY, FAKE_NUMBER, type FakeOpenPhone, startFakeOpenPhone } from "../support/fake-openphone.ts"
import { duplicates, freshDatabase, type FreshDatabase } from "./harness.ts"

// Issue 8, section 6: OpenPhone allows 10 requests a second per API key
// (shared/reference/openphone-facts.md, S5), whatever number of runners send.
// Two processes text through the live gateway against one fake provider that
// enforces that limit with 429s; the limiter they share is PostgreSQL.

let db: FreshDatabase
let fake: FakeOpenPhone

beforeAll(async () => {
  db = await freshDatabase()
})
afterAll(async () => {
  await fake.close()
  await db.close()
})

interface SenderResult {
  readonly accepted: number
  readonly failed: ReadonlyArray<string>
}

/** One sender process (tests/support/openphone-sender-main.ts); resolves with its summary line. */
const sender = (prefix: string, count: number, extra: Record<string, string> = {}) =>
  new Promise<SenderResult>((resolve, reject) => {
    const child = spawn(process.execPath, ["tests/support/openphone-sender-main.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        OPENPHONE_API_KEY: FAKE_API_KEY,
        OPENPHONE_API_URL: fake.url,
        OPENPHONE_FROM: FAKE_NUMBER.number,
        LOG_LEVEL: "Warn",
        SENDER_PREFIX: prefix,
        SENDER_COUNT: String(count),
        SENDER_CONCURRENCY: "10",
        ...extra
      },
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000)
    child.on("exit", (code) => {
      clearTimeout(timer)
      const line = out.split("\n").find((l) => l.startsWith("{"))
      if (code !== 0 || line === undefined) reject(new Error(`sender ${prefix} exited ${String(code)}: ${out}`))
      else resolve(JSON.parse(line) as SenderResult)
    })
  })

describe("the OpenPhone rate limit, shared through PostgreSQL", () => {
  it("two processes together never exceed 10 requests a second", async () => {
    fake = await startFakeOpenPhone({ enforceRateLimit: 10 })
    const started = performance.now()
    const [a, b] = await Promise.all([sender("a", 40), sender("b", 40)])
    const seconds = (performance.now() - started) / 1000
    const stats = fake.stats()
    // Figures for the report: the pace the provider saw.
    console.info(`rate limit: ${stats.requests} requests in ${seconds.toFixed(1)} s, max ${stats.maxPerSecond} in any second`)
    expect([a.failed, b.failed]).toEqual([[], []])
    expect(stats.maxPerSecond).toBeLessThanOrEqual(10)
    expect(stats.byStatus["429"]).toBeUndefined()
    expect(fake.received()).toHaveLength(80)
    expect(duplicates(fake)).toEqual([])
    await fake.close()
  })

  it("a 429 storm: every process backs off for Retry-After, nothing is sent twice, nothing is lost", async () => {
    fake = await startFakeOpenPhone({ enforceRateLimit: 10 })
    // The first 12 requests, whoever sends them, are refused with Retry-After: 2.
    fake.fail({ mode: { kind: "status", status: 429, retryAfterSeconds: 2 }, on: "all", times: 12 })
    const extra = { OPENPHONE_MAX_RETRIES: "10", OPENPHONE_RETRY_BASE: "100 millis", OPENPHONE_RETRY_MAX_DELAY: "5 seconds" }
    const [a, b] = await Promise.all([sender("storm-a", 20, extra), sender("storm-b", 20, extra)])
    const stats = fake.stats()
    const times = fake.requests().map((r) => r.at)
    const firstRefusal = times[0] ?? 0
    const within = times.filter((t) => t - firstRefusal < 2000).length
    console.info(`429 storm: ${stats.requests} requests, ${stats.byStatus["429"] ?? 0} refused, ${within} within the first Retry-After window`)
    expect([a.failed, b.failed]).toEqual([[], []])
    // Only what was already on its way when the first 429 came back arrives during its Retry-After.
    expect(within).toBeLessThanOrEqual(3)
    expect(fake.received()).toHaveLength(40)
    expect(duplicates(fake)).toEqual([])
    expect(stats.maxPerSecond).toBeLessThanOrEqual(10)
  })
})
