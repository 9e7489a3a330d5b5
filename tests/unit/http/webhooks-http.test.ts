import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, References, Result } from "effect"
import { makeHttpApp } from "../../../adapters/http/app.ts"
import { httpRuntime } from "../../../adapters/http/http-runtime.ts"
import { OpenPhoneWebhookVerifier, webhookVerifier } from "../../../adapters/openphone/webhook-verifier.ts"
import { webhookKey } from "../../../adapters/openphone/webhook-signature.ts"
import { ApiTokens } from "../../../application/auth/api-tokens.ts"
import { FIRST_RUN, WebhookWorkflow } from "../../../application/messaging/webhook-workflow.ts"
import { ContactRepository } from "../../../application/ports/contact-repository.ts"
import { MessageRepository } from "../../../application/ports/message-repository.ts"
import { WebhookEventStore } from "../../../application/ports/webhook-event-store.ts"
import { TestApplication } from "../../../application/testing/index.ts"
import { contractClient } from "../../support/contract.ts"
import { ADMIN_SECRET } from "../../support/http-harness.ts"
import { CUSTOMER, messageEvent } from "../../support/webhook-events.ts"
import { legacySignature, standardHeaders, WEBHOOK_KEY_BASE64 } from "../../support/webhook-signing.ts"

const key = Result.getOrThrow(webhookKey(Redacted.make(WEBHOOK_KEY_BASE64)))

/** The app over the in-memory application, verifying with the test key; the context lets a test look at the stores. */
const harness = (verifier = Layer.succeed(OpenPhoneWebhookVerifier, webhookVerifier(key))) =>
  Effect.gen(function*() {
    const quiet = Layer.succeed(References.MinimumLogLevel, "Error")
    const context = yield* Layer.build(Layer.mergeAll(TestApplication, verifier, quiet))
    const app = makeHttpApp(httpRuntime(context))
    yield* ApiTokens.use((tokens) => tokens.bootstrap(Option.some(Redacted.make(ADMIN_SECRET)))).pipe(Effect.provideContext(context))
    const client = yield* Effect.promise(() => contractClient(app, { token: ADMIN_SECRET }))
    const post = (body: string, headers: Record<string, string>) =>
      Effect.promise(() => client.request("POST", "/webhooks/openphone", { body, token: null, headers }))
    const run = <A, E, R extends Layer.Success<typeof TestApplication>>(effect: Effect.Effect<A, E, R>) =>
      Effect.provideContext(effect, context)
    const get = (url: string) => Effect.promise(() => client.request("GET", url))
    return { get, post, run }
  })

// One-off work (the OpenAPI document, the contract validator, loading the
// phone metadata and the engine) is done once per file, not in the first test.
beforeAll(() =>
  Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const { post, run } = yield* harness()
    const payload = body("EV0")
    yield* post(payload, { "openphone-signature": legacySignature(payload, Date.now()) })
    yield* run(WebhookWorkflow.execute({ eventId: "EV0", run: FIRST_RUN }))
  }))))

const storedEvents = (id: string) => WebhookEventStore.use((store) => store.find(id))
const body = (eventId: string, text?: string) =>
  JSON.stringify(messageEvent("message.received", { eventId, messageId: `AC-${eventId}`, ...(text === undefined ? {} : { text }) }))

describe("POST /webhooks/openphone", () => {
  it.live("stores a signed event and answers fast; the same event again is a duplicate", () =>
    Effect.gen(function*() {
      const { get, post, run } = yield* harness()
      const payload = body("EV100")
      const headers = { "openphone-signature": legacySignature(payload, Date.now()) }
      const first = yield* post(payload, headers)
      assert.strictEqual(first.status, 200)
      assert.deepStrictEqual(first.body, { eventId: "EV100", status: "accepted" })
      const again = yield* post(payload, headers)
      assert.deepStrictEqual([again.status, again.body], [200, { eventId: "EV100", status: "duplicate" }])
      // Processed on the engine: the text ends on a lead for the number.
      assert.strictEqual(yield* run(WebhookWorkflow.execute({ eventId: "EV100", run: FIRST_RUN })), "Processed")
      const [lead] = yield* run(ContactRepository.use((repo) => repo.list({ phone: CUSTOMER, limit: 5 })))
      const messages = yield* run(MessageRepository.use((repo) => repo.listByContact(lead!.id, { after: undefined, limit: 5 })))
      assert.deepStrictEqual(messages.map((m) => m.providerId), ["AC-EV100"])
      // The API shows where the lead came from.
      const shown = yield* get(`/api/contacts/${lead!.id}`)
      assert.deepInclude(shown.body as object, { source: "openphone", tags: ["lead"], phone: CUSTOMER })
    }))

  it.live("accepts the Standard Webhooks headers too", () =>
    Effect.gen(function*() {
      const { post } = yield* harness()
      const payload = body("EV101")
      const response = yield* post(payload, standardHeaders(payload, "msg_1", Date.now()))
      assert.deepStrictEqual([response.status, response.body], [200, { eventId: "EV101", status: "accepted" }])
    }))

  it.live("refuses a missing, malformed or wrong signature with 401 and stores nothing", () =>
    Effect.gen(function*() {
      const { post, run } = yield* harness()
      const payload = body("EV102")
      const now = Date.now()
      const tampered = body("EV102", "STOP")
      const otherKey = Buffer.from("another key entirely").toString("base64")
      const cases: ReadonlyArray<Record<string, string>> = [
        {},
        { "openphone-signature": "hmac;1;nope" },
        { "openphone-signature": legacySignature(tampered, now) },
        { "openphone-signature": legacySignature(payload, now, otherKey) },
        { "webhook-id": "msg_2", "webhook-timestamp": String(Math.floor(now / 1000)) },
        standardHeaders(tampered, "msg_2", now)
      ]
      for (const headers of cases) {
        const response = yield* post(payload, headers)
        assert.strictEqual(response.status, 401, JSON.stringify(headers))
        assert.deepInclude(response.body as object, { type: "/problems/invalid-signature" })
      }
      assert.isTrue(Option.isNone(yield* run(storedEvents("EV102"))))
    }))

  it.live("refuses a timestamp more than 5 minutes old or ahead, however well signed", () =>
    Effect.gen(function*() {
      const { post, run } = yield* harness()
      const payload = body("EV103")
      const sixMinutes = 6 * 60 * 1000
      for (const at of [Date.now() - sixMinutes, Date.now() + sixMinutes]) {
        assert.strictEqual((yield* post(payload, { "openphone-signature": legacySignature(payload, at) })).status, 401)
        assert.strictEqual((yield* post(payload, standardHeaders(payload, "msg_3", at))).status, 401)
      }
      assert.isTrue(Option.isNone(yield* run(storedEvents("EV103"))))
    }))

  it.live("answers a well-signed body that is not an event with 400, and stores nothing", () =>
    Effect.gen(function*() {
      const { post, run } = yield* harness()
      const unstorable = [body("EV104", "a\u0000b"), body("EV104", "\ud800")]
      for (const payload of ["not json", "[]", JSON.stringify({ id: "EV104", type: "message.received", data: { object: {} } }), ...unstorable]) {
        const response = yield* post(payload, { "openphone-signature": legacySignature(payload, Date.now()) })
        assert.strictEqual(response.status, 400, payload)
        assert.deepInclude(response.body as object, { type: "/problems/malformed-request" })
      }
      assert.isTrue(Option.isNone(yield* run(storedEvents("EV104"))))
    }))

  it.live("refuses a body over 1 MiB before reading it whole", () =>
    Effect.gen(function*() {
      const { post } = yield* harness()
      const payload = body("EV106", "x".repeat(1024 * 1024))
      const response = yield* post(payload, { "openphone-signature": legacySignature(payload, Date.now()) })
      assert.strictEqual(response.status, 413)
    }))

  it.live("refuses every webhook when no key is configured", () =>
    Effect.gen(function*() {
      const { post } = yield* harness(Layer.empty)
      const payload = body("EV105")
      const response = yield* post(payload, { "openphone-signature": legacySignature(payload, Date.now()) })
      assert.strictEqual(response.status, 401)
    }))
})
