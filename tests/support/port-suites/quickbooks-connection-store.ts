import { assert } from "@effect/vitest"
import { DateTime, Effect, Option, Redacted } from "effect"
import { v7 } from "uuid"
import {
  type NewTokens,
  type QuickBooksConnection,
  QuickBooksConnectionStore
} from "../../../application/ports/quickbooks-connection-store.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { at } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const connectedAt = at("2026-07-01T09:00:00.000Z")

// Intuit's access tokens are JWTs of about a kilobyte; a long one checks nothing is cut.
const tokens = (label: string, issuedAt = connectedAt): NewTokens => ({
  accessToken: Redacted.make(`eyJ.${label}.access.${"x".repeat(1200)}`),
  refreshToken: Redacted.make(`AB11${label}refresh`),
  accessTokenExpiresAt: DateTime.add(issuedAt, { hours: 1 }),
  refreshTokenExpiresAt: DateTime.add(issuedAt, { days: 100 })
})

/** A connection with its secrets revealed, so two can be compared field by field. */
const plain = (connection: QuickBooksConnection) => ({
  ...connection,
  accessToken: Redacted.value(connection.accessToken),
  refreshToken: Redacted.value(connection.refreshToken)
})
const plainOf = (found: Option.Option<QuickBooksConnection>) => Option.map(found, plain)

const connectFresh = (realmId = "9341452000000001") =>
  Effect.flatMap(Effect.service(QuickBooksConnectionStore), (store) =>
    store.connect({ realmId, companyName: "Sandbox Company_US_1", tokens: tokens("first"), connectedAt }))

/**
 * The QuickBooks connection (one per CRM) and its OAuth states. The
 * connection is a single row, so each test starts by connecting afresh.
 */
export const quickBooksConnectionStoreSuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("connects at version 1 and reads back every field; disconnecting forgets it", () =>
      Effect.gen(function*() {
        const store = yield* QuickBooksConnectionStore
        const connected = yield* connectFresh()
        const given = tokens("first")
        assert.deepStrictEqual(plain(connected), {
          realmId: "9341452000000001",
          companyName: "Sandbox Company_US_1",
          accessToken: Redacted.value(given.accessToken),
          refreshToken: Redacted.value(given.refreshToken),
          accessTokenExpiresAt: given.accessTokenExpiresAt,
          refreshTokenExpiresAt: given.refreshTokenExpiresAt,
          version: 1,
          connectedAt,
          lastSyncAt: null,
          lastError: null,
          cdcCursor: null
        })
        assert.deepStrictEqual(plainOf(yield* store.find), Option.some(plain(connected)))
        assert.deepStrictEqual(plainOf(yield* store.findForUpdate), Option.some(plain(connected)))
        yield* store.disconnect
        assert.isTrue(Option.isNone(yield* store.find))
      }))

    it.effect("a new connection replaces the old one whole: version, sync state and cursor start again", () =>
      Effect.gen(function*() {
        const store = yield* QuickBooksConnectionStore
        yield* connectFresh("111")
        yield* store.rotateTokens(1, tokens("rotated"))
        yield* store.recordSync({ at: DateTime.add(connectedAt, { minutes: 5 }), error: "boom" })
        yield* store.setCdcCursor(DateTime.add(connectedAt, { minutes: 15 }))
        const again = yield* connectFresh("222")
        const found = Option.getOrThrow(yield* store.find)
        assert.deepStrictEqual(plain(found), plain(again))
        assert.deepStrictEqual([found.realmId, found.version, found.lastError, found.cdcCursor], ["222", 1, null, null])
        assert.strictEqual(Redacted.value(found.refreshToken), Redacted.value(tokens("first").refreshToken))
      }))

    it.effect("rotates tokens only from the version it read: a second refresh from the same version stores nothing", () =>
      Effect.gen(function*() {
        const store = yield* QuickBooksConnectionStore
        yield* connectFresh()
        const later = DateTime.add(connectedAt, { minutes: 55 })
        const first = yield* store.rotateTokens(1, tokens("one", later))
        assert.deepStrictEqual(Option.map(first, (c) => c.version), Option.some(2))
        assert.isTrue(Option.isNone(yield* store.rotateTokens(1, tokens("stale", later))))
        const found = Option.getOrThrow(yield* store.find)
        assert.deepStrictEqual(plain(found), plain(Option.getOrThrow(first)))
        assert.deepStrictEqual(
          [Redacted.value(found.refreshToken), found.accessTokenExpiresAt, found.refreshTokenExpiresAt],
          ["AB11onerefresh", DateTime.add(later, { hours: 1 }), DateTime.add(later, { days: 100 })]
        )
        const second = yield* store.rotateTokens(2, tokens("two", later))
        assert.deepStrictEqual(Option.map(second, (c) => [c.version, Redacted.value(c.refreshToken)]), Option.some([3, "AB11tworefresh"]))
        yield* store.disconnect
        assert.isTrue(Option.isNone(yield* store.rotateTokens(3, tokens("gone", later))))
      }))

    it.effect("two refreshes holding the row lock take turns: the second sees the first's tokens and keeps both rotations", () =>
      Effect.gen(function*() {
        const store = yield* QuickBooksConnectionStore
        const tx = yield* Transactor
        yield* connectFresh()
        const refresh = (label: string) =>
          tx.withTransaction(Effect.gen(function*() {
            const current = Option.getOrThrow(yield* store.findForUpdate)
            const rotated = yield* store.rotateTokens(current.version, tokens(label))
            return { label, read: Redacted.value(current.refreshToken), stored: Option.isSome(rotated) }
          }))
        const both = yield* Effect.all([refresh("a"), refresh("b")], { concurrency: 2 })
        const first = both.find((run) => run.read === "AB11firstrefresh")
        const second = both.find((run) => run !== first)
        assert.isTrue(first !== undefined && second !== undefined)
        if (first === undefined || second === undefined) return
        // The one that waited read the first one's rotated token, not the one they both started from.
        assert.deepStrictEqual([first.stored, second.stored, second.read], [true, true, `AB11${first.label}refresh`])
        const found = Option.getOrThrow(yield* store.find)
        assert.deepStrictEqual([found.version, Redacted.value(found.refreshToken)], [3, `AB11${second.label}refresh`])
      }))

    it.effect("records sync results: a success sets the time and clears the error, a failure keeps the last success", () =>
      Effect.gen(function*() {
        const store = yield* QuickBooksConnectionStore
        yield* connectFresh()
        const success = DateTime.add(connectedAt, { minutes: 1 })
        yield* store.recordSync({ at: success, error: null })
        yield* store.recordSync({ at: DateTime.add(connectedAt, { minutes: 2 }), error: "invalid-grant: refresh token revoked" })
        const failed = Option.getOrThrow(yield* store.find)
        assert.deepStrictEqual([failed.lastSyncAt, failed.lastError], [success, "invalid-grant: refresh token revoked"])
        const recovered = DateTime.add(connectedAt, { minutes: 3 })
        yield* store.recordSync({ at: recovered, error: null })
        yield* store.setCompanyName("Craig's Design and Landscaping Services")
        yield* store.setCdcCursor(recovered)
        const found = Option.getOrThrow(yield* store.find)
        assert.deepStrictEqual(
          [found.lastSyncAt, found.lastError, found.companyName, found.cdcCursor, found.version],
          [recovered, null, "Craig's Design and Landscaping Services", recovered, 1]
        )
      }))

    it.effect("changes without a connection do nothing", () =>
      Effect.gen(function*() {
        const store = yield* QuickBooksConnectionStore
        yield* store.disconnect
        yield* store.recordSync({ at: connectedAt, error: null })
        yield* store.setCompanyName("Nobody")
        yield* store.setCdcCursor(connectedAt)
        assert.isTrue(Option.isNone(yield* store.find))
        assert.isTrue(Option.isNone(yield* store.findForUpdate))
      }))

    it.effect("an OAuth state is taken once, before it expires; taking one clears the expired ones", () =>
      Effect.gen(function*() {
        const store = yield* QuickBooksConnectionStore
        const now = at("2026-07-02T10:00:00.000Z")
        const state = (minutes: number) => ({
          state: `st-${v7()}`,
          apiTokenId: v7(),
          expiresAt: DateTime.add(now, { minutes })
        })
        const live = state(10)
        const expired = state(-1)
        const exactlyNow = state(0)
        const other = state(10)
        for (const s of [live, expired, exactlyNow, other]) yield* store.saveState(s)
        assert.deepStrictEqual(yield* store.takeState(live.state, now), Option.some(live))
        assert.isTrue(Option.isNone(yield* store.takeState(live.state, now)))
        assert.isTrue(Option.isNone(yield* store.takeState(`st-${v7()}`, now)))
        // Expired (and at its expiry instant) answers nothing, and is gone even if the clock went back.
        assert.isTrue(Option.isNone(yield* store.takeState(exactlyNow.state, now)))
        assert.isTrue(Option.isNone(yield* store.takeState(expired.state, DateTime.add(now, { minutes: -30 }))))
        assert.deepStrictEqual(yield* store.takeState(other.state, now), Option.some(other))
      }))
  })
