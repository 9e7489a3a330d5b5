import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Schedule, Schema } from "effect"
import { ClusterSchema } from "effect/cluster"
import { SqlClient } from "effect/sql"
import { Activity, DurableClock, Workflow } from "effect/workflow"
import { cronJob } from "../../adapters/jobs/cron-job.ts"
import { fastJobTimings, jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { SqlEngineHistory } from "../../adapters/jobs/sql-engine-history.ts"
import { SqlJobExecutions } from "../../adapters/sql/sql-job-executions.ts"
import { trackedWorkflow } from "../../application/jobs/tracked-workflow.ts"
import { EngineHistory } from "../../application/ports/engine-history.ts"
import { JobExecutions } from "../../application/ports/job-executions.ts"
import { testDatabase } from "../support/test-database.ts"

class ProbeRefused extends Schema.TaggedError<ProbeRefused>()("ProbeRefused", { reason: Schema.String }) {}

/** Writes a probe row in the activity's transaction; a `fail` probe writes it and then fails, so nothing is kept. */
const writeProbe = (id: string, fail: boolean) =>
  Activity.make({
    name: "probe.write",
    error: ProbeRefused,
    execute: Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* Effect.orDie(sql`INSERT INTO job_engine_probe (id, tx) VALUES (${id}, txid_current())`)
      if (fail) return yield* new ProbeRefused({ reason: `probe ${id} refused` })
    })
  }).annotate(ClusterSchema.WithTransaction, true)

const ProbeWorkflow = Workflow.make("test.probe", {
  payload: { id: Schema.String, fail: Schema.Boolean },
  error: ProbeRefused,
  idempotencyKey: ({ id }) => id
})

const ProbeWorkflowLayer = ProbeWorkflow.toLayer(trackedWorkflow(ProbeWorkflow, ({ fail, id }) => writeProbe(id, fail)))

const Sleeper = Workflow.make("test.sleeper", { payload: { id: Schema.String }, idempotencyKey: ({ id }) => id })
const SleeperLayer = Sleeper.toLayer(trackedWorkflow(Sleeper, () => DurableClock.sleep({ name: "nap", duration: "1 hour" })))

const EverySecond = cronJob({ name: "test.every-second", cron: "* * * * * *", execute: Effect.void })

const database = Layer.unwrap(Effect.sync(() => {
  const db = testDatabase()
  const probeTable = Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* Effect.orDie(sql`CREATE TABLE job_engine_probe (id text PRIMARY KEY, tx bigint NOT NULL)`)
  })
  return Layer.effectDiscard(probeTable).pipe(Layer.provideMerge(db))
}))

// When the engine's layer starts building: the first test reports the time to its first execution.
let engineStartedAt = 0
const engine = jobEngineLayer({ mode: "single", sharding: fastJobTimings }).pipe(
  Layer.provide(Layer.effectDiscard(Effect.sync(() => void (engineStartedAt = Date.now()))))
)
const jobs = Layer.mergeAll(ProbeWorkflowLayer, SleeperLayer, EverySecond).pipe(
  Layer.provideMerge(SqlEngineHistory),
  Layer.provideMerge(engine),
  Layer.provideMerge(SqlJobExecutions),
  Layer.provideMerge(database)
)

/** Polls job_executions until the execution has an outcome. */
const outcomeOf = (executionId: string) =>
  Effect.gen(function*() {
    return yield* (yield* JobExecutions).findById(executionId)
  }).pipe(
    Effect.flatMap((found) =>
      Option.isSome(found) && found.value.status !== "running" ? Effect.succeed(found.value) : Effect.fail("pending" as const)
    ),
    Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 400 })
  )

const probeRows = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* Effect.orDie(sql<{ readonly id: string }>`SELECT id FROM job_engine_probe ORDER BY id`)
  return rows.map((row) => row.id)
})

layer(jobs, { timeout: 60_000, excludeTestServices: true })("the job engine on PostgreSQL (SingleRunner)", (it) => {
  it.effect("runs a workflow whose activity commits its write with its result, and records it in job_executions", () =>
    Effect.gen(function*() {
      const started = Date.now()
      const executionId = yield* ProbeWorkflow.execute({ id: "ok", fail: false }, { discard: true })
      const job = yield* outcomeOf(executionId)
      yield* Effect.logInfo("first execution finished").pipe(
        Effect.annotateLogs({ fromExecuteMs: Date.now() - started, fromEngineStartMs: Date.now() - engineStartedAt })
      )
      assert.strictEqual(job.kind, "test.probe")
      assert.strictEqual(job.status, "succeeded")
      assert.deepStrictEqual(job.payload, { id: "ok", fail: false })
      assert.isDefined(job.finishedAt)
      assert.deepStrictEqual(yield* probeRows, ["ok"])
      // The same payload is the same execution: it does not run again.
      assert.strictEqual(yield* ProbeWorkflow.execute({ id: "ok", fail: false }, { discard: true }), executionId)
    }))

  it.effect("an activity's writes and its recorded result commit in one transaction", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // Records the transaction that saves each reply (xmin would show the later ack's update).
      yield* sql`CREATE TABLE reply_transactions (request_id bigint, tx bigint)`
      yield* sql`
        CREATE FUNCTION record_reply_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO reply_transactions VALUES (NEW.request_id, txid_current()); RETURN NEW; END $$`
      yield* sql`
        CREATE TRIGGER record_reply_transaction AFTER INSERT ON cluster_replies
        FOR EACH ROW EXECUTE FUNCTION record_reply_transaction()`
      const executionId = yield* ProbeWorkflow.execute({ id: "same-transaction", fail: false }, { discard: true })
      yield* outcomeOf(executionId)
      const rows = yield* sql<{ readonly same: boolean }>`
        SELECT p.tx = t.tx AS same
        FROM job_engine_probe p, cluster_messages m JOIN reply_transactions t ON t.request_id = m.id
        WHERE p.id = 'same-transaction' AND m.entity_id = ${executionId} AND m.tag = 'activity'
          AND m.payload LIKE '%probe.write%'`
      assert.deepStrictEqual(rows.map((row) => row.same), [true])
    }))

  // WithTransaction rolls back only a defect of the engine's own handling: an
  // activity's typed failure is its recorded result, and what it wrote before
  // failing commits with it. Check before writing (or nest a Transactor).
  it.effect("a failed execution is recorded with its error", () =>
    Effect.gen(function*() {
      const executionId = yield* ProbeWorkflow.execute({ id: "refused", fail: true }, { discard: true })
      const job = yield* outcomeOf(executionId)
      assert.strictEqual(job.status, "failed")
      assert.strictEqual(job.error, `ProbeRefused {"reason":"probe refused refused"}`)
      // Pinned, as adapters/jobs/README.md warns: the write before the typed failure committed.
      assert.include(yield* probeRows, "refused")
    }))

  it.effect("runs a registered cron job and records each run", () =>
    Effect.gen(function*() {
      const store = yield* JobExecutions
      const runs = yield* store.list({ kind: "cron:test.every-second", status: "succeeded" }, { limit: 1, after: undefined }).pipe(
        Effect.flatMap((page) => page.items.length > 0 ? Effect.succeed(page.items) : Effect.fail("no run yet" as const)),
        Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 100 })
      )
      assert.match(runs[0]!.executionId, /^cron:test\.every-second:\d{4}-/)
    }))

  it.effect("the nightly clean-up forgets the history of finished executions and cron runs, never of waiting ones", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const done = yield* ProbeWorkflow.execute({ id: "clean-up", fail: false }, { discard: true })
      yield* outcomeOf(done)
      const sleeping = yield* Sleeper.execute({ id: "sleeping" }, { discard: true })
      const messagesOf = (executionId: string) =>
        Effect.map(sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM cluster_messages WHERE entity_id = ${executionId}`, (rows) => rows[0]?.n ?? 0)
      // The sleeper has suspended once its clock is scheduled.
      yield* messagesOf(sleeping).pipe(
        Effect.flatMap((n) => n >= 3 ? Effect.void : Effect.fail("not suspended yet" as const)),
        Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 })
      )
      const before = yield* messagesOf(sleeping)
      assert.isAbove(yield* messagesOf(done), 0)

      const deleted = yield* (yield* EngineHistory).purgeFinishedBefore(DateTime.add(yield* DateTime.now, { minutes: 1 }))
      assert.isAbove(deleted, 0)
      assert.strictEqual(yield* messagesOf(done), 0)
      assert.strictEqual(yield* messagesOf(sleeping), before)
      const [orphans] = yield* sql<{ readonly n: number }>`
        SELECT count(*)::int AS n FROM cluster_replies r WHERE NOT EXISTS (SELECT 1 FROM cluster_messages m WHERE m.id = r.request_id)`
      assert.strictEqual(orphans?.n, 0)
      // The execution's own record stays until job_executions is purged too.
      assert.strictEqual((yield* (yield* JobExecutions).findById(done)).pipe(Option.map((job) => job.status), Option.getOrUndefined), "succeeded")
    }))

  it.effect("a process that runs no jobs (JOB_RUNNER=none) starts one through storage, and a runner runs it", () =>
    Effect.gen(function*() {
      const client = jobEngineLayer({ mode: "none", sharding: fastJobTimings })
      const executionId = yield* ProbeWorkflow.execute({ id: "from-client", fail: false }, { discard: true }).pipe(
        Effect.provide(client)
      )
      const job = yield* outcomeOf(executionId)
      assert.strictEqual(job.status, "succeeded")
      assert.include(yield* probeRows, "from-client")
    }))

  it.effect("an execution interrupted on purpose is recorded as failed, \"interrupted\"", () =>
    Effect.gen(function*() {
      const executionId = yield* Sleeper.execute({ id: "interrupted" }, { discard: true })
      // Started (its start is recorded) before it is interrupted.
      yield* Effect.gen(function*() {
        return yield* (yield* JobExecutions).findById(executionId)
      }).pipe(
        Effect.flatMap((found) => Option.isSome(found) ? Effect.void : Effect.fail("not started" as const)),
        Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 })
      )
      yield* Sleeper.interrupt(executionId)
      const job = yield* outcomeOf(executionId)
      assert.deepStrictEqual([job.status, job.error], ["failed", "interrupted"])
    }))
})
