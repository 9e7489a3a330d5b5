import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer, Logger, Option, Schema, Scope } from "effect"
import { HttpServerLive } from "../../adapters/http/http-server.ts"
import { TestApplication } from "../../application/testing/index.ts"

const LogLine = Schema.fromJsonString(Schema.Struct({
  message: Schema.String,
  annotations: Schema.Record(Schema.String, Schema.Unknown)
}))
const decodeLogLine = Schema.decodeUnknownSync(LogLine)

/** The server over the in-memory application, with its JSON log lines collected. */
const serve = (config: Record<string, string>) => {
  const lines: Array<typeof LogLine.Type> = []
  const layer = HttpServerLive.pipe(
    Layer.provide(TestApplication),
    Layer.provide(Logger.layer([Logger.map(Logger.formatJson, (line) => void lines.push(decodeLogLine(line)))])),
    Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(config)))
  )
  return { layer, lines }
}

/** The port the "listening" line reports. */
const listeningPort = (lines: ReadonlyArray<typeof LogLine.Type>) =>
  Option.fromNullishOr(lines.find((line) => line.message === "listening")?.annotations["port"]).pipe(
    Option.filter((port) => typeof port === "number" && port > 0)
  )

const healthOn = (port: unknown) => Effect.promise(() => fetch(`http://127.0.0.1:${String(port)}/health`).then((r) => r.status))

// A real socket on the loopback interface, over the in-memory application.
describe("HttpServerLive", () => {
  it.live("listens on the port the system picks for PORT=0, says which, and stops listening when released", () =>
    Effect.gen(function*() {
      const { layer, lines } = serve({ PORT: "0", HOST: "127.0.0.1" })
      const scope = yield* Scope.make()
      yield* Layer.buildWithScope(layer, scope)
      const port = Option.getOrThrow(listeningPort(lines))
      assert.strictEqual(yield* healthOn(port), 200)
      yield* Scope.close(scope, Exit.void)
      assert.isTrue(lines.some((line) => line.message === "shutting down: draining requests"))
      const after = yield* Effect.tryPromise(() => fetch(`http://127.0.0.1:${String(port)}/health`)).pipe(Effect.flip)
      assert.strictEqual(after._tag, "UnknownError")
    }))

  it.live("fails with HttpServerError naming the address when the port is taken", () =>
    Effect.gen(function*() {
      const first = serve({ PORT: "0", HOST: "127.0.0.1" })
      yield* Layer.build(first.layer)
      const port = Option.getOrThrow(listeningPort(first.lines))
      const error = yield* Layer.build(serve({ PORT: String(port), HOST: "127.0.0.1" }).layer).pipe(Effect.flip)
      assert.strictEqual(error._tag, "HttpServerError")
      assert.include(error.message, `127.0.0.1:${String(port)}`)
    }).pipe(Effect.scoped))

  it.effect("refuses a PORT outside 0-65535", () =>
    Effect.gen(function*() {
      const exit = yield* Layer.build(serve({ PORT: "70000" }).layer).pipe(Effect.exit)
      assert.isTrue(Exit.isFailure(exit))
    }).pipe(Effect.scoped))
})
