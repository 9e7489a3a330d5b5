import { Effect, type Layer, Option, Redacted } from "effect"
import { ApiTokens } from "../../application/auth/api-tokens.ts"
import { makeHttpApp } from "../../adapters/http/app.ts"
import { httpRuntime } from "../../adapters/http/http-runtime.ts"
import type { HttpServices } from "../../adapters/http/route.ts"
import { contractClient } from "./contract.ts"

export const ADMIN_SECRET = "crm_test_admin_secret"

/**
 * The Hono app over the given application layer, with an admin token
 * installed, and a contract-checking client that sends it by default.
 */
export const httpHarness = <E>(application: Layer.Layer<HttpServices, E>) =>
  Effect.gen(function*() {
    const tokens = yield* ApiTokens
    yield* tokens.bootstrap(Option.some(Redacted.make(ADMIN_SECRET)))
    const context = yield* Effect.context<HttpServices>()
    const app = makeHttpApp(httpRuntime(context))
    const client = yield* Effect.promise(() => contractClient(app, { token: ADMIN_SECRET }))
    return { app, ...client }
  }).pipe(Effect.provide(application))
