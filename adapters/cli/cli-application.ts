import { Config, Effect, Layer, Logger, References } from "effect"
import { CliError } from "effect/cli"
import type { SqlClient } from "effect/sql"
import { applicationLayer } from "../application-layer.ts"
import { jobEngineConfig, jobEngineLayer, type JobEngineServices } from "../jobs/job-engine.ts"
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
const cliApplication = (
  createEmbedded: boolean,
  // Most commands start jobs at most; the server's runner runs them (a runner per command would hold shards).
  jobEngine: Layer.Layer<JobEngineServices, never, SqlClient.SqlClient> = jobEngineLayer({ mode: "none" })
) => {
  const application = applicationLayer(sqlClientLayer({ attachToRunningEmbedded: true, createEmbedded }), jobEngine)
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

/**
 * A runner for commands that must see their job through without a server
 * (`import`): with JOB_RUNNER `single` (the default) a SingleRunner in this
 * process, which runs the job when no server runs, and is a hot standby
 * while a server's runner holds the shards (that runner then does the work).
 * With `socket` or `none` the cluster's workers run jobs: this process only
 * starts them, never joining as a runner of another kind.
 */
const runningJobEngine: Layer.Layer<JobEngineServices, never, SqlClient.SqlClient> = Layer.unwrap(
  Effect.map(Effect.orDie(jobEngineConfig), (options) => jobEngineLayer(options.mode === "single" ? options : { mode: "none" }))
)

/** For commands that wait for their own job (`import`): as {@link CliApplication}, with a job runner. */
export const CliRunningApplication = cliApplication(false, runningJobEngine)

/** For `migrate`, which like the server creates the embedded database on first use. */
export const CliMigrateApplication = cliApplication(true)
