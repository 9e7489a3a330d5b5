import { NodeRuntime } from "@effect/platform-node"
import { Cause, Exit, Layer, Runtime } from "effect"
import { applicationLayer } from "../application-layer.ts"
import { LoggingLive } from "../platform/logging.ts"
import { sqlClientLayer } from "../sql/sql-client.ts"
import { AdminBootstrapLive } from "./admin-bootstrap.ts"
import { HttpServerLive } from "./http-server.ts"
import { IdempotencyPurgeLive } from "./idempotency-purge.ts"

// The edge: the only place the layers are put together. On SIGTERM/SIGINT,
// runMain interrupts the program and the layers close in reverse order: the
// HTTP server drains, then the pool closes, then the embedded database stops.
const Application = applicationLayer(sqlClientLayer())

const Server = HttpServerLive.pipe(Layer.provide(AdminBootstrapLive))

const Main = Layer.merge(Server, IdempotencyPurgeLive).pipe(
  Layer.provide(Application),
  Layer.provide(LoggingLive)
)

NodeRuntime.runMain(Layer.launch(Main), {
  // A shutdown asked for by a signal that drained cleanly is a success for
  // process managers (systemd, Kubernetes); real failures keep their codes.
  teardown: (exit, onExit) =>
    Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
})
