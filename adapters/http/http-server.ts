import type { Server } from "node:http"
import { type ServerType, serve } from "@hono/node-server"
import { Config, Effect, Layer, Schema } from "effect"
import { OpenPhoneWebhookVerifierLive } from "../openphone/webhook-verifier.ts"
import { QuickBooksWebhookVerifierLive } from "../quickbooks/webhook-signature.ts"
import { makeHttpApp } from "./app.ts"
import { httpRuntime } from "./http-runtime.ts"
import type { HttpServices } from "./route.ts"

export class HttpServerError extends Schema.TaggedError<HttpServerError>()("HttpServerError", {
  message: Schema.String
}) {}

/** A TCP port, or 0 for one the system picks (the "listening" log line says which). */
const ListenPort = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 65535 }))

/** In-flight requests get this long to finish at shutdown before their connections are cut. */
const DRAIN_TIMEOUT = "10 seconds"

const listen = (fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string) =>
  Effect.callback<ServerType, HttpServerError>((resume) => {
    const server = serve({ fetch, port, hostname }, () => resume(Effect.succeed(server)))
    server.once("error", (error) => resume(Effect.fail(new HttpServerError({ message: `Cannot listen on ${hostname}:${port}: ${error.message}` }))))
  })

/**
 * Stops accepting connections, lets in-flight requests finish (closing
 * keep-alive connections as they fall idle), and cuts what is left after
 * DRAIN_TIMEOUT.
 */
const drain = (server: ServerType) =>
  Effect.callback<void>((resume) => {
    server.close(() => resume(Effect.void))
    const http = server as Server
    http.closeIdleConnections?.()
  }).pipe(
    Effect.timeoutOrElse({
      duration: DRAIN_TIMEOUT,
      orElse: () => Effect.sync(() => (server as Server).closeAllConnections?.())
    })
  )

/**
 * Serves the Hono app on PORT (default 3000; 0 picks a free one) and HOST (default 0.0.0.0) for
 * as long as the layer lives; releasing it drains the server first, before
 * the application's own resources (pool, database) are released.
 */
export const HttpServerLive = Layer.effectDiscard(
  Effect.gen(function*() {
    const port = yield* Config.schema(ListenPort, "PORT").pipe(Config.withDefault(3000))
    const hostname = yield* Config.String("HOST").pipe(Config.withDefault("0.0.0.0"))
    const context = yield* Effect.context<HttpServices>()
    const app = makeHttpApp(httpRuntime(context))
    const server = yield* Effect.acquireRelease(listen(app.fetch, port, hostname), (server) =>
      Effect.logInfo("shutting down: draining requests").pipe(Effect.andThen(drain(server))))
    const address = server.address()
    yield* Effect.logInfo("listening").pipe(
      Effect.annotateLogs({ port: typeof address === "object" && address !== null ? address.port : port, hostname })
    )
  })
  // The webhook routes' signature checks, keyed with OPENPHONE_WEBHOOK_KEY and QUICKBOOKS_WEBHOOK_VERIFIER.
).pipe(Layer.provide(Layer.merge(OpenPhoneWebhookVerifierLive, QuickBooksWebhookVerifierLive)))
