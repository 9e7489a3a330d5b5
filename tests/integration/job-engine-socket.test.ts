import { assert, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import { JobEngineWorkerLive } from "../../adapters/jobs/job-engine.ts"
import { SqlJobExecutions } from "../../adapters/sql/sql-job-executions.ts"
import { JobExecutions } from "../../application/ports/job-executions.ts"
import { freePort } from "../support/server-process.ts"
import { RUNNER_STEPS_TABLE, RunnerSteps, RunnerStepsLayer } from "../support/runner-steps-workflow.ts"
import { testDatabase } from "../support/test-database.ts"

// `npm run worker`'s engine (a socket runner, configured from the JOB_*
// settings) in this process: it listens, takes the shards and runs a workflow.
// Two of them, and a kill, are tests/resilience/job-engine-runners.test.ts.

const database = Layer.unwrap(Effect.sync(() => {
  const table = Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* Effect.orDie(sql.unsafe(RUNNER_STEPS_TABLE))
  })
  return Layer.effectDiscard(table).pipe(Layer.provideMerge(testDatabase()))
}))

const worker = Layer.unwrap(Effect.map(Effect.promise(freePort), (port) =>
  JobEngineWorkerLive.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({
    JOB_RUNNER: "single", // ignored: a worker is always a socket runner
    JOB_RUNNER_HOST: "127.0.0.1",
    JOB_RUNNER_PORT: String(port),
    JOB_MESSAGE_POLL_INTERVAL: "100 millis",
    JOB_REFRESH_ASSIGNMENTS_INTERVAL: "200 millis",
    JOB_SHARD_LOCK_REFRESH_INTERVAL: "2 seconds",
    JOB_SHARD_LOCK_EXPIRATION: "6 seconds"
  }))))))

const jobs = RunnerStepsLayer.pipe(Layer.provideMerge(worker), Layer.provideMerge(SqlJobExecutions), Layer.provideMerge(database))

layer(jobs, { timeout: 60_000, excludeTestServices: true })("the job engine as a socket runner (npm run worker)", (it) => {
  it.effect("registers itself, takes the shards and runs a workflow to the end", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const executionId = yield* RunnerSteps.execute({ id: "socket", steps: 3, pauseMs: 0 }, { discard: true })
      const job = yield* Effect.gen(function*() {
        const found = yield* (yield* JobExecutions).findById(executionId)
        return Option.isSome(found) && found.value.status !== "running" ? found.value : yield* Effect.fail("pending" as const)
      }).pipe(Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 400 }))
      assert.strictEqual(job.status, "succeeded")
      const steps = yield* sql<{ readonly step: number }>`SELECT step FROM runner_steps WHERE execution_id = ${executionId} ORDER BY step`
      assert.deepStrictEqual(steps.map((row) => row.step), [0, 1, 2])
      const runners = yield* sql<{ readonly address: string }>`SELECT address FROM cluster_runners`
      assert.strictEqual(runners.length, 1)
      assert.match(runners[0]!.address, /^127\.0\.0\.1:\d+$/)
    }))
})
