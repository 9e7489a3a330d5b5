import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Config, Effect, Layer } from "effect"
import { JobEngineWorkerLive } from "../../adapters/jobs/job-engine.ts"
import { LoggingLive } from "../../adapters/platform/logging.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { SqlJobExecutions } from "../../adapters/sql/sql-job-executions.ts"
import { RunnerStepsLayer } from "./runner-steps-workflow.ts"

// A job runner as `npm run worker` builds it (JobEngineWorkerLive, the same
// JOB_* settings), running only the test workflow: the multi-runner tests
// need work whose every step they can see, without the application's config.
const Database = Layer.unwrap(Effect.map(Effect.orDie(Config.Redacted("DATABASE_URL")), (url) => pgClientLayer(url, 5)))

const Runner = RunnerStepsLayer.pipe(
  Layer.provideMerge(JobEngineWorkerLive),
  Layer.provideMerge(SqlJobExecutions),
  Layer.provideMerge(Database)
)

NodeRuntime.runMain(Layer.launch(Runner).pipe(Effect.provide(LoggingLive)))
