import { Effect, Layer, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import { makeOpenPhoneGateway } from "../../../adapters/openphone/openphone-gateway.ts"
import { makeSandboxGateway } from "../../../adapters/openphone/sandbox-gateway.ts"
import { SqlRateLimiter } from "../../../adapters/sql/sql-rate-limiter-store.ts"
import { SmsGateway } from "../../../application/ports/sms-gateway.ts"
import { fakeOpenPhone } from "../../support/fake-openphone.ts"
import { FAKE_KEY, testOpenPhoneConfig } from "../../support/openphone-test-config.ts"
import { smsGatewaySuite } from "../../support/port-suites/sms-gateway.ts"
import { testDatabase } from "../../support/test-database.ts"

// One database for the file; each suite's tests text numbers of their own.
const database = testDatabase()

const sandbox = Layer.effect(SmsGateway, makeSandboxGateway(testOpenPhoneConfig("http://unused", { apiKey: Option.none() })))
  .pipe(Layer.provide(database))

// The live adapter over a real socket to the fake provider, limited through PostgreSQL.
const live = Layer.effect(
  SmsGateway,
  Effect.gen(function*() {
    const fake = yield* fakeOpenPhone()
    return yield* makeOpenPhoneGateway(testOpenPhoneConfig(fake.url), FAKE_KEY)
  })
).pipe(Layer.provide(Layer.merge(SqlRateLimiter, FetchHttpClient.layer)), Layer.provide(database))

smsGatewaySuite("SmsGateway: sandbox on PostgreSQL", sandbox)
smsGatewaySuite("SmsGateway: OpenPhone adapter over the fake provider", live)
