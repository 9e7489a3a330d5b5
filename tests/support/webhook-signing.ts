import { createHmac } from "node:crypto"
import { Webhook } from "standardwebhooks"

/** A signing key as OpenPhone shows it: base64. */
export const WEBHOOK_KEY_BASE64 = Buffer.from("attack-a-crack test webhook signing key").toString("base64")

/** The legacy `openphone-signature` header for a body (shared/reference/openphone-facts.md, S4): timestamps in ms. */
export const legacySignature = (body: string, timestampMs: number, keyBase64 = WEBHOOK_KEY_BASE64): string => {
  const digest = createHmac("sha256", Buffer.from(keyBase64, "base64")).update(`${timestampMs}.${body}`, "utf8").digest("base64")
  return `hmac;1;${timestampMs};${digest}`
}

/** Standard Webhooks headers for a body, signed by the maintained library. */
export const standardHeaders = (body: string, id: string, timestampMs: number, keyBase64 = WEBHOOK_KEY_BASE64) => ({
  "webhook-id": id,
  "webhook-timestamp": String(Math.floor(timestampMs / 1000)),
  "webhook-signature": new Webhook(keyBase64).sign(id, new Date(timestampMs), body)
})
