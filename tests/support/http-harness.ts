import { Effect, Layer, type LogLevel, Option, Redacted, References } from "effect"
import { ApiTokens } from "../../application/auth/api-tokens.ts"
import { makeHttpApp } from "../../adapters/http/app.ts"
import { httpRuntime } from "../../adapters/http/http-runtime.ts"
import type { HttpServices } from "../../adapters/http/route.ts"
import { contractClient } from "./contract.ts"

export const ADMIN_SECRET = "crm_test_admin_secret_0123456789"

/**
 * The Hono app over the given application layer, with an admin token
 * installed, and a contract-checking client that sends it by default. The
 * layer lives as long as the calling test's scope.
 */
export const httpHarness = <E>(
  application: Layer.Layer<HttpServices, E>,
  options: { readonly logLevel?: LogLevel.LogLevel } = {}
) =>
  Effect.gen(function*() {
    // Request logs would drown the test output; warnings and errors still show.
    const quiet = Layer.succeed(References.MinimumLogLevel, options.logLevel ?? "Warn")
    const context = yield* Layer.build(Layer.merge(application, quiet))
    yield* ApiTokens.use((tokens) => tokens.bootstrap(Option.some(Redacted.make(ADMIN_SECRET)))).pipe(
      Effect.provideContext(context)
    )
    const app = makeHttpApp(httpRuntime(context))
    const client = yield* Effect.promise(() => contractClient(app, { token: ADMIN_SECRET }))
    return { app, ...client }
  })
