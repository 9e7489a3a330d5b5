// The module itself, not the package index: the index loads every Node
// adapter (Redis, undici, workers ...), about 60 MiB of resident memory.
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Effect, Exit, Layer, Runtime } from "effect"
import { applicationLayer } from "../application-layer.ts"
import { LoggingLive } from "../platform/logging.ts"
import { sqlClientLayer } from "../sql/sql-client.ts"
import { JobEngineWorkerLive } from "./job-engine.ts"

// `npm run worker`: a job runner without the HTTP API. Runners find each
// other through the database (DATABASE_URL, or the embedded one in DATA_DIR,
// joined if a server runs it) and talk over TCP at JOB_RUNNER_HOST:PORT. On
// SIGTERM the runner hands its shards over (their executions resume on
// another runner) before the pool closes.
const Worker = applicationLayer(sqlClientLayer({ attachToRunningEmbedded: true }), JobEngineWorkerLive)

const program = Layer.launch(Worker).pipe(
  Effect.tapCause((cause) => (Cause.hasInterruptsOnly(cause) ? Effect.void : Effect.logFatal("worker stopped", cause))),
  Effect.provide(LoggingLive)
)

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  // A shutdown asked for by a signal that drained cleanly is a success for process managers.
  teardown: (exit, onExit) =>
    Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
})
