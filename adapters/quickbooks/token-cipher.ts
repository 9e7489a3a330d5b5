import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { Config, Context, Effect, Layer, Option, Redacted, Result, Schema } from "effect"
import { QuickBooksConfigError } from "./quickbooks-config.ts"

const VARIABLE = "QUICKBOOKS_TOKEN_KEY"
const PREFIX = "v1:"
// AES-256-GCM: a 32-byte key; a 12-byte IV (GCM's native size, NIST SP 800-38D); the full 16-byte tag.
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16

/** Why a token could not be encrypted or decrypted. */
export class TokenCipherError extends Schema.TaggedError<TokenCipherError>()("TokenCipherError", {
  reason: Schema.Literals(["not-configured", "malformed", "unauthentic"]),
  message: Schema.String
}) {}

/**
 * Encrypts QuickBooks tokens at rest (AES-256-GCM). A stored value is
 * `v1:` + base64(iv | ciphertext | tag): the version prefix leaves room for a
 * later key or algorithm, and the tag makes any change to the value, or a
 * different key, fail to decrypt rather than decrypt to garbage.
 */
export class TokenCipher extends Context.Service<TokenCipher, {
  readonly encrypt: (plain: Redacted.Redacted<string>) => Effect.Effect<string, TokenCipherError>
  readonly decrypt: (stored: string) => Effect.Effect<Redacted.Redacted<string>, TokenCipherError>
}>()("crm/adapters/quickbooks/TokenCipher") {
  /** A cipher over a key already checked by {@link parseTokenKey}. */
  static readonly make = (key: Uint8Array): TokenCipher["Service"] => ({
    encrypt: (plain) =>
      Effect.sync(() => {
        // A fresh random IV for every value: GCM is broken by reusing an IV under one key.
        const iv = randomBytes(IV_BYTES)
        const cipher = createCipheriv("aes-256-gcm", key, iv)
        const body = Buffer.concat([cipher.update(Redacted.value(plain), "utf8"), cipher.final()])
        return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64")
      }),
    decrypt: (stored) => {
      const raw = stored.startsWith(PREFIX) ? Buffer.from(stored.slice(PREFIX.length), "base64") : undefined
      if (raw === undefined || raw.length < IV_BYTES + TAG_BYTES) {
        return Effect.fail(new TokenCipherError({ reason: "malformed", message: "not a v1 encrypted token" }))
      }
      return Effect.try({
        try: () => {
          const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES))
          decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
          const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()])
          return Redacted.make(plain.toString("utf8"))
        },
        catch: () =>
          new TokenCipherError({
            reason: "unauthentic",
            message: `a stored QuickBooks token does not decrypt with ${VARIABLE} (changed key or altered value): reconnect QuickBooks`
          })
      })
    }
  })

  /** With no key: every use fails, saying QuickBooks is not configured (the integration is off). */
  static readonly unconfigured: TokenCipher["Service"] = {
    encrypt: () => Effect.fail(notConfigured),
    decrypt: () => Effect.fail(notConfigured)
  }

  static readonly layer = (key: Uint8Array) => Layer.succeed(TokenCipher, TokenCipher.make(key))

  /**
   * From `QUICKBOOKS_TOKEN_KEY`: unset, the off cipher; set but malformed, a
   * start-up error naming it. Never a random key: tokens encrypted with one
   * would be lost on the next start.
   */
  static readonly layerConfig = Layer.effect(
    TokenCipher,
    Effect.gen(function*() {
      const given = yield* Config.option(Config.Redacted(VARIABLE))
      if (Option.isNone(given)) return TokenCipher.unconfigured
      const key = parseTokenKey(Redacted.value(given.value))
      if (Result.isFailure(key)) return yield* new QuickBooksConfigError({ variable: VARIABLE, message: key.failure })
      return TokenCipher.make(key.success)
    })
  )

  /** A fixed key, for tests. */
  static readonly layerTest = TokenCipher.layer(new Uint8Array(KEY_BYTES).fill(7))
}

const notConfigured = new TokenCipherError({
  reason: "not-configured",
  message: `QuickBooks is not configured: ${VARIABLE} is not set`
})

const HEX_KEY = /^[0-9a-fA-F]{64}$/u
// Standard or URL-safe alphabet, padding optional: 32 bytes are 43 characters (+ one "=").
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/u

/**
 * The 32-byte key from its text form: 64 hex digits (`openssl rand -hex 32`)
 * or base64 (`openssl rand -base64 32`). The message never repeats the value.
 */
export const parseTokenKey = (text: string): Result.Result<Uint8Array, string> => {
  const trimmed = text.trim()
  if (HEX_KEY.test(trimmed)) return Result.succeed(new Uint8Array(Buffer.from(trimmed, "hex")))
  if (BASE64_KEY.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replaceAll("-", "+").replaceAll("_", "/"), "base64")
    if (bytes.length === KEY_BYTES) return Result.succeed(new Uint8Array(bytes))
  }
  return Result.fail(
    `${VARIABLE} must be ${KEY_BYTES} bytes as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`); got ${trimmed.length} characters that are neither`
  )
}
