import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

const setup = Effect.gen(function*() {
  const { request } = yield* httpHarness(TestApplication)
  const count = (body: unknown, options: { readonly token?: string | null } = {}) =>
    Effect.promise(() => request("POST", "/api/sms/segments", { body, ...options }))
  return { count }
})

// The first harness pays for building the OpenAPI document and its validators, once per worker.
beforeAll(() => Effect.runPromise(Effect.scoped(setup)))

// Responses are checked against /openapi.json by the harness's contract client.
describe("POST /api/sms/segments", () => {
  it.effect("counts a GSM-7 text, with the one-segment size", () =>
    Effect.gen(function*() {
      const { count } = yield* setup
      const response = yield* count({ text: "Hi Ann, we can seal the crack on Tue at 9am. Reply STOP to opt out." })
      assert.strictEqual(response.status, 200)
      assert.deepStrictEqual(response.body, {
        encoding: "GSM-7",
        segments: 1,
        units: 67,
        unitsPerSegment: 160,
        nonGsmCharacters: []
      })
    }).pipe(Effect.scoped))

  it.effect("names the characters that forced UCS-2, and the per-part size once split", () =>
    Effect.gen(function*() {
      const { count } = yield* setup
      const text = `It’s done 👍 ${"a".repeat(60)}`
      const response = yield* count({ text })
      assert.strictEqual(response.status, 200)
      assert.deepStrictEqual(response.body, {
        encoding: "UCS-2",
        segments: 2,
        units: 73,
        unitsPerSegment: 67,
        nonGsmCharacters: ["’", "👍"]
      })
    }).pipe(Effect.scoped))

  it.effect("counts an empty text as none, and reports a text over 10 segments rather than refusing to count it", () =>
    Effect.gen(function*() {
      const { count } = yield* setup
      assert.deepStrictEqual((yield* count({ text: "" })).body, {
        encoding: "GSM-7",
        segments: 0,
        units: 0,
        unitsPerSegment: 160,
        nonGsmCharacters: []
      })
      const long = yield* count({ text: "a".repeat(1531) })
      assert.strictEqual(long.status, 200)
      assert.strictEqual((long.body as { segments: number }).segments, 11)
    }).pipe(Effect.scoped))

  it.effect("answers 422 for a missing or non-string text or an unknown field, and 401 without a token", () =>
    Effect.gen(function*() {
      const { count } = yield* setup
      for (const body of [{}, { text: 12 }, { text: "hi", extra: true }, { text: "a".repeat(10_001) }]) {
        const response = yield* count(body)
        assert.strictEqual(response.status, 422, JSON.stringify(body).slice(0, 40))
      }
      assert.strictEqual((yield* count({ text: "hi" }, { token: null })).status, 401)
    }).pipe(Effect.scoped))
})
