// The module itself, not the package index: the index loads every Node
// adapter (Redis, undici, workers ...), about 60 MiB of resident memory.
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Effect, Exit, Layer, Runtime } from "effect"
import { applicationLayer } from "../application-layer.ts"
import { JobEngineLive } from "../jobs/job-engine.ts"
import { LoggingLive } from "../platform/logging.ts"
import { sqlClientLayer } from "../sql/sql-client.ts"
import { AdminBootstrapLive } from "./admin-bootstrap.ts"
import { HttpServerLive } from "./http-server.ts"

// The edge: the only place the layers are put together. On SIGTERM/SIGINT,
// runMain interrupts the program and the layers close in reverse order: the
// HTTP server drains, then the pool closes, then the embedded database stops.
const Application = applicationLayer(sqlClientLayer(), JobEngineLive)

const Server = HttpServerLive.pipe(Layer.provide(AdminBootstrapLive))

// Background jobs (and the hourly idempotency-key purge) run in the job engine inside Application.
const Main = Server.pipe(Layer.provide(Application))

// Failures are logged as JSON like everything else on stdout, and the logger
// is the outermost layer so its last batch is written before the exit.
const program = Layer.launch(Main).pipe(
  Effect.tapCause((cause) => (Cause.hasInterruptsOnly(cause) ? Effect.void : Effect.logFatal("server stopped", cause))),
  Effect.provide(LoggingLive)
)

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  // A shutdown asked for by a signal that drained cleanly is a success for
  // process managers (systemd, Kubernetes); real failures keep their codes.
  teardown: (exit, onExit) =>
    Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
})
