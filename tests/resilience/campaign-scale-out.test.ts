import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeOpenPhone, startFakeOpenPhone } from "../support/fake-openphone.ts"
import { freePort, type ServerProcess, startServer } from "../support/server-process.ts"
import { createTaggedContacts, daytimeArea, everyRecipientFinal, startCampaign } from "./campaign-harness.ts"
import { busiestSecond, freshDatabase, type FreshDatabase, receivedByText, serverEnv, waitFor } from "./harness.ts"

// Issue 10, section 3, the scale-out test: two job runner processes
// (`npm run worker`, JOB_RUNNER=socket) and one API process (JOB_RUNNER=none)
// on one database send a 1,000-recipient campaign; the first runner is
// SIGKILLed halfway. No recipient may get two texts, and the provider's 10
// requests a second (shared/reference/openphone-facts.md) must hold across
// both runners, before and after the kill.

const RECIPIENTS = 1000
const TAG = "scale-out-campaign"
const KILL_AT_RECEIVED = RECIPIENTS / 2

interface Runner {
  readonly host: string
  readonly child: ChildProcess
  readonly output: () => string
}

let db: FreshDatabase
let fake: FakeOpenPhone
const runners: Array<Runner> = []
const servers: Array<ServerProcess> = []

beforeAll(async () => {
  db = await freshDatabase()
  fake = await startFakeOpenPhone({ enforceRateLimit: 10 })
})
afterAll(async () => {
  for (const runner of runners) runner.child.kill("SIGKILL")
  for (const server of servers) await server.kill()
  await fake.close()
  await db.close()
})

/** `npm run worker`'s program: a socket runner, no HTTP. The fake is reached under `host`, so its requests say which runner sent them. */
const startRunner = async (env: Record<string, string>, host: string): Promise<Runner> => {
  let output = ""
  const child = spawn(process.execPath, [join(import.meta.dirname, "../../adapters/jobs/worker-main.ts")], {
    env: {
      ...process.env,
      ...env,
      OPENPHONE_API_URL: fake.url.replace("127.0.0.1", host),
      JOB_RUNNER: "socket",
      JOB_RUNNER_HOST: "127.0.0.1",
      JOB_RUNNER_PORT: String(await freePort()),
      LOG_LEVEL: "Warn"
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  child.stdout?.on("data", (chunk: Buffer) => void (output += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => void (output += chunk.toString()))
  const runner = { host, child, output: () => output }
  runners.push(runner)
  return runner
}

const runnerLogs = () => runners.map((r) => `runner ${r.host}:\n${r.output().slice(-3000)}`).join("\n")

describe("two runner processes and an API process send a campaign", () => {
  it("sends each recipient at most once, at most 10 requests a second, though a runner dies halfway", async () => {
    const area = daytimeArea(25)
    const env = serverEnv(db.url, fake, { BUSINESS_TIMEZONE: area.zone })
    const api = await startServer({ ...env, JOB_RUNNER: "none" })
    servers.push(api)
    const [first] = [await startRunner(env, "localhost"), await startRunner(env, "127.0.0.1")]
    await waitFor("two healthy runners", async () => {
      const rows = await db.query<{ n: string }>("SELECT count(*) AS n FROM cluster_runners WHERE healthy").catch(() => [])
      return Number(rows[0]?.n) >= 2 ? true : undefined
    }, { timeoutMs: 60_000, everyMs: 200, describe: async () => runnerLogs() })
    await createTaggedContacts(api.baseUrl, { count: RECIPIENTS, area: area.area, tag: TAG })

    const started = performance.now()
    const campaignId = await startCampaign(api.baseUrl, {
      tag: TAG,
      template: "Hi {first_name}, spring crack inspections are open. Reply STOP to opt out",
      quietHours: area.quietHours
    })
    await waitFor("half the texts taken", async () => (fake.received().length >= KILL_AT_RECEIVED ? true : undefined), {
      timeoutMs: 240_000,
      everyMs: 20,
      describe: async () => runnerLogs()
    })
    first?.child.kill("SIGKILL")
    const killedAt = { received: fake.received().length, seconds: Math.round((performance.now() - started) / 100) / 10 }

    const counts = await everyRecipientFinal(db, campaignId, RECIPIENTS, 300_000, runnerLogs)
    const seconds = Math.round((performance.now() - started) / 100) / 10
    const sends = fake.requests().filter((r) => r.method === "POST" && r.path === "/v1/messages")
    const byRunner = Object.fromEntries(runners.map((r) => [r.host, sends.filter((s) => String(s.headers["host"]).startsWith(r.host)).length]))
    const stats = fake.stats()
    const received = receivedByText(fake)
    process.stdout.write(`campaign-scale-out figures: ${JSON.stringify({
      recipients: RECIPIENTS,
      seconds,
      counts,
      killedAt,
      sendsByRunner: byRunner,
      maxRequestsPerSecond: stats.maxPerSecond,
      providerStatuses: stats.byStatus
    }, null, 2)}\n`)

    expect([...received].filter(([, n]) => n > 1), "texts the provider took more than once").toEqual([])
    expect(stats.maxPerSecond, `the busiest second:\n${busiestSecond(fake).join("\n")}`).toBeLessThanOrEqual(10)
    expect(Object.values(byRunner).every((n) => n > 0), `both runners sent: ${JSON.stringify(byRunner)}`).toBe(true)
    const campaign = await db.query<{ status: string }>("SELECT status FROM campaigns WHERE id = $1", [campaignId])
    expect(campaign[0]?.status).toBe("completed")
  })
})
