import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { OptOuts } from "../../../application/messaging/opt-outs.ts"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

interface StatusJson {
  readonly contactId: string
  readonly optedOut: boolean
  readonly phones: ReadonlyArray<{ readonly phone: string; readonly optedOut: boolean }>
  readonly history: ReadonlyArray<{ readonly action: string; readonly source: string; readonly keyword: string | null }>
}

const setup = Effect.gen(function*() {
  // One application for the HTTP app and for calls the webhook would make.
  const application = yield* Layer.build(TestApplication)
  const { request } = yield* httpHarness(Layer.succeedContext(application))
  const optOuts = (phone: string, text: string) =>
    OptOuts.use((o) => o.applyInboundKeyword(phone, text, null)).pipe(Effect.provideContext(application))
  const send = (method: "GET" | "POST", path: string, body?: unknown) =>
    Effect.promise(() => request(method, path, body === undefined ? {} : { body }))
  const contact = (fields: Record<string, string>) =>
    Effect.map(send("POST", "/api/contacts", fields), (r) => (r.body as { id: string }).id)
  return { send, contact, optOuts }
})

// The first harness pays for building the OpenAPI document and its validators, once per worker.
beforeAll(() => Effect.runPromise(Effect.scoped(setup)))

// Responses are checked against /openapi.json by the harness's contract client.
describe("opt-outs over HTTP (in-memory ports)", () => {
  it.effect("opts a contact out and in, and shows the status with the history", () =>
    Effect.gen(function*() {
      const { contact, send } = yield* setup
      const id = yield* contact({ firstName: "Ann", phone: "(303) 555-0111" })
      const before = yield* send("GET", `/api/contacts/${id}/opt-out`)
      assert.strictEqual(before.status, 200)
      assert.deepStrictEqual(before.body, {
        contactId: id,
        optedOut: false,
        phones: [{ phone: "+13035550111", contactId: id, optedOut: false }],
        history: []
      })

      const out = yield* send("POST", `/api/contacts/${id}/opt-out`)
      assert.strictEqual(out.status, 200)
      assert.isTrue((out.body as StatusJson).optedOut)
      const back = yield* send("POST", `/api/contacts/${id}/opt-in`)
      assert.isFalse((back.body as StatusJson).optedOut)
      const after = (yield* send("GET", `/api/contacts/${id}/opt-out`)).body as StatusJson
      assert.deepStrictEqual(after.history.map((e) => [e.action, e.source, e.keyword]), [["opt-out", "api", null], ["opt-in", "api", null]])
    }).pipe(Effect.scoped))

  it.effect("shows a keyword opt-out, and a merged contact as opted out when either number is", () =>
    Effect.gen(function*() {
      const { contact, optOuts, send } = yield* setup
      const primary = yield* contact({ firstName: "Bea", phone: "+1 303 555 0112" })
      const secondary = yield* contact({ firstName: "Beatrice", phone: "+1 303 555 0113" })
      // As the webhook does for an inbound "STOP".
      assert.strictEqual(yield* optOuts("+13035550113", "stop"), "opted-out")
      assert.strictEqual((yield* send("POST", `/api/contacts/${primary}/merge`, { secondaryId: secondary })).status, 200)
      const status = (yield* send("GET", `/api/contacts/${primary}/opt-out`)).body as StatusJson
      assert.isTrue(status.optedOut)
      assert.deepStrictEqual(status.phones.map((p) => [p.phone, p.optedOut]), [["+13035550112", false], ["+13035550113", true]])
      assert.deepStrictEqual(status.history.map((e) => [e.action, e.source, e.keyword]), [["opt-out", "keyword", "STOP"]])
    }).pipe(Effect.scoped))

  it.effect("answers 409 for a contact without a phone, 404 for an unknown contact or a bad id", () =>
    Effect.gen(function*() {
      const { contact, send } = yield* setup
      const id = yield* contact({ firstName: "Cy" })
      const noPhone = yield* send("POST", `/api/contacts/${id}/opt-out`)
      assert.strictEqual(noPhone.status, 409)
      assert.deepInclude(noPhone.body, { type: "/problems/conflict", contactId: id })
      assert.strictEqual((yield* send("POST", `/api/contacts/${id}/opt-in`)).status, 409)
      const unknown = "00000000-0000-7000-8000-0000000003e7"
      assert.strictEqual((yield* send("POST", `/api/contacts/${unknown}/opt-out`)).status, 404)
      assert.strictEqual((yield* send("GET", `/api/contacts/${unknown}/opt-out`)).status, 404)
      assert.strictEqual((yield* send("GET", "/api/contacts/not-a-uuid/opt-out")).status, 404)
    }).pipe(Effect.scoped))
})
