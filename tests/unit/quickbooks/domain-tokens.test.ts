import { assert, describe, it } from "@effect/vitest"
import { DateTime, Duration, Effect } from "effect"
import { TestClock } from "effect/testing"
import { currentTokenState, expiryFrom, isExpired, needsRefresh, tokenState } from "../../../domain/quickbooks/tokens.ts"

const T0 = DateTime.makeUnsafe("2026-11-21T15:00:00Z")
const at = (minutes: number) => DateTime.add(T0, { minutes })

describe("needsRefresh", () => {
  it("refreshes from five minutes before expiry on, not before", () => {
    const expiresAt = at(60)
    assert.isFalse(needsRefresh(expiresAt, at(54)))
    assert.isFalse(needsRefresh(expiresAt, DateTime.add(at(55), { milliseconds: -1 })))
    assert.isTrue(needsRefresh(expiresAt, at(55)))
    assert.isTrue(needsRefresh(expiresAt, at(61)))
  })

  it("takes another margin", () => {
    assert.isFalse(needsRefresh(at(60), at(59), Duration.seconds(30)))
    assert.isTrue(needsRefresh(at(60), at(59), Duration.minutes(1)))
  })

  it("counts the expiry instant as expired", () => {
    assert.isFalse(isExpired(at(60), at(59)))
    assert.isTrue(isExpired(at(60), at(60)))
  })
})

describe("tokenState", () => {
  const tokens = { accessTokenExpiresAt: at(60), refreshTokenExpiresAt: at(60 * 24 * 100) }

  it("is valid, then refresh near the access expiry, then reconnect once the refresh token expired", () => {
    assert.strictEqual(tokenState(tokens, at(10)), "valid")
    assert.strictEqual(tokenState(tokens, at(56)), "refresh")
    assert.strictEqual(tokenState(tokens, at(60 * 24 * 50)), "refresh")
    assert.strictEqual(tokenState(tokens, at(60 * 24 * 100)), "reconnect")
  })

  it.effect("follows the Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(DateTime.toEpochMillis(T0))
      assert.strictEqual(yield* currentTokenState(tokens), "valid")
      yield* TestClock.adjust(Duration.minutes(55))
      assert.strictEqual(yield* currentTokenState(tokens), "refresh")
      yield* TestClock.adjust(Duration.days(100))
      assert.strictEqual(yield* currentTokenState(tokens), "reconnect")
    }))
})

describe("expiryFrom", () => {
  it("adds Intuit's expires_in seconds to the time of the answer", () => {
    assert.deepStrictEqual(expiryFrom(T0, 3600), at(60))
  })
})
