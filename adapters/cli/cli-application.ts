import { Config, Effect, Layer, Logger, References } from "effect"
import { CliError } from "effect/cli"
import { applicationLayer } from "../application-layer.ts"
import { sqlClientLayer } from "../sql/sql-client.ts"

const cliLogging = Layer.unwrap(Effect.gen(function*() {
  const level = yield* Config.LogLevel("LOG_LEVEL").pipe(Config.withDefault("Warn" as const))
  return Layer.merge(
    Logger.layer([Logger.map(Logger.formatJson, (line) => process.stderr.write(line + "\n"))]),
    Layer.succeed(References.MinimumLogLevel, level)
  )
}))

/**
 * The application for one CLI command: the same database settings as the
 * server (DATABASE_URL, or the embedded database in DATA_DIR, joined if a
 * server is running on it). Logs go to stderr at Warning unless LOG_LEVEL
 * says otherwise, so stdout carries only the command's output.
 */
const cliApplication = (createEmbedded: boolean) => {
  const application = applicationLayer(sqlClientLayer({ attachToRunningEmbedded: true, createEmbedded }))
  type Services = Layer.Success<typeof application>
  return application.pipe(
    // Said plainly, without a stack trace: it is the usual first mistake (a wrong DATA_DIR).
    Layer.catchTag("NoEmbeddedDatabase", (error) =>
      Layer.effectContext<Services, CliError.UserError, never>(
        Effect.fail(new CliError.UserError({ cause: error, userMessage: error.message }))
      )),
    Layer.provide(cliLogging)
  )
}

/** For every command but `migrate`: the embedded database must already exist; an empty DATA_DIR is an error. */
export const CliApplication = cliApplication(false)

/** For `migrate`, which like the server creates the embedded database on first use. */
export const CliMigrateApplication = cliApplication(true)
