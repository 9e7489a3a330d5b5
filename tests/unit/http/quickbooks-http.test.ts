import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Option, Redacted, References } from "effect"
import { makeHttpApp } from "../../../adapters/http/app.ts"
import { httpRuntime } from "../../../adapters/http/http-runtime.ts"
import type { HttpServices } from "../../../adapters/http/route.ts"
import { intuitSignature, quickBooksWebhookVerifier, QuickBooksWebhookVerifier } from "../../../adapters/quickbooks/webhook-signature.ts"
import { QuickBooksSync } from "../../../application/accounting/quickbooks-sync.ts"
import { ApiTokens } from "../../../application/auth/api-tokens.ts"
import {
  MEMORY_QBO_COMPANY as COMPANY,
  MEMORY_QBO_REALM as REALM,
  MemoryQuickBooksOAuthControl,
  TestApplication
} from "../../../application/testing/index.ts"
import { contractClient } from "../../support/contract.ts"
import { ADMIN_SECRET } from "../../support/http-harness.ts"
import { QuickBooksTestApplication } from "../../support/quickbooks-test-application.ts"

const VERIFIER = Redacted.make("test-verifier-token")

/** The app over an application (QuickBooks on in memory, or the off default), verifying webhooks with VERIFIER. */
const harness = <E>(application: Layer.Layer<HttpServices, E>) =>
  Effect.gen(function*() {
    const quiet = Layer.succeed(References.MinimumLogLevel, "Error")
    const verifier = Layer.succeed(QuickBooksWebhookVerifier, quickBooksWebhookVerifier(VERIFIER))
    const context = yield* Layer.build(Layer.mergeAll(application, verifier, quiet))
    yield* ApiTokens.use((tokens) => tokens.bootstrap(Option.some(Redacted.make(ADMIN_SECRET)))).pipe(Effect.provideContext(context))
    const app = makeHttpApp(httpRuntime(context))
    const client = yield* Effect.promise(() => contractClient(app, { token: ADMIN_SECRET }))
    /** The browser's visit to the callback: HTML, so not through the JSON contract client. */
    const visit = (query: string) =>
      Effect.promise(async () => {
        const response = await app.request(`/integrations/quickbooks/callback?${query}`)
        return { status: response.status, type: response.headers.get("content-type"), html: await response.text() }
      })
    const request = (method: string, url: string, options: Parameters<typeof client.request>[2] = {}) =>
      Effect.promise(() => client.request(method, url, options))
    /** The user allowing access at Intuit (QuickBooks in memory): a one-use code. */
    const approve = Option.match(Context.getOption(context, MemoryQuickBooksOAuthControl), {
      onNone: () => Effect.succeed("no-consent-page"),
      onSome: (oauth) => oauth.approve()
    })
    return { request, visit, approve }
  })

// QuickBooksSync (the push side's routes) is part of the app the routes run in.
const QuickBooksOn = Layer.provideMerge(QuickBooksSync.layer, QuickBooksTestApplication)
const Off = Layer.provideMerge(QuickBooksSync.layer, TestApplication)

// One-off work (the OpenAPI document, the contract validator) is done once per file, not in the first test.
beforeAll(() => Effect.runPromise(Effect.scoped(harness(Off))))

const webhook = (id: string) =>
  JSON.stringify({
    eventNotifications: [{
      realmId: REALM,
      dataChangeEvent: { entities: [{ name: "Payment", id, operation: "Create", lastUpdated: "2026-11-20T18:00:00.000Z" }] }
    }]
  })

describe("QuickBooks connection routes", () => {
  it.live("connect, callback page, status and disconnect", () =>
    Effect.gen(function*() {
      const { approve, request, visit } = yield* harness(QuickBooksOn)
      const before = yield* request("GET", "/api/integrations/quickbooks")
      assert.deepInclude(before.body as object, { enabled: true, connected: false, environment: "sandbox" })

      const started = yield* request("GET", "/api/integrations/quickbooks/connect")
      assert.strictEqual(started.status, 200)
      const { authorizeUrl } = started.body as { authorizeUrl: string }
      const state = new URL(authorizeUrl).searchParams.get("state") ?? ""

      const code = yield* approve
      const page = yield* visit(`code=${code}&state=${encodeURIComponent(state)}&realmId=${REALM}`)
      assert.deepInclude(page, { status: 200, type: "text/html; charset=utf-8" })
      assert.include(page.html, `Connected to ${COMPANY}`)
      const reused = yield* visit(`code=${code}&state=${encodeURIComponent(state)}&realmId=${REALM}`)
      assert.strictEqual(reused.status, 400)
      assert.include(reused.html, "used already")
      const cancelled = yield* visit("error=access_denied&state=whatever")
      assert.deepInclude(cancelled, { status: 200 })
      assert.include(cancelled.html, "cancelled")
      // Text from the query never reaches the page unescaped.
      const hostile = yield* visit(`error=${encodeURIComponent("<script>x</script>")}`)
      assert.notInclude(hostile.html, "<script>")

      const status = yield* request("GET", "/api/integrations/quickbooks")
      assert.deepInclude(status.body as object, { connected: true, realmId: REALM, companyName: COMPANY })
      assert.notInclude(JSON.stringify(status.body), "refresh-1")

      assert.strictEqual((yield* request("DELETE", "/api/integrations/quickbooks")).status, 204)
      assert.deepInclude((yield* request("GET", "/api/integrations/quickbooks")).body as object, { connected: false })
    }))

  it.live("not configured: status says enabled false, connect and disconnect answer 409", () =>
    Effect.gen(function*() {
      const { request, visit } = yield* harness(Off)
      assert.deepInclude((yield* request("GET", "/api/integrations/quickbooks")).body as object, { enabled: false, connected: false })
      for (const [method, url] of [["GET", "/api/integrations/quickbooks/connect"], ["DELETE", "/api/integrations/quickbooks"]] as const) {
        const response = yield* request(method, url)
        assert.strictEqual(response.status, 409)
        assert.deepInclude(response.body as object, { type: "/problems/quickbooks-not-configured" })
      }
      assert.strictEqual((yield* visit("code=a&state=b&realmId=c")).status, 409)
    }))
})

describe("POST /webhooks/quickbooks", () => {
  it.live("stores a signed notification once and answers 200; a redelivery is a duplicate", () =>
    Effect.gen(function*() {
      const { request } = yield* harness(QuickBooksOn)
      const body = webhook("145")
      const headers = { "intuit-signature": intuitSignature(VERIFIER, body) }
      const first = yield* request("POST", "/webhooks/quickbooks", { body, token: null, headers })
      assert.deepStrictEqual([first.status, first.body], [200, { notifications: 1, accepted: 1, duplicates: 0 }])
      const again = yield* request("POST", "/webhooks/quickbooks", { body, token: null, headers })
      assert.deepStrictEqual([again.status, again.body], [200, { notifications: 1, accepted: 0, duplicates: 1 }])
    }))

  it.live("takes Intuit's CloudEvents form too", () =>
    Effect.gen(function*() {
      const { request } = yield* harness(QuickBooksOn)
      const body = JSON.stringify([{
        specversion: "1.0",
        id: "9c1e5f3a-0000-4000-8000-000000000001",
        source: "intuit.com",
        type: "qbo.payment.created.v1",
        datacontenttype: "application/json",
        time: "2026-11-20T18:00:00.000Z",
        intuitentityid: "145",
        intuitaccountid: REALM,
        data: {}
      }])
      const response = yield* request("POST", "/webhooks/quickbooks", {
        body,
        token: null,
        headers: { "intuit-signature": intuitSignature(VERIFIER, body) }
      })
      assert.deepStrictEqual([response.status, response.body], [200, { notifications: 1, accepted: 1, duplicates: 0 }])
    }))

  it.live("refuses a missing or wrong signature with 401, and a signed non-webhook body with 400", () =>
    Effect.gen(function*() {
      const { request } = yield* harness(QuickBooksOn)
      const body = webhook("146")
      for (const headers of [{}, { "intuit-signature": intuitSignature(Redacted.make("other"), body) }]) {
        const response = yield* request("POST", "/webhooks/quickbooks", { body, token: null, headers })
        assert.deepStrictEqual([response.status, (response.body as { type: string }).type], [401, "/problems/invalid-signature"])
      }
      for (const bad of ["not json", JSON.stringify({ hello: "world" })]) {
        const response = yield* request("POST", "/webhooks/quickbooks", {
          body: bad,
          token: null,
          headers: { "intuit-signature": intuitSignature(VERIFIER, bad) }
        })
        assert.strictEqual(response.status, 400, bad)
      }
    }))
})
