import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { Effect, Layer, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { freePort } from "../support/server-process.ts"
import { RUNNER_STEPS_TABLE, RunnerSteps } from "../support/runner-steps-workflow.ts"
import { freshDatabase, type FreshDatabase, waitFor } from "./harness.ts"

// Issue 8, section 1: runner processes (as `npm run worker` builds them) share
// the work through the database, and the executions of a runner killed with
// SIGKILL resume on the other one, each step recorded exactly once.

const EXECUTIONS = 20
const STEPS = 10
const PAUSE_MS = 100
/** Kill the first runner once this many steps (of 200) have been recorded. */
const KILL_AT_STEPS = 60
/** As tests/resilience/harness.ts: a dead runner's shard locks expire after 6 s. */
const SHARD_LOCK_EXPIRATION_MS = 6_000

interface Runner {
  readonly child: ChildProcess
  readonly output: () => string
}

let db: FreshDatabase
const runners: Array<Runner> = []

const startRunner = async (port: number): Promise<Runner> => {
  let output = ""
  const child = spawn(process.execPath, [join(import.meta.dirname, "../support/job-runner-main.ts")], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      JOB_RUNNER_HOST: "127.0.0.1",
      JOB_RUNNER_PORT: String(port),
      JOB_MESSAGE_POLL_INTERVAL: "200 millis",
      JOB_SHARD_LOCK_REFRESH_INTERVAL: "2 seconds",
      JOB_SHARD_LOCK_EXPIRATION: `${SHARD_LOCK_EXPIRATION_MS / 1000} seconds`,
      JOB_REFRESH_ASSIGNMENTS_INTERVAL: "500 millis",
      LOG_LEVEL: "Warn"
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  child.stdout?.on("data", (chunk: Buffer) => void (output += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => void (output += chunk.toString()))
  const runner = { child, output: () => output }
  runners.push(runner)
  return runner
}

const stepCounts = async () => {
  const rows = await db.query<{ pid: number; n: string }>("SELECT pid, count(*) AS n FROM runner_steps GROUP BY pid")
  return new Map(rows.map((row) => [row.pid, Number(row.n)]))
}
const totalSteps = async () => [...(await stepCounts()).values()].reduce((a, b) => a + b, 0)

beforeAll(async () => {
  db = await freshDatabase()
  await db.query(RUNNER_STEPS_TABLE)
  await db.query("ALTER TABLE runner_steps ADD COLUMN at timestamptz NOT NULL DEFAULT clock_timestamp()")
})
afterAll(async () => {
  for (const runner of runners) runner.child.kill("SIGKILL")
  await db.close()
})

describe("two job runner processes", () => {
  it("share the executions, and a killed runner's executions resume on the other, every step once", async () => {
    const [first, second] = [await startRunner(await freePort()), await startRunner(await freePort())]
    await waitFor("both runners registered", async () => {
      // The runners create the table as they start.
      const rows = await db.query<{ n: string }>("SELECT count(*) AS n FROM cluster_runners WHERE healthy").catch(() => [])
      return Number(rows[0]?.n) === 2 ? true : undefined
    }, { timeoutMs: 60_000, everyMs: 100, describe: async () => first.output() + second.output() })
    // Let the shards settle between the two (a few assignment refreshes): work
    // started during a rebalance waits for the hand-off, which is not what this test measures.
    await sleep(2_000)

    // Started from a process that runs no jobs, as an API replica with JOB_RUNNER=none would.
    const started = performance.now()
    await Effect.runPromise(
      Effect.forEach(
        Array.from({ length: EXECUTIONS }, (_, i) => i),
        (i) => RunnerSteps.execute({ id: `execution-${i}`, steps: STEPS, pauseMs: PAUSE_MS }, { discard: true }),
        { discard: true }
      ).pipe(Effect.provide(jobEngineLayer({ mode: "none" }).pipe(Layer.provideMerge(pgClientLayer(Redacted.make(db.url), 2)))))
    )

    const describeRun = async () => `steps by pid ${JSON.stringify([...(await stepCounts())])}\n${first.output()}${second.output()}`
    // Both runners take part before one of them dies.
    await waitFor("both runners running steps", async () => {
      const counts = await stepCounts()
      return counts.size === 2 && (await totalSteps()) >= KILL_AT_STEPS ? counts : undefined
    }, { timeoutMs: 60_000, everyMs: 50, describe: describeRun })
    const firstExecutions = (await db.query<{ execution_id: string }>(
      "SELECT DISTINCT execution_id FROM runner_steps WHERE pid = $1",
      [first.child.pid]
    )).map((row) => row.execution_id)
    first.child.kill("SIGKILL")
    const killedAt = performance.now()
    const [kill] = await db.query<{ at: Date }>("SELECT clock_timestamp() AS at")
    const stepsAtKill = await totalSteps()

    await waitFor("every execution succeeded", async () => {
      const [row] = await db.query<{ n: string }>("SELECT count(*) AS n FROM job_executions WHERE status = 'succeeded'")
      return Number(row?.n) === EXECUTIONS ? true : undefined
    }, { timeoutMs: 90_000, everyMs: 200, describe: describeRun })
    const finishedAt = performance.now()

    // Every step of every execution ran exactly once, whichever runner ran it.
    const [steps] = await db.query<{ n: string; distinct_steps: string }>(
      "SELECT count(*) AS n, count(DISTINCT (execution_id, step)) AS distinct_steps FROM runner_steps"
    )
    expect(Number(steps?.n)).toBe(EXECUTIONS * STEPS)
    expect(Number(steps?.distinct_steps)).toBe(EXECUTIONS * STEPS)
    // The killed runner's unfinished executions were finished by the other one.
    const resumed = await db.query<{ execution_id: string }>(
      "SELECT DISTINCT execution_id FROM runner_steps WHERE pid = $1 AND execution_id = ANY($2)",
      [second.child.pid, firstExecutions]
    )
    expect(resumed.length).toBeGreaterThan(0)
    const [gap] = await db.query<{ ms: string }>(
      `SELECT extract(epoch FROM (min(at) - $3)) * 1000 AS ms FROM runner_steps
       WHERE pid = $1 AND execution_id = ANY($2) AND at > $3`,
      [second.child.pid, firstExecutions, kill?.at]
    )
    console.log(JSON.stringify({
      stepsAtKill,
      firstRunnerExecutions: firstExecutions.length,
      resumedExecutions: resumed.length,
      killToFirstResumedStepMs: Math.round(Number(gap?.ms)),
      stepsByRunner: [...(await stepCounts()).values()],
      killToAllDoneMs: Math.round(finishedAt - killedAt),
      totalMs: Math.round(finishedAt - started)
    }))
  })
})
