import { Config, Effect, Layer, Logger, References } from "effect"

/**
 * One JSON object per line on stdout (what log collectors expect), at
 * LOG_LEVEL (default Info). Secrets never reach a log: they travel as
 * `Redacted`, which prints as `<redacted>`.
 */
export const LoggingLive = Layer.unwrap(
  Effect.gen(function*() {
    const level = yield* Config.LogLevel("LOG_LEVEL").pipe(Config.withDefault("Info" as const))
    return Layer.merge(Logger.layer([Logger.consoleJson]), Layer.succeed(References.MinimumLogLevel, level))
  })
)
