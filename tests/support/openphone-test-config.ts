import { Duration, Option, Redacted } from "effect"
import type { OpenPhoneConfig } from "../../adapters/openphone/openphone-config.ts"
import { FAKE_API_KEY, FAKE_NUMBER } from "./fake-openphone.ts"

/** The live gateway's settings against a fake provider at `apiUrl`: short waits, so failure tests stay quick. */
export const testOpenPhoneConfig = (apiUrl: string, overrides: Partial<OpenPhoneConfig> = {}): OpenPhoneConfig => ({
  apiKey: Option.some(Redacted.make(FAKE_API_KEY)),
  from: Option.some(FAKE_NUMBER.number),
  apiUrl,
  requestTimeout: Duration.seconds(2),
  maxRetries: 3,
  retryBase: Duration.millis(20),
  retryMaxDelay: Duration.millis(200),
  requestsPerSecond: 10,
  spacingMargin: Duration.millis(10),
  ...overrides
})

export const FAKE_KEY = Redacted.make(FAKE_API_KEY)
