import { assert, layer } from "@effect/vitest"
import { DateTime, Duration, Effect, Layer, Redacted, Ref } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import type { SqlClient } from "effect/sql"
import { AccessTokens } from "../../application/accounting/access-tokens.ts"
import { AccountingError } from "../../application/ports/accounting-gateway.ts"
import { makeQuickBooksOAuth } from "../../adapters/quickbooks/oauth-client.ts"
import type { QuickBooksConfig } from "../../adapters/quickbooks/quickbooks-config.ts"
import { makeQuickBooksGateway } from "../../adapters/quickbooks/quickbooks-gateway.ts"
import { SqlRateLimiter } from "../../adapters/sql/sql-rate-limiter-store.ts"
import { type FakeQuickBooks, fakeQuickBooks } from "../support/fake-quickbooks.ts"
import { testQuickBooksConfig } from "../support/quickbooks-test-config.ts"
import { testDatabase } from "../support/test-database.ts"

// The live adapter over real sockets to the fake QuickBooks, with the realm
// limits kept in PostgreSQL as in the application. AccessTokens here holds the
// token pair in memory and refreshes through the live OAuth client: the
// stored, locked refresh is the connection store's, tested with it.

const configFor = (fake: FakeQuickBooks, overrides: Partial<QuickBooksConfig> = {}) =>
  testQuickBooksConfig(fake.apiUrl, {
    clientId: fake.clientId,
    clientSecret: Redacted.make(fake.clientSecret),
    requestTimeout: Duration.seconds(5),
    retryBase: Duration.millis(20),
    throttleWait: Duration.millis(200),
    requestsPerMinute: 60_000,
    ...overrides
  })

/** Tokens from a finished connect, refreshed at Intuit's (the fake's) token endpoint after a 401. */
const tokensFor = (fake: FakeQuickBooks, config: QuickBooksConfig) =>
  Effect.gen(function*() {
    const oauth = yield* makeQuickBooksOAuth(config)
    const connected = fake.connect()
    const pair = yield* Ref.make({ access: connected.accessToken, refresh: connected.refreshToken })
    const access = Effect.map(Ref.get(pair), (p) => ({ realmId: fake.realmId, accessToken: Redacted.make(p.access) }))
    return AccessTokens.of({
      current: access,
      afterRejection: () =>
        Effect.gen(function*() {
          const grant = yield* oauth.refresh(Redacted.make((yield* Ref.get(pair)).refresh)).pipe(
            Effect.mapError((e) => new AccountingError({ reason: "not-connected", status: e.status, code: null, element: null, message: e.message }))
          )
          yield* Ref.set(pair, { access: Redacted.value(grant.accessToken), refresh: Redacted.value(grant.refreshToken) })
          return yield* access
        })
    })
  })

const gatewayFor = (fake: FakeQuickBooks, overrides: Partial<QuickBooksConfig> = {}) =>
  Effect.gen(function*() {
    const config = configFor(fake, overrides)
    const tokens = yield* tokensFor(fake, config)
    return yield* makeQuickBooksGateway(config).pipe(Effect.provideService(AccessTokens, tokens))
  })

const services: Layer.Layer<HttpClient.HttpClient | RateLimiter.RateLimiter | SqlClient.SqlClient> = Layer.mergeAll(
  FetchHttpClient.layer,
  SqlRateLimiter.pipe(Layer.provideMerge(testDatabase()))
)

const customer = (name: string) => ({ DisplayName: name, CompanyName: name, PrimaryEmailAddr: { Address: "ap@example.com" } })
const item = { Name: "Crack injection", Type: "Service", UnitPrice: 45.5, IncomeAccountRef: { value: "79" } }
const invoice = (customerId: string, itemId: string, docNumber: string) => ({
  DocNumber: docNumber,
  TxnDate: "2026-11-21",
  DueDate: "2026-12-21",
  CustomerRef: { value: customerId },
  Line: [{
    Amount: 91,
    DetailType: "SalesItemLineDetail",
    SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 2, UnitPrice: 45.5, TaxCodeRef: { value: "NON" } }
  }]
})

layer(services, { timeout: 60_000, excludeTestServices: true })("QuickBooks gateway against the fake QuickBooks, limits in PostgreSQL", (it) => {
  it.effect("creates, updates, reads, queries, voids and reads changes; nothing is created twice", () =>
    Effect.gen(function*() {
      const fake = yield* fakeQuickBooks()
      const qbo = yield* gatewayFor(fake)
      const since = DateTime.makeUnsafe(fake.now() - 60_000)
      const acme = yield* qbo.create("Customer", customer("Acme Foundations"), "customer-1-create")
      const service = yield* qbo.create("Item", item, "item-1-create")
      const issued = yield* qbo.create("Invoice", invoice(acme.id, service.id, "1042"), "invoice-1-create")
      assert.strictEqual(issued.body["TotalAmt"], 91)
      const paid = yield* qbo.create("Payment", {
        TotalAmt: 50,
        CustomerRef: { value: acme.id },
        Line: [{ Amount: 50, LinkedTxn: [{ TxnId: issued.id, TxnType: "Invoice" }] }]
      }, "payment-1-create")
      assert.strictEqual(paid.entity, "Payment")
      assert.strictEqual((yield* qbo.read("Invoice", issued.id)).body["Balance"], 41)
      const renamed = yield* qbo.update("Customer", { Id: acme.id, SyncToken: acme.syncToken, sparse: true, CompanyName: "Acme Foundations LLC" }, "customer-1-u1")
      assert.notStrictEqual(renamed.syncToken, acme.syncToken)
      const found = yield* qbo.query("Customer", "DisplayName = 'Acme Foundations'")
      assert.deepStrictEqual(found.map((c) => [c.id, c.body["CompanyName"]]), [[acme.id, "Acme Foundations LLC"]])
      const other = yield* qbo.create("Invoice", invoice(acme.id, service.id, "1043"), "invoice-2-create")
      const voided = yield* qbo.voidInvoice({ id: other.id, syncToken: other.syncToken }, "invoice-2-void")
      assert.strictEqual(voided.body["TotalAmt"], 0)
      const changes = yield* qbo.changedSince(["Customer", "Invoice", "Payment"], since)
      assert.includeMembers(changes.map((c) => `${c.entity} ${c.id}`), [`Customer ${acme.id}`, `Invoice ${issued.id}`, `Payment ${paid.id}`])
      assert.strictEqual(yield* qbo.companyName, "Attack-a-Crack Sandbox Co.")
      assert.deepStrictEqual(fake.createdTwice(), [])
      assert.deepStrictEqual(fake.counts(), { Customer: 1, Item: 1, Invoice: 2, Payment: 1 })
    }).pipe(Effect.scoped))

  it.effect("a create whose answer was lost is retried with its requestid: QuickBooks has it once", () =>
    Effect.gen(function*() {
      const fake = yield* fakeQuickBooks()
      const qbo = yield* gatewayFor(fake)
      fake.fail({ mode: { kind: "drop-after" }, path: "/customer", method: "POST" })
      const created = yield* qbo.create("Customer", customer("Dropped Answer Inc"), "customer-9-create")
      assert.strictEqual(fake.counts().Customer, 1)
      assert.strictEqual(fake.stats().replayed, 1)
      assert.strictEqual(fake.entities("Customer")[0]?.["Id" as never], created.id)
      assert.deepStrictEqual(fake.createdTwice(), [])
    }).pipe(Effect.scoped))

  it.effect("a 401 refreshes at the token endpoint once and the call goes through with the new token", () =>
    Effect.gen(function*() {
      const fake = yield* fakeQuickBooks()
      const qbo = yield* gatewayFor(fake)
      fake.expireAccessTokens()
      const created = yield* qbo.create("Customer", customer("After Refresh"), "customer-r-create")
      assert.strictEqual(created.body["DisplayName"], "After Refresh")
      assert.strictEqual(fake.tokenCounts().refreshes, 1)
      assert.deepStrictEqual(fake.apiRequests().map((r) => r.status), [401, 200])
    }).pipe(Effect.scoped))

  it.effect("a 429 in XML, a 500 and a Fault inside a 200 are waited out or retried; 6240 and 5010 are final", () =>
    Effect.gen(function*() {
      const fake = yield* fakeQuickBooks()
      const qbo = yield* gatewayFor(fake)
      fake.fail({ mode: { kind: "throttle" } })
      fake.fail({ mode: { kind: "server-error" } })
      const first = yield* qbo.create("Customer", customer("Throttled Co"), "customer-t-create")
      assert.deepStrictEqual(fake.apiRequests().map((r) => r.status), [429, 500, 200])
      const [throttled, retried] = fake.apiRequests()
      assert.isAtLeast((retried?.at ?? 0) - (throttled?.at ?? 0), 190, "waited the throttle out")
      fake.fail({ mode: { kind: "duplicate-name" } })
      const duplicate = yield* qbo.create("Customer", customer("Taken"), "customer-d-create").pipe(Effect.flip)
      assert.deepStrictEqual([duplicate.reason, duplicate.code], ["duplicate-name", "6240"])
      const stale = yield* qbo.update("Customer", { Id: first.id, SyncToken: "99", sparse: true, CompanyName: "x" }, "customer-t-u1").pipe(Effect.flip)
      assert.deepStrictEqual([stale.reason, stale.code], ["stale-object", "5010"])
      // A SystemFault inside a 200 is the provider's trouble: retried like a 500, and reported as one when it lasts.
      fake.fail({ mode: { kind: "fault-in-200" } })
      assert.strictEqual((yield* qbo.read("Customer", first.id)).id, first.id)
      fake.fail({ mode: { kind: "fault-in-200" }, times: 4 })
      const read = yield* qbo.read("Customer", first.id).pipe(Effect.flip)
      assert.deepStrictEqual([read.reason, read.status], ["provider-error", 200])
    }).pipe(Effect.scoped))

  it.effect("two gateways (two processes) on one realm share the PostgreSQL limit; each keeps to its concurrency", () =>
    Effect.gen(function*() {
      const fake = yield* fakeQuickBooks()
      // 600 a minute: one slot every 105 ms for the realm, whichever process asks.
      const overrides = { requestsPerMinute: 600, maxConcurrent: 3 }
      const [one, two] = [yield* gatewayFor(fake, overrides), yield* gatewayFor(fake, overrides)]
      const seed = yield* one.create("Customer", customer("Limits Co"), "customer-l-create")
      fake.fail({ mode: { kind: "slow", millis: 300 }, times: 6 })
      const started = Date.now()
      yield* Effect.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? one : two).read("Customer", seed.id)),
        { concurrency: "unbounded" }
      )
      const elapsed = Date.now() - started
      assert.isAtLeast(elapsed, 19 * 105 - 50, "20 reads took their slots one after another")
      const arrivals = fake.apiRequests().slice(1).map((r) => r.at).sort((a, b) => a - b)
      const mostInASecond = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 1000).length))
      // 10 a second at 600 a minute; one more is the fake's own arrival stamps, taken on this
      // process's busy event loop (the exact spacing is asserted under TestClock in the unit test).
      assert.isAtMost(mostInASecond, 11, "about 10 a second at 600 a minute")
      assert.isAtMost(fake.stats().maxInFlightByRealm[fake.realmId] ?? 0, 2 * 3)
    }).pipe(Effect.scoped))
})
