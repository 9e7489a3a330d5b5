/**
 * `npm run bench`: the real server against a bare Hono + pg baseline, on the
 * same embedded PostgreSQL and the same 10,000 contacts, one at a time; then
 * billing runs over 10,000 customer services and the revenue report.
 * Exits 0 whenever the bench ran, whatever the figures; 1 if it could not run.
 */
import { randomBytes } from "node:crypto"
import { readFileSync } from "node:fs"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { availableParallelism, cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { isDeepStrictEqual } from "node:util"
import { Effect, Exit, Redacted, Scope } from "effect"
import { embeddedPostgres } from "../../adapters/sql/embedded-postgres.ts"
import { benchBilling, formatBilling } from "./billing.ts"
import { benchCampaignSending, formatCampaignSending } from "./campaign-sending.ts"
import { benchCampaigns, formatCampaigns } from "./campaigns.ts"
import { postmasterPid } from "./cpu.ts"
import { benchHeavyReads, formatHeavyReads } from "./heavy-reads.ts"
import { benchImports, formatImports } from "./imports.ts"
import { load } from "./load.ts"
import { benchMessaging, formatMessaging } from "./messaging.ts"
import { benchQuickBooks, checkQuickBooks, formatQuickBooks } from "./quickbooks.ts"
import { freePort, type ServerProcess, startServer, stopServer, waitUntilReady } from "./processes.ts"
import { type EndpointResult, type Environment, formatReport, jsonReport } from "./report.ts"
import { seedDatabase } from "./seed.ts"

const ROWS = 10_000
const ROOT = fileURLToPath(new URL("../../", import.meta.url))

const positiveInt = (name: string, fallback: number) => {
  const raw = process.env[name]
  if (raw === undefined || raw === "") return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`)
  return value
}

/** Node's flags in `npm start` (e.g. the heap's young generation size), so the bench runs the server as deployed. */
const startFlags = () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
  return pkg.scripts.start.split(" ").filter((word) => word.startsWith("--"))
}

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`)

// Clean-up steps, run last-in first-out exactly once: on success, failure or a signal.
const cleanups: Array<() => Promise<unknown>> = []
let cleaning: Promise<void> | undefined
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      await step().catch((error: unknown) => progress(`clean-up step failed: ${String(error)}`))
    }
  })())

let interrupted = false
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true
    progress(`${signal}: cleaning up`)
    void cleanUp().finally(() => process.exit(130))
  })
}

/** Both servers must answer the same requests with the same JSON, or the comparison means little. */
const checkSameResponses = async (ours: ServerProcess, baseline: ServerProcess, token: string, id: string) => {
  for (const path of [`/api/contacts/${id}`, "/api/contacts?limit=50"]) {
    const [a, b] = await Promise.all([
      fetch(ours.baseUrl + path, { headers: { authorization: `Bearer ${token}` } }),
      fetch(baseline.baseUrl + path)
    ])
    const [bodyA, bodyB]: Array<unknown> = await Promise.all([a.json(), b.json()])
    if (a.status !== 200 || b.status !== 200 || !isDeepStrictEqual(bodyA, bodyB)) {
      throw new Error(`GET ${path}: ours ${a.status} ${JSON.stringify(bodyA).slice(0, 600)}\n` +
        `baseline ${b.status} ${JSON.stringify(bodyB).slice(0, 600)}`)
    }
  }
}

const main = async () => {
  const durationSeconds = positiveInt("BENCH_DURATION", 10)
  const connections = positiveInt("BENCH_CONNECTIONS", 50)
  const warmupSeconds = Math.min(positiveInt("BENCH_WARMUP", 3), durationSeconds)
  const token = randomBytes(24).toString("base64url") // the server refuses admin tokens under 24 characters

  const dataDir = await mkdtemp(join(tmpdir(), "crm-bench-"))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const scope = Effect.runSync(Scope.make())
  cleanups.push(() => Effect.runPromise(Scope.close(scope, Exit.void)))
  progress("starting PostgreSQL")
  const db = await Effect.runPromise(Scope.provide(scope)(embeddedPostgres({ dataDir, database: "crm_bench" })))
  const url = Redacted.value(db.url)
  progress(`migrating and seeding ${ROWS} contacts`)
  const ids = await seedDatabase(url, ROWS)

  // BENCH_ONLY=contacts, billing, messaging, campaigns, imports or quickbooks runs that part alone (while iterating on it).
  const only = process.env["BENCH_ONLY"]
  if (only !== undefined && only !== "contacts" && only !== "billing" && only !== "messaging" && only !== "campaigns" && only !== "imports" && only !== "quickbooks") {
    throw new Error(`BENCH_ONLY must be contacts, billing, messaging, campaigns, imports or quickbooks, got "${only}"`)
  }
  const environment: Environment = {
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    durationSeconds,
    warmupSeconds,
    connections,
    rows: ROWS
  }
  // BENCH_CPU_PROF=1: each server writes a .cpuprofile when it exits (open in Chrome DevTools).
  // BENCH_NODE_ARGS: more flags for our server, e.g. "--heapsnapshot-signal=SIGUSR2 --trace-gc".
  const profileDir = join(ROOT, "reports/bench-profiles")
  const nodeArgs = process.env["BENCH_CPU_PROF"] === "1" ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []
  const oursArgs = [...startFlags(), ...nodeArgs, ...(process.env["BENCH_NODE_ARGS"] ?? "").split(" ").filter((arg) => arg !== "")]
  const startOurs = async (name: string, extraEnv: Record<string, string> = {}) => {
    const server = startServer(name, join(ROOT, "adapters/http/main.ts"), await freePort(), {
      DATABASE_URL: url,
      HOST: "127.0.0.1",
      CRM_ADMIN_TOKEN: token,
      LOG_LEVEL: "Info", // the default, pinned so an inherited LOG_LEVEL cannot skew the figures
      DATABASE_POOL_SIZE: "10",
      ...extraEnv
    }, oursArgs)
    cleanups.push(() => stopServer(server))
    await waitUntilReady(server, "/ready")
    return server
  }

  const results = only === "billing" || only === "messaging" || only === "campaigns" || only === "imports" || only === "quickbooks" ? [] : await benchContacts({ url, token, ids, startOurs, nodeArgs, durationSeconds, warmupSeconds, connections })
  const output = [formatReport(environment, results)]
  const json: Record<string, unknown> = jsonReport(environment, results)
  if (only === undefined || only === "billing") {
    // Billing is measured on our server alone (the baseline has none), each
    // part on a fresh process, so its memory figures are that part's own.
    const billingServer = await startOurs("ours (billing)")
    const billing = await benchBilling({ url, server: billingServer, token, progress })
    await stopServer(billingServer)
    const reads = await benchHeavyReads({
      startServer: () => startOurs("ours (heavy reads)"),
      stopServer,
      token,
      connections,
      durationSeconds,
      warmupSeconds,
      progress
    })
    output.push(formatBilling(billing), formatHeavyReads(reads))
    Object.assign(json, { billing, reads })
  }
  // After the others: its servers run the job engine and fill the messages and webhook tables.
  if (only === undefined || only === "messaging") {
    const messaging = await benchMessaging({
      url,
      token,
      contactIds: ids,
      startServer: startOurs,
      stopServer,
      postmasterPid: await postmasterPid(join(dataDir, "pg")),
      connections,
      durationSeconds,
      warmupSeconds,
      sends: positiveInt("BENCH_SENDS", 500),
      progress
    })
    output.push(formatMessaging(messaging))
    json["messaging"] = messaging
  }
  // Issue 10: a 100,000-contact campaign audience, seeded last so the other parts see the usual 10,000 contacts.
  if (only === undefined || only === "campaigns") {
    const campaignServer = await startOurs("ours (campaigns)")
    const campaigns = await benchCampaigns({ url, server: campaignServer, token, progress })
    await stopServer(campaignServer)
    output.push(formatCampaigns(campaigns))
    json["campaigns"] = campaigns
    const campaignSending = await benchCampaignSending({
      url,
      token,
      recipients: positiveInt("BENCH_CAMPAIGN_SENDS", 500),
      startServer: startOurs,
      stopServer,
      postmasterPid: await postmasterPid(join(dataDir, "pg")),
      progress
    })
    output.push(formatCampaignSending(campaignSending))
    json["campaignSending"] = campaignSending
  }
  // Issue 9: 100,000-row generic and PropertyRadar imports against COPY (their contacts come after the others' figures).
  if (only === undefined || only === "imports") {
    const imports = await benchImports({
      url, token, startServer: startOurs, stopServer, progress, postmasterPid: await postmasterPid(join(dataDir, "pg"))
    })
    output.push(formatImports(imports))
    json["imports"] = imports
  }
  // Issue 11: a full sync to the fake QuickBooks at Intuit's limits (over 5 minutes at 2,500 invoices: the limits set the pace).
  if (only === undefined || only === "quickbooks") {
    const quickbooks = await benchQuickBooks({
      url, token, startServer: startOurs, stopServer, progress, invoices: positiveInt("BENCH_QB_INVOICES", 2500)
    })
    output.push(formatQuickBooks(quickbooks))
    json["quickbooks"] = quickbooks
    checkQuickBooks(quickbooks)
  }
  if (only === undefined || only === "billing") {
    // BENCH_HOLD=1: keep the database up for a look with psql or a server of one's own, until Ctrl-C.
    if (process.env["BENCH_HOLD"] === "1") {
      process.stdout.write(output.join("\n") + "\n")
      progress(`holding ${url} (token ${token}); Ctrl-C to end`)
      await new Promise(() => {})
    }
  }
  process.stdout.write(output.join("\n") + "\n")
  await mkdir(join(ROOT, "reports"), { recursive: true })
  await writeFile(join(ROOT, "reports/bench.json"), JSON.stringify(json, null, 2) + "\n")
}

/** Ours against the bare baseline on the contacts endpoints, one server at a time. */
const benchContacts = async (options: {
  readonly url: string
  readonly token: string
  readonly ids: ReadonlyArray<string>
  readonly startOurs: (name: string) => Promise<ServerProcess>
  readonly nodeArgs: ReadonlyArray<string>
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly connections: number
}): Promise<Array<EndpointResult>> => {
  const { connections, durationSeconds, ids, token, warmupSeconds } = options
  progress("starting both servers")
  const baseline = startServer("baseline", join(ROOT, "tests/bench/baseline-server.ts"), await freePort(), { DATABASE_URL: options.url }, options.nodeArgs)
  cleanups.push(() => stopServer(baseline))
  const [ours] = await Promise.all([options.startOurs("ours"), waitUntilReady(baseline, "/api/contacts?limit=1")])
  await checkSameResponses(ours, baseline, token, ids[0] ?? "")

  const randomId = () => ids[Math.floor(Math.random() * ids.length)] ?? ""
  const endpoints = [
    { endpoint: "GET /api/contacts/:id", path: () => `/api/contacts/${randomId()}` },
    { endpoint: "GET /api/contacts?limit=50", path: () => "/api/contacts?limit=50" }
  ]
  const servers = [
    { key: "ours", server: ours, headers: { authorization: `Bearer ${token}` } },
    { key: "baseline", server: baseline, headers: {} }
  ] as const
  const results: Array<EndpointResult> = []
  for (const { endpoint, path } of endpoints) {
    const measured: Partial<Record<"ours" | "baseline", Awaited<ReturnType<typeof load>>>> = {}
    // One server at a time, each warmed up just before it is measured (JIT, pool connections).
    for (const { key, server, headers } of servers) {
      if (interrupted) throw new Error("interrupted") // the servers are being stopped under us
      const options = { baseUrl: server.baseUrl, path, headers, connections }
      progress(`${endpoint} on ${key}: ${warmupSeconds} s warm-up, ${durationSeconds} s measured`)
      await load({ ...options, durationSeconds: warmupSeconds })
      measured[key] = await load({ ...options, durationSeconds })
    }
    if (measured.ours === undefined || measured.baseline === undefined) throw new Error("a load run is missing")
    results.push({ endpoint, ours: measured.ours, baseline: measured.baseline })
  }
  await stopServer(baseline)
  await stopServer(ours)
  return results
}

try {
  await main()
  await cleanUp()
} catch (error) {
  if (!interrupted) progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  await cleanUp()
  process.exitCode = 1
}
