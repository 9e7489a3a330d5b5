import { Config, Effect, Layer, Option, Redacted } from "effect"
import { ApiTokens } from "../../application/auth/api-tokens.ts"

/**
 * At start-up: `CRM_ADMIN_TOKEN`, when set, becomes an admin token (stored
 * hashed). Without it, a database with no token at all gets a generated admin
 * token, printed once to stderr (not to the JSON log stream on stdout) and
 * never again: only its hash is kept.
 */
export const AdminBootstrapLive = Layer.effectDiscard(
  Effect.gen(function*() {
    const fromEnvironment = yield* Config.option(Config.Redacted("CRM_ADMIN_TOKEN"))
    const generated = yield* ApiTokens.use((tokens) => tokens.bootstrap(fromEnvironment))
    if (Option.isSome(generated)) {
      yield* Effect.logWarning("generated the first admin token; it is printed once on stderr")
      yield* Effect.sync(() =>
        process.stderr.write(
          `\nFirst admin API token (shown once, store it now):\n\n    ${Redacted.value(generated.value)}\n\n` +
            `Use it as "Authorization: Bearer <token>"; mint more with POST /api/tokens.\n\n`
        ))
    }
  })
)
