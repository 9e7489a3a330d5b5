import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Layer, Logger, References } from "effect"
import { FetchHttpClient } from "effect/http"
import { SANDBOX_NOTICE, SmsGatewayLive } from "../../adapters/openphone/sms-gateway-layer.ts"
import { SmsGateway } from "../../application/ports/sms-gateway.ts"
import { TestApplication } from "../../application/testing/index.ts"
import { FAKE_API_KEY, FAKE_NUMBER, fakeOpenPhone } from "../support/fake-openphone.ts"
import { httpHarness } from "../support/http-harness.ts"
import { testDatabase } from "../support/test-database.ts"

const call = Effect.promise

/** SmsGatewayLive as the application builds it, under `env`, with its log lines collected. */
const gatewayLayer = (env: Record<string, string>) => {
  const lines: Array<string> = []
  const layer = SmsGatewayLive.pipe(
    Layer.provide(Layer.merge(FetchHttpClient.layer, testDatabase())),
    Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(env))),
    Layer.provide(Logger.layer([Logger.map(Logger.formatJson, (line) => void lines.push(line))])),
    Layer.provide(Layer.succeed(References.MinimumLogLevel, "Info"))
  )
  return { layer, lines }
}

// The HTTP app over the in-memory use cases, with the gateway the configuration chooses on top.
const app = (env: Record<string, string>) =>
  Effect.gen(function*() {
    const { layer, lines } = gatewayLayer(env)
    const services = yield* Layer.build(layer)
    const harness = yield* httpHarness(Layer.merge(TestApplication, Layer.succeedContext(services)))
    return { ...harness, lines, gateway: Context.get(services, SmsGateway) }
  })

describe("SmsGatewayLive", () => {
  it.effect("without an API key: the sandbox, announced at start-up and in /health, its texts listed newest first", () =>
    Effect.gen(function*() {
      const { request, lines, gateway } = yield* app({})
      assert.isTrue(lines.some((line) => line.includes(SANDBOX_NOTICE)), "start-up line")
      const health = yield* call(() => request("GET", "/health"))
      assert.deepStrictEqual(health.body, { status: "ok", smsGateway: "sandbox" })
      for (const content of ["one", "two", "three"]) yield* gateway.send({ to: "+15125550177", content })
      const first = yield* call(() => request("GET", "/api/sandbox/messages?limit=2"))
      const page = first.body as { data: Array<{ text: string; id: string }>; nextCursor: string | null }
      assert.deepStrictEqual(page.data.map((m) => m.text), ["three", "two"])
      assert.match(page.data[0]?.id ?? "", /^AC/)
      const second = yield* call(() => request("GET", `/api/sandbox/messages?limit=2&cursor=${page.nextCursor ?? ""}`))
      const last = second.body as { data: Array<{ text: string }>; nextCursor: string | null }
      assert.deepStrictEqual([last.data.map((m) => m.text), last.nextCursor], [["one"], null])
      const bad = yield* call(() => request("GET", "/api/sandbox/messages?cursor=nonsense"))
      assert.strictEqual(bad.status, 422)
      const anonymous = yield* call(() => request("GET", "/api/sandbox/messages", { token: null }))
      assert.strictEqual(anonymous.status, 401)
    }).pipe(Effect.scoped))

  it.effect("with an API key: OpenPhone, named in /health; no sandbox to list; the key is never logged", () =>
    Effect.gen(function*() {
      const fake = yield* fakeOpenPhone()
      const env = { OPENPHONE_API_KEY: FAKE_API_KEY, OPENPHONE_FROM: FAKE_NUMBER.id, OPENPHONE_API_URL: fake.url }
      const { request, lines, gateway } = yield* app(env)
      const health = yield* call(() => request("GET", "/health"))
      assert.deepStrictEqual(health.body, { status: "ok", smsGateway: "openphone" })
      const sandbox = yield* call(() => request("GET", "/api/sandbox/messages"))
      assert.strictEqual(sandbox.status, 404)
      yield* gateway.send({ to: "+15125550178", content: "live" })
      assert.deepStrictEqual(fake.received().map((m) => m.text), ["live"])
      assert.isTrue(lines.some((line) => line.includes("SMS gateway: OpenPhone")))
      assert.isFalse(lines.some((line) => line.includes(FAKE_API_KEY)), "the API key stays out of the logs")
    }).pipe(Effect.scoped))
})
