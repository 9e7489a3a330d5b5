import { Config, Effect, Layer, Logger, References } from "effect"
import { applicationLayer } from "../application-layer.ts"
import { sqlClientLayer } from "../sql/sql-client.ts"

/**
 * The application for one CLI command: the same database settings as the
 * server (DATABASE_URL, or the embedded database in DATA_DIR, joined if a
 * server is running on it). Logs go to stderr at Warning unless LOG_LEVEL
 * says otherwise, so stdout carries only the command's output.
 */
export const CliApplication = applicationLayer(sqlClientLayer({ attachToRunningEmbedded: true })).pipe(
  Layer.provide(Layer.unwrap(Effect.gen(function*() {
    const level = yield* Config.LogLevel("LOG_LEVEL").pipe(Config.withDefault("Warn" as const))
    return Layer.merge(
      Logger.layer([Logger.map(Logger.formatJson, (line) => process.stderr.write(line + "\n"))]),
      Layer.succeed(References.MinimumLogLevel, level)
    )
  })))
)
