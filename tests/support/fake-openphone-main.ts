import { startFakeOpenPhone } from "./fake-openphone.ts"

// The fake OpenPhone as its own process, for resilience tests that kill the
// CRM's processes and need the provider's record to outlive them. Prints one
// JSON line `{"url": ...}`; tests steer it through /__fake/* (stats, messages,
// faults, reset). Settings from the environment:
//   FAKE_OPENPHONE_API_KEY, FAKE_OPENPHONE_FAILURE_RATIO (0..1), FAKE_OPENPHONE_SEED,
//   FAKE_OPENPHONE_FAILURE_STATUS (default 500), FAKE_OPENPHONE_RATE_LIMIT (429 above it per second).
const env = process.env
const number = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : Number(env[name]))

const ratio = number("FAKE_OPENPHONE_FAILURE_RATIO")
const rateLimit = number("FAKE_OPENPHONE_RATE_LIMIT")
const fake = await startFakeOpenPhone({
  ...(env["FAKE_OPENPHONE_API_KEY"] === undefined ? {} : { apiKey: env["FAKE_OPENPHONE_API_KEY"] }),
  ...(ratio === undefined ? {} : {
    failureRatio: { ratio, seed: number("FAKE_OPENPHONE_SEED") ?? 1, status: number("FAKE_OPENPHONE_FAILURE_STATUS") ?? 500 }
  }),
  ...(rateLimit === undefined ? {} : { enforceRateLimit: rateLimit })
})
process.stdout.write(JSON.stringify({ url: fake.url }) + "\n")
const stop = () => void fake.close().then(() => process.exit(0))
process.on("SIGTERM", stop)
process.on("SIGINT", stop)
