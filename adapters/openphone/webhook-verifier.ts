import { Config, Context, DateTime, Effect, Layer, Option, Result } from "effect"
import {
  InvalidWebhookSignature,
  type SignedRequest,
  type VerifiedWebhook,
  verifyWebhookSignature,
  type WebhookKey,
  webhookKey
} from "./webhook-signature.ts"

/** Checks that a webhook request was signed by OpenPhone with our key, recently. */
export interface WebhookVerifier {
  readonly verify: (request: SignedRequest) => Effect.Effect<VerifiedWebhook, InvalidWebhookSignature>
}

const unconfigured: WebhookVerifier = {
  verify: () =>
    Effect.fail(new InvalidWebhookSignature({ reason: "bad-signature", message: "No webhook signing key is configured" }))
}

/** A verifier for a decoded key; the time comes from Effect's Clock. */
export const webhookVerifier = (key: WebhookKey): WebhookVerifier => ({
  verify: (request) => Effect.flatMap(DateTime.now, (now) => Effect.fromResult(verifyWebhookSignature(key, request, now)))
})

/**
 * The verifier webhook routes use. Without a configured key every webhook is
 * refused (fail closed): a deployment that forgets the key accepts nothing
 * unsigned.
 */
export const OpenPhoneWebhookVerifier = Context.Reference<WebhookVerifier>("crm/adapters/openphone/OpenPhoneWebhookVerifier", {
  defaultValue: () => unconfigured
})

/**
 * The verifier for OPENPHONE_WEBHOOK_KEY (base64, as OpenPhone shows it). A
 * key that is not base64 stops the start-up; no key is logged and refuses
 * every webhook.
 */
export const OpenPhoneWebhookVerifierLive = Layer.effect(
  OpenPhoneWebhookVerifier,
  Effect.gen(function*() {
    const secret = yield* Effect.orDie(Config.option(Config.Redacted("OPENPHONE_WEBHOOK_KEY")))
    if (Option.isNone(secret)) {
      yield* Effect.logWarning("OPENPHONE_WEBHOOK_KEY is not set: POST /webhooks/openphone refuses every request")
      return unconfigured
    }
    const key = webhookKey(secret.value)
    if (Result.isFailure(key)) return yield* Effect.die(key.failure)
    return webhookVerifier(key.success)
  })
)
