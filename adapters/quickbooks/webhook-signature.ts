import { createHmac, timingSafeEqual } from "node:crypto"
import { Config, Context, Effect, Layer, Option, Redacted, Result, Schema } from "effect"

// Intuit signs every webhook delivery: `intuit-signature` is the base64
// HMAC-SHA256 of the raw request body, keyed with the app's "verifier token"
// (developer portal, Webhooks page). No timestamp is signed: a replay is
// harmless because each notification is stored once by its dedupe key.

export class InvalidQuickBooksSignature extends Schema.TaggedError<InvalidQuickBooksSignature>()(
  "InvalidQuickBooksSignature",
  {
    reason: Schema.Literals(["missing-header", "malformed-header", "bad-signature", "not-configured"]),
    message: Schema.String
  }
) {}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/u

/** What Intuit would send as `intuit-signature` for this body. */
export const intuitSignature = (verifier: Redacted.Redacted<string>, rawBody: string): string =>
  createHmac("sha256", Redacted.value(verifier)).update(rawBody, "utf8").digest("base64")

/**
 * Checks `intuit-signature` against the raw body as received (a re-serialised
 * body would not match), comparing the digests in constant time.
 */
export const verifyIntuitSignature = (
  verifier: Redacted.Redacted<string>,
  header: string | undefined,
  rawBody: string
): Result.Result<void, InvalidQuickBooksSignature> => {
  if (header === undefined || header.trim() === "") {
    return Result.fail(new InvalidQuickBooksSignature({ reason: "missing-header", message: "No intuit-signature header" }))
  }
  const given = header.trim()
  if (!BASE64.test(given)) {
    return Result.fail(new InvalidQuickBooksSignature({ reason: "malformed-header", message: "intuit-signature is not base64" }))
  }
  const expected = createHmac("sha256", Redacted.value(verifier)).update(rawBody, "utf8").digest()
  const actual = Buffer.from(given, "base64")
  return actual.length === expected.length && timingSafeEqual(actual, expected)
    ? Result.succeed(undefined)
    : Result.fail(new InvalidQuickBooksSignature({ reason: "bad-signature", message: "intuit-signature does not match the body" }))
}

/** Checks a QuickBooks webhook request's signature. */
export interface QuickBooksWebhookVerifier {
  readonly verify: (header: string | undefined, rawBody: string) => Effect.Effect<void, InvalidQuickBooksSignature>
}

const unconfigured: QuickBooksWebhookVerifier = {
  verify: () =>
    Effect.fail(new InvalidQuickBooksSignature({ reason: "not-configured", message: "No QuickBooks webhook verifier token is configured" }))
}

export const quickBooksWebhookVerifier = (verifier: Redacted.Redacted<string>): QuickBooksWebhookVerifier => ({
  verify: (header, rawBody) => Effect.fromResult(verifyIntuitSignature(verifier, header, rawBody))
})

/**
 * The verifier the webhook route uses. Without a configured verifier token
 * every webhook is refused (fail closed).
 */
export const QuickBooksWebhookVerifier = Context.Reference<QuickBooksWebhookVerifier>(
  "crm/adapters/quickbooks/QuickBooksWebhookVerifier",
  { defaultValue: () => unconfigured }
)

/** The verifier for QUICKBOOKS_WEBHOOK_VERIFIER; unset: every webhook is refused, and a warning says so. */
export const QuickBooksWebhookVerifierLive = Layer.effect(
  QuickBooksWebhookVerifier,
  Effect.gen(function*() {
    const verifier = yield* Effect.orDie(Config.option(Config.Redacted("QUICKBOOKS_WEBHOOK_VERIFIER")))
    if (Option.isNone(verifier) || Redacted.value(verifier.value).trim() === "") {
      yield* Effect.logWarning("QUICKBOOKS_WEBHOOK_VERIFIER is not set: POST /webhooks/quickbooks refuses every request")
      return unconfigured
    }
    return quickBooksWebhookVerifier(verifier.value)
  })
)
