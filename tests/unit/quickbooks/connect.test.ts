import { assert, describe, it } from "@effect/vitest"
import { DateTime, Duration, Effect, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { QuickBooksConnect } from "../../../application/accounting/connect.ts"
import { AccountingMappings } from "../../../application/ports/accounting-mappings.ts"
import { QuickBooksConnectionStore } from "../../../application/ports/quickbooks-connection-store.ts"
import {
  MEMORY_QBO_COMPANY as COMPANY,
  MEMORY_QBO_REALM as REALM,
  MemoryAccountingGatewayControl,
  MemoryQuickBooksOAuthControl,
  TestApplication
} from "../../../application/testing/index.ts"
import { approve, QuickBooksTestApplication } from "../../support/quickbooks-test-application.ts"

const TOKEN_ID = "0190a0a0-0000-7000-8000-000000000001"

/** start, then the state out of the authorize URL (as Intuit echoes it back). */
const begin = Effect.gen(function*() {
  const connect = yield* QuickBooksConnect
  const request = yield* connect.start(TOKEN_ID)
  const state = new URL(request.authorizeUrl).searchParams.get("state") ?? ""
  return { request, state }
})

describe("QuickBooksConnect", () => {
  it.effect("connects: a one-use state bound to the token, the code exchanged, tokens and company stored", () =>
    Effect.gen(function*() {
      const connect = yield* QuickBooksConnect
      const store = yield* QuickBooksConnectionStore
      const { request, state } = yield* begin
      assert.isTrue(state.length > 0)
      assert.include(request.authorizeUrl, "scope=com.intuit.quickbooks.accounting")
      const now = yield* DateTime.now
      assert.strictEqual(DateTime.toEpochMillis(request.expiresAt) - DateTime.toEpochMillis(now), Duration.toMillis(Duration.minutes(10)))

      const code = yield* approve
      const connected = yield* connect.complete({ code, state, realmId: REALM })
      assert.deepStrictEqual(connected, { realmId: REALM, companyName: COMPANY })
      const stored = Option.getOrThrow(yield* store.find)
      assert.deepInclude(stored, { realmId: REALM, companyName: COMPANY, version: 1 })
      assert.strictEqual(Redacted.value(stored.refreshToken), "refresh-1")
      assert.strictEqual(DateTime.toEpochMillis(stored.accessTokenExpiresAt) - DateTime.toEpochMillis(now), Duration.toMillis(Duration.hours(1)))

      // The state is used up: the same redirect again connects nothing.
      const again = yield* Effect.flip(connect.complete({ code, state, realmId: REALM }))
      assert.deepInclude(again, { reason: "unknown-state" })

      const status = yield* connect.status
      assert.deepInclude(status, { enabled: true, connected: true, environment: "sandbox", realmId: REALM, companyName: COMPANY })
      assert.deepStrictEqual(status.mapped, { customers: 0, services: 0, invoices: 0, payments: 0 })
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("refuses a state older than 10 minutes, an unknown one, a refused code and a cancelled sign-in", () =>
    Effect.gen(function*() {
      const connect = yield* QuickBooksConnect
      const store = yield* QuickBooksConnectionStore
      const late = yield* begin
      yield* TestClock.adjust(Duration.minutes(10))
      const expired = yield* Effect.flip(connect.complete({ code: yield* approve, state: late.state, realmId: REALM }))
      const unknown = yield* Effect.flip(connect.complete({ code: yield* approve, state: "forged", realmId: REALM }))
      const badCode = yield* Effect.flip(connect.complete({ code: "used-code", state: (yield* begin).state, realmId: REALM }))
      const missing = yield* Effect.flip(connect.complete({ state: (yield* begin).state }))
      const cancelled = yield* Effect.flip(connect.complete({ error: "access_denied", state: (yield* begin).state }))
      assert.deepStrictEqual(
        [expired, unknown, badCode, missing, cancelled].map((e) => (e._tag === "OAuthCallbackRefused" ? e.reason : e._tag)),
        ["unknown-state", "unknown-state", "code-refused", "invalid-request", "cancelled"]
      )
      assert.isTrue(Option.isNone(yield* store.find))
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("forgets the mappings when it connects to another company, keeps them when it reconnects to the same", () =>
    Effect.gen(function*() {
      const connect = yield* QuickBooksConnect
      const mappings = yield* AccountingMappings
      const now = yield* DateTime.now
      const mapped = { kind: "customer", crmId: TOKEN_ID, qboId: "58", syncToken: "0", pushedHash: null, origin: "pushed", updatedAt: now } as const
      yield* connect.complete({ code: yield* approve, state: (yield* begin).state, realmId: REALM })
      yield* mappings.save(mapped)
      yield* connect.complete({ code: yield* approve, state: (yield* begin).state, realmId: REALM })
      assert.strictEqual(yield* mappings.count("customer"), 1)
      yield* connect.complete({ code: yield* approve, state: (yield* begin).state, realmId: "9341452" })
      assert.strictEqual(yield* mappings.count("customer"), 0)
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("connects without the company name when QuickBooks does not answer for it", () =>
    Effect.gen(function*() {
      yield* (yield* MemoryAccountingGatewayControl).fail({ op: "companyName", reason: "network" })
      const connect = yield* QuickBooksConnect
      const connected = yield* connect.complete({ code: yield* approve, state: (yield* begin).state, realmId: REALM })
      assert.deepStrictEqual(connected, { realmId: REALM, companyName: null })
      assert.isTrue((yield* connect.status).connected)
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("disconnects: revokes the refresh token and forgets, even when Intuit does not answer", () =>
    Effect.gen(function*() {
      const oauth = yield* MemoryQuickBooksOAuthControl
      const connect = yield* QuickBooksConnect
      yield* connect.complete({ code: yield* approve, state: (yield* begin).state, realmId: REALM })
      yield* connect.disconnect
      assert.deepStrictEqual(yield* oauth.revoked, ["refresh-1"])
      assert.isFalse((yield* connect.status).connected)

      yield* connect.complete({ code: yield* approve, state: (yield* begin).state, realmId: REALM })
      yield* oauth.fail({ op: "revoke", reason: "network" })
      yield* connect.disconnect
      assert.isFalse((yield* connect.status).connected)
      // Nothing connected: disconnecting again is a no-op.
      yield* connect.disconnect
    }).pipe(Effect.provide(QuickBooksTestApplication)))

  it.effect("when not configured: status says so, connecting and disconnecting refuse", () =>
    Effect.gen(function*() {
      const connect = yield* QuickBooksConnect
      const status = yield* connect.status
      assert.deepInclude(status, { enabled: false, connected: false, environment: null, realmId: null })
      const refusals = [
        yield* Effect.flip(connect.start(TOKEN_ID)),
        yield* Effect.flip(connect.complete({ code: "any", state: "s", realmId: REALM })),
        yield* Effect.flip(connect.disconnect)
      ]
      assert.deepStrictEqual(refusals.map((e) => e._tag), ["QuickBooksNotConfigured", "QuickBooksNotConfigured", "QuickBooksNotConfigured"])
    }).pipe(Effect.provide(TestApplication)))
})
