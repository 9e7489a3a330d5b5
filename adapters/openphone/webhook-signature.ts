import { createHmac, timingSafeEqual } from "node:crypto"
import { DateTime, Duration, Effect, Redacted, Result, Schema } from "effect"
import { Webhook } from "standardwebhooks"

// Both of OpenPhone's signing schemes (shared/reference/openphone-facts.md,
// "Webhook signature"; external-apis-facts.md section 1.5):
// - legacy: `openphone-signature: hmac;1;<timestamp>;<base64>`, HMAC-SHA256 of
//   `<timestamp>.<raw body>` keyed with the base64-decoded signing key;
// - Standard Webhooks: `webhook-id`, `webhook-timestamp` (seconds) and
//   `webhook-signature: v1,<base64> ...` over `<id>.<timestamp>.<raw body>`,
//   computed by the `standardwebhooks` library.

export const WebhookSignatureFailure = Schema.Literals([
  "missing-header",
  "malformed-header",
  "bad-signature",
  "stale-timestamp",
  "future-timestamp"
])
export type WebhookSignatureFailure = typeof WebhookSignatureFailure.Type

export class InvalidWebhookSignature extends Schema.TaggedError<InvalidWebhookSignature>()("InvalidWebhookSignature", {
  reason: WebhookSignatureFailure,
  message: Schema.String
}) {}

/** The configured signing key is not base64. */
export class InvalidWebhookKey extends Schema.TaggedError<InvalidWebhookKey>()("InvalidWebhookKey", {
  message: Schema.String
}) {}

/** A timestamp further than this from now, either way, is refused (Standard Webhooks' tolerance, used for both schemes). */
export const TIMESTAMP_TOLERANCE = Duration.minutes(5)

/** The decoded signing key; build it once, when the layer starts. */
export interface WebhookKey {
  readonly bytes: Redacted.Redacted<Uint8Array>
}

/** Where the request came from: headers looked up by name (case-insensitively, as Hono's `c.req.header`), and the body as received. */
export interface SignedRequest {
  readonly header: (name: string) => string | undefined
  readonly rawBody: string
}

export interface VerifiedWebhook {
  readonly scheme: "legacy" | "standard"
  /** `webhook-id` (Standard Webhooks: the delivery to dedupe on); null for the legacy scheme. */
  readonly deliveryId: string | null
  readonly timestamp: DateTime.Utc
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/u
// At most 15 digits of milliseconds or 12 of seconds: always a valid date, so parsing cannot throw.
const MILLIS = /^\d{1,15}$/u
const SECONDS = /^\d{1,12}$/u

/**
 * Decodes the signing key: the base64 secret the app or API shows (legacy), or
 * a `whsec_`-prefixed one (new webhooks); the prefix is not part of the key.
 */
export const webhookKey = (secret: Redacted.Redacted<string>): Result.Result<WebhookKey, InvalidWebhookKey> => {
  const text = Redacted.value(secret).trim().replace(/^whsec_/u, "")
  if (!BASE64.test(text)) return Result.fail(new InvalidWebhookKey({ message: "OPENPHONE_WEBHOOK_KEY is not base64" }))
  return Result.succeed({ bytes: Redacted.make(new Uint8Array(Buffer.from(text, "base64"))) })
}

const failure = (reason: WebhookSignatureFailure, message: string) =>
  Result.fail(new InvalidWebhookSignature({ reason, message }))

const sameBytes = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b)

const checkTimestamp = (
  timestamp: DateTime.Utc,
  now: DateTime.Utc
): Result.Result<DateTime.Utc, InvalidWebhookSignature> => {
  const skew = DateTime.toEpochMillis(now) - DateTime.toEpochMillis(timestamp)
  const tolerance = Duration.toMillis(TIMESTAMP_TOLERANCE)
  if (skew > tolerance) return failure("stale-timestamp", "The signature's timestamp is more than 5 minutes old")
  if (skew < -tolerance) return failure("future-timestamp", "The signature's timestamp is more than 5 minutes ahead")
  return Result.succeed(timestamp)
}

const verifyLegacy = (key: WebhookKey, header: string, rawBody: string, now: DateTime.Utc) => {
  const parts = header.split(";")
  const [scheme, version, stamp, signature] = parts
  if (
    parts.length !== 4 || scheme !== "hmac" || version !== "1" || stamp === undefined || !MILLIS.test(stamp) ||
    signature === undefined || !BASE64.test(signature)
  ) {
    return failure("malformed-header", "openphone-signature is not hmac;1;<timestamp>;<base64 signature>")
  }
  const expected = createHmac("sha256", Redacted.value(key.bytes)).update(`${stamp}.${rawBody}`, "utf8").digest()
  if (!sameBytes(expected, Buffer.from(signature, "base64"))) {
    return failure("bad-signature", "openphone-signature does not match the body")
  }
  // The docs' example (1639710054089) is milliseconds. A value too small to be
  // milliseconds of this century is read as seconds rather than refused as stale.
  const value = Number(stamp)
  const millis = value < 100_000_000_000 ? value * 1000 : value
  return Result.map(checkTimestamp(DateTime.makeUnsafe(millis), now), (timestamp): VerifiedWebhook => ({
    scheme: "legacy",
    deliveryId: null,
    timestamp
  }))
}

const verifyStandard = (
  key: WebhookKey,
  headers: { readonly id: string; readonly timestamp: string; readonly signature: string },
  rawBody: string,
  now: DateTime.Utc
) => {
  const signatures = headers.signature.split(" ").flatMap((entry) => {
    const [version, value, ...rest] = entry.split(",")
    return version === "v1" && value !== undefined && rest.length === 0 && BASE64.test(value) ? [value] : []
  })
  if (!SECONDS.test(headers.timestamp) || signatures.length === 0) {
    return failure("malformed-header", "webhook-timestamp must be Unix seconds and webhook-signature a list of v1,<base64>")
  }
  const timestamp = DateTime.makeUnsafe(Number(headers.timestamp) * 1000)
  // The library computes the signature; it is not asked to verify, because it
  // reads the wall clock, where ours comes from Effect's Clock.
  const signer = new Webhook(Redacted.value(key.bytes), { format: "raw" })
  const [, expected = ""] = signer.sign(headers.id, DateTime.toDate(timestamp), rawBody).split(",")
  const expectedBytes = Buffer.from(expected, "base64")
  if (!signatures.some((value) => sameBytes(expectedBytes, Buffer.from(value, "base64")))) {
    return failure("bad-signature", "No webhook-signature matches the body")
  }
  return Result.map(checkTimestamp(timestamp, now), (timestamp): VerifiedWebhook => ({
    scheme: "standard",
    deliveryId: headers.id,
    timestamp
  }))
}

/**
 * Checks a webhook request's signature against the raw body as received (a
 * re-serialised body would not match), then that its timestamp is within 5
 * minutes of `now`. Standard Webhooks headers are used when present, else the
 * legacy header.
 */
export const verifyWebhookSignature = (
  key: WebhookKey,
  request: SignedRequest,
  now: DateTime.Utc
): Result.Result<VerifiedWebhook, InvalidWebhookSignature> => {
  const id = request.header("webhook-id")
  const timestamp = request.header("webhook-timestamp")
  const signature = request.header("webhook-signature")
  if (id !== undefined || timestamp !== undefined || signature !== undefined) {
    if (id === undefined || id === "" || timestamp === undefined || signature === undefined) {
      return failure("missing-header", "Standard Webhooks need webhook-id, webhook-timestamp and webhook-signature")
    }
    return verifyStandard(key, { id, timestamp, signature }, request.rawBody, now)
  }
  const legacy = request.header("openphone-signature")
  if (legacy === undefined) return failure("missing-header", "No openphone-signature or webhook-signature header")
  return verifyLegacy(key, legacy.trim(), request.rawBody, now)
}

/** {@link verifyWebhookSignature} against the time of Effect's Clock (TestClock in tests). */
export const verifyWebhook = (key: WebhookKey, request: SignedRequest): Effect.Effect<VerifiedWebhook, InvalidWebhookSignature> =>
  Effect.flatMap(DateTime.now, (now) => Effect.fromResult(verifyWebhookSignature(key, request, now)))
