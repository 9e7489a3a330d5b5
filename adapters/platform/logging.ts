import { Config, Effect, Layer, Logger, References } from "effect"

/**
 * One JSON object per line on stdout (what log collectors expect), at
 * LOG_LEVEL (default Info). Lines are written in batches every 50 ms rather
 * than one write per line: per-request logging stays cheap under load, and
 * the batch is flushed when the logger's scope closes at shutdown. Secrets
 * never reach a log: they travel as `Redacted`, which prints as `<redacted>`.
 */
export const LoggingLive = Layer.unwrap(
  Effect.gen(function*() {
    const level = yield* Config.LogLevel("LOG_LEVEL").pipe(Config.withDefault("Info" as const))
    const jsonLines = Logger.batched(Logger.formatJson, {
      window: "50 millis",
      flush: (lines) => Effect.sync(() => void process.stdout.write(lines.join("\n") + "\n"))
    })
    return Layer.merge(Logger.layer([jsonLines]), Layer.succeed(References.MinimumLogLevel, level))
  })
)
