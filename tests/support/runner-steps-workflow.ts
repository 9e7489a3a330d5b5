import { Effect, Schema } from "effect"
import { ClusterSchema } from "effect/cluster"
import { SqlClient } from "effect/sql"
import { Activity, Workflow } from "effect/workflow"
import { trackedWorkflow } from "../../application/jobs/tracked-workflow.ts"

// A workflow for the multi-runner tests: `steps` activities, each recording
// which process ran it in `runner_steps` (in the activity's transaction, so a
// step is recorded exactly as often as its result is), then pausing a little
// so a run lasts long enough to be killed in the middle.

export const RUNNER_STEPS_TABLE = `CREATE TABLE IF NOT EXISTS runner_steps (execution_id text NOT NULL, step int NOT NULL, pid int NOT NULL)`

export const RunnerSteps = Workflow.make("test.runner-steps", {
  payload: { id: Schema.String, steps: Schema.Number, pauseMs: Schema.Number },
  idempotencyKey: ({ id }) => id
})

const step = (executionId: string, i: number, pauseMs: number) =>
  Activity.make({
    name: `step-${i}`,
    execute: Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* Effect.orDie(sql`INSERT INTO runner_steps (execution_id, step, pid) VALUES (${executionId}, ${i}, ${process.pid})`)
      yield* Effect.sleep(pauseMs)
    })
  }).annotate(ClusterSchema.WithTransaction, true)

export const RunnerStepsLayer = RunnerSteps.toLayer(trackedWorkflow(RunnerSteps, ({ pauseMs, steps }, executionId) =>
  Effect.gen(function*() {
    for (let i = 0; i < steps; i++) yield* step(executionId, i, pauseMs)
  })))
