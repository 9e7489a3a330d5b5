/**
 * `npm run bench`: the real server against a bare Hono + pg baseline, on the
 * same embedded PostgreSQL and the same 10,000 contacts, one at a time; then
 * billing runs over 10,000 customer services and the revenue report.
 * Exits 0 whenever the bench ran, whatever the figures; 1 if it could not run.
 */
import { randomBytes } from "node:crypto"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { availableParallelism, cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { isDeepStrictEqual } from "node:util"
import { Effect, Exit, Redacted, Scope } from "effect"
import { embeddedPostgres } from "../../adapters/sql/embedded-postgres.ts"
import { benchBilling, formatBilling } from "./billing.ts"
import { load } from "./load.ts"
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

  progress("starting both servers")
  const [oursPort, baselinePort] = [await freePort(), await freePort()]
  // BENCH_CPU_PROF=1: each server writes a .cpuprofile when it exits (open in Chrome DevTools).
  const profileDir = join(ROOT, "reports/bench-profiles")
  const nodeArgs = process.env["BENCH_CPU_PROF"] === "1" ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []
  const ours = startServer("ours", join(ROOT, "adapters/http/main.ts"), oursPort, {
    DATABASE_URL: url,
    HOST: "127.0.0.1",
    CRM_ADMIN_TOKEN: token,
    LOG_LEVEL: "Info", // the default, pinned so an inherited LOG_LEVEL cannot skew the figures
    DATABASE_POOL_SIZE: "10"
  }, nodeArgs)
  cleanups.push(() => stopServer(ours))
  const baseline = startServer("baseline", join(ROOT, "tests/bench/baseline-server.ts"), baselinePort, { DATABASE_URL: url }, nodeArgs)
  cleanups.push(() => stopServer(baseline))
  await Promise.all([waitUntilReady(ours, "/ready"), waitUntilReady(baseline, "/api/contacts?limit=1")])
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

  const environment: Environment = {
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    durationSeconds,
    warmupSeconds,
    connections,
    rows: ROWS
  }
  // The baseline has no billing: billing is measured on our server alone, a
  // fresh process, so its memory figures are billing's own.
  await stopServer(baseline)
  await stopServer(ours)
  const billingServer = startServer("ours (billing)", join(ROOT, "adapters/http/main.ts"), await freePort(), {
    DATABASE_URL: url,
    HOST: "127.0.0.1",
    CRM_ADMIN_TOKEN: token,
    LOG_LEVEL: "Info",
    DATABASE_POOL_SIZE: "10"
  }, nodeArgs)
  cleanups.push(() => stopServer(billingServer))
  await waitUntilReady(billingServer, "/ready")
  const billing = await benchBilling({ url, server: billingServer, token, connections, durationSeconds, warmupSeconds, progress })

  process.stdout.write(formatReport(environment, results) + "\n" + formatBilling(billing) + "\n")
  await mkdir(join(ROOT, "reports"), { recursive: true })
  await writeFile(
    join(ROOT, "reports/bench.json"),
    JSON.stringify({ ...jsonReport(environment, results), billing }, null, 2) + "\n"
  )
}

try {
  await main()
  await cleanUp()
} catch (error) {
  if (!interrupted) progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  await cleanUp()
  process.exitCode = 1
}
