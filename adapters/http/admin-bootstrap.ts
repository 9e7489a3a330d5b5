import { Config, Effect, Layer, Option, Redacted, Schema } from "effect"
import { ApiTokens } from "../../application/auth/api-tokens.ts"

export class WeakAdminToken extends Schema.TaggedError<WeakAdminToken>()("WeakAdminToken", {
  message: Schema.String
}) {}

/** Shorter secrets can be guessed; generated ones are 47 characters. */
const MIN_ADMIN_TOKEN_LENGTH = 24

/** CRM_ADMIN_TOKEN without surrounding blanks (a trailing newline is easy to paste); empty counts as unset. */
const adminTokenFromEnvironment = Config.option(Config.Redacted("CRM_ADMIN_TOKEN")).pipe(
  Config.map(Option.flatMap((secret) => {
    const trimmed = Redacted.value(secret).trim()
    return trimmed.length === 0 ? Option.none() : Option.some(Redacted.make(trimmed))
  }))
)

/**
 * At start-up: `CRM_ADMIN_TOKEN`, when set, becomes an admin token (stored
 * hashed). Without it, a database with no token at all gets a generated admin
 * token, printed once to stderr (not to the JSON log stream on stdout) and
 * never again: only its hash is kept.
 */
export const AdminBootstrapLive = Layer.effectDiscard(
  Effect.gen(function*() {
    const fromEnvironment = yield* adminTokenFromEnvironment
    if (Option.isSome(fromEnvironment) && Redacted.value(fromEnvironment.value).length < MIN_ADMIN_TOKEN_LENGTH) {
      return yield* new WeakAdminToken({
        message: `CRM_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (try: openssl rand -base64 32)`
      })
    }
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
