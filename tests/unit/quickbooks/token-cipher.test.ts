import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted, Result } from "effect"
import { parseTokenKey, TokenCipher } from "../../../adapters/quickbooks/token-cipher.ts"

const HEX_KEY = "0123456789abcdef".repeat(4)
const keyOf = (text: string) => Result.getOrThrow(parseTokenKey(text))
const cipher = TokenCipher.make(keyOf(HEX_KEY))
const secret = Redacted.make("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0..ünïcødé✓")

/** The stored value with one byte of its payload (iv | ciphertext | tag) flipped. */
const flipped = (stored: string, index: (length: number) => number) => {
  const raw = Buffer.from(stored.slice(3), "base64")
  const at = index(raw.length)
  raw[at] = (raw[at] ?? 0) ^ 0x01
  return `v1:${raw.toString("base64")}`
}

const withKey = (value: string | undefined) =>
  TokenCipher.layerConfig.pipe(
    Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(value === undefined ? {} : { QUICKBOOKS_TOKEN_KEY: value })))
  )

describe("TokenCipher", () => {
  it.effect("decrypts what it encrypted; every value gets its own IV, so equal tokens never look equal", () =>
    Effect.gen(function*() {
      const a = yield* cipher.encrypt(secret)
      const b = yield* cipher.encrypt(secret)
      assert.notStrictEqual(a, b)
      assert.match(a, /^v1:[A-Za-z0-9+/]+=*$/u)
      // iv (12) + one byte per UTF-8 byte of the token + tag (16)
      assert.strictEqual(Buffer.from(a.slice(3), "base64").length, 12 + Buffer.byteLength(Redacted.value(secret)) + 16)
      assert.isFalse(a.includes("eyJ"))
      assert.strictEqual(Redacted.value(yield* cipher.decrypt(a)), Redacted.value(secret))
      assert.strictEqual(Redacted.value(yield* cipher.decrypt(yield* cipher.encrypt(Redacted.make("")))), "")
    }))

  it.effect("refuses a value altered anywhere: IV, ciphertext or tag", () =>
    Effect.gen(function*() {
      const stored = yield* cipher.encrypt(secret)
      for (const index of [() => 0, () => 12 + 3, (n: number) => n - 1]) {
        const error = yield* Effect.flip(cipher.decrypt(flipped(stored, index)))
        assert.strictEqual(error.reason, "unauthentic")
      }
    }))

  it.effect("refuses a value encrypted under another key, and says to reconnect", () =>
    Effect.gen(function*() {
      const stored = yield* TokenCipher.make(keyOf("fedcba9876543210".repeat(4))).encrypt(secret)
      const error = yield* Effect.flip(cipher.decrypt(stored))
      assert.strictEqual(error.reason, "unauthentic")
      assert.include(error.message, "QUICKBOOKS_TOKEN_KEY")
      assert.include(error.message, "reconnect")
    }))

  it.effect("refuses values that are not v1 ciphertext", () =>
    Effect.gen(function*() {
      for (const stored of ["plain-token", "v2:AAAA", "v1:", "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]) {
        const error = yield* Effect.flip(cipher.decrypt(stored))
        assert.strictEqual(error.reason, "malformed", stored)
      }
    }))
})

describe("parseTokenKey", () => {
  it("takes 32 bytes as 64 hex digits or as base64, padded or not, standard or URL-safe", () => {
    const bytes = Buffer.from(HEX_KEY, "hex")
    const base64 = bytes.toString("base64")
    for (const text of [HEX_KEY, HEX_KEY.toUpperCase(), base64, base64.replace(/=$/u, ""), bytes.toString("base64url"), ` ${HEX_KEY}\n`]) {
      assert.deepStrictEqual(Result.map(parseTokenKey(text), (key) => Buffer.from(key).toString("hex")), Result.succeed(HEX_KEY), text)
    }
  })

  it("rejects anything else without repeating the value", () => {
    const short = Buffer.alloc(31, 1).toString("base64")
    const long = Buffer.alloc(33, 1).toString("base64")
    for (const text of ["", "secret", HEX_KEY.slice(1), `${HEX_KEY}0`, short, long, "g".repeat(64), `${"A".repeat(42)}==`]) {
      const result = parseTokenKey(text)
      assert.isTrue(Result.isFailure(result), text)
      if (Result.isFailure(result)) {
        assert.include(result.failure, "QUICKBOOKS_TOKEN_KEY")
        if (text.length > 0) assert.notInclude(result.failure, text)
      }
    }
  })
})

describe("TokenCipher.layerConfig", () => {
  it.effect("with a well-formed key, encrypts with it", () =>
    Effect.gen(function*() {
      const live = yield* TokenCipher
      assert.strictEqual(Redacted.value(yield* cipher.decrypt(yield* live.encrypt(secret))), Redacted.value(secret))
    }).pipe(Effect.provide(withKey(Buffer.from(HEX_KEY, "hex").toString("base64")))))

  it.effect("without a key, QuickBooks is off: encrypting and decrypting fail saying so", () =>
    Effect.gen(function*() {
      const off = yield* TokenCipher
      const error = yield* Effect.flip(off.encrypt(secret))
      assert.deepStrictEqual([error.reason, error.message], ["not-configured", "QuickBooks is not configured: QUICKBOOKS_TOKEN_KEY is not set"])
      assert.strictEqual((yield* Effect.flip(off.decrypt("v1:AAAA"))).reason, "not-configured")
    }).pipe(Effect.provide(withKey(undefined))))

  it.effect("with a malformed key, fails to start, naming the variable and not the value", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Layer.build(withKey("hunter2-not-a-key")))
      assert.strictEqual(error._tag, "QuickBooksConfigError")
      if (error._tag === "QuickBooksConfigError") {
        assert.strictEqual(error.variable, "QUICKBOOKS_TOKEN_KEY")
        assert.notInclude(error.message, "hunter2")
      }
    }))
})
