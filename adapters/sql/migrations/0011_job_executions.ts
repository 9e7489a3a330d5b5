import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // One row per workflow execution or cron run, for operators: the engine's
  // own cluster_* tables hold the durable history, this holds what a person
  // asks about (what ran, when, did it fail, why).
  yield* sql`
    CREATE TABLE job_executions (
      execution_id text PRIMARY KEY,
      kind text NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
      payload jsonb NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      error text,
      attempts integer NOT NULL DEFAULT 1
    )`
  // The list is newest first, optionally per kind or status.
  yield* sql`CREATE INDEX job_executions_started ON job_executions (started_at DESC, execution_id DESC)`
  yield* sql`CREATE INDEX job_executions_kind_started ON job_executions (kind, started_at DESC, execution_id DESC)`
  yield* sql`CREATE INDEX job_executions_finished ON job_executions (finished_at) WHERE finished_at IS NOT NULL`
})
