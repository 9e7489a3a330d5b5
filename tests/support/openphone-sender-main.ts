import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { SmsGatewayLive } from "../../adapters/openphone/sms-gateway-layer.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { SmsGateway } from "../../application/ports/sms-gateway.ts"

// A stand-in for one runner process: texts SENDER_COUNT messages through the
// live gateway (SmsGatewayLive, configured from OPENPHONE_* as the server is),
// rate limited through the PostgreSQL at DATABASE_URL, which other senders
// share. Prints one JSON line: how many were accepted and why others failed.
const env = process.env
const count = Number(env["SENDER_COUNT"] ?? "10")
const prefix = env["SENDER_PREFIX"] ?? "sender"
const concurrency = Number(env["SENDER_CONCURRENCY"] ?? "8")

const program = Effect.gen(function*() {
  const sms = yield* SmsGateway
  const results = yield* Effect.forEach(
    Array.from({ length: count }, (_, i) => i),
    (i) => sms.send({ to: `+1415555${String(3000 + i).padStart(4, "0")}`, content: `${prefix}-${i}` }).pipe(Effect.result),
    { concurrency }
  )
  const failed = results.flatMap((r) => (r._tag === "Failure" ? [r.failure.reason] : []))
  process.stdout.write(JSON.stringify({ accepted: results.length - failed.length, failed }) + "\n")
})

const database = pgClientLayer(Redacted.make(env["DATABASE_URL"] ?? ""), 4)
await Effect.runPromise(
  program.pipe(Effect.provide(SmsGatewayLive.pipe(Layer.provide(Layer.merge(FetchHttpClient.layer, database)))))
)
