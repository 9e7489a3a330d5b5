import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Context, DateTime, Effect, Layer } from "effect"
import { MessageRepository } from "../../../application/ports/message-repository.ts"
import { MemorySmsGatewayControl, TestApplication } from "../../../application/testing/index.ts"
import type { Contact } from "../../../domain/contact.ts"
import { makeInbound } from "../../support/port-suites/message-repository.ts"
import { httpHarness } from "../../support/http-harness.ts"

/** The app over in-memory ports, with the services a test inspects. */
const harness = Effect.gen(function*() {
  const context = yield* Layer.build(TestApplication)
  const http = yield* httpHarness(Layer.succeedContext(context))
  const contact = (yield* Effect.promise(() =>
    http.request("POST", "/api/contacts", { body: { firstName: "Ann", phone: "(415) 555-2671" } })
  )).body as { readonly id: Contact["id"] }
  return {
    ...http,
    contactId: contact.id,
    gateway: Context.get(context, MemorySmsGatewayControl),
    repo: Context.get(context, MessageRepository)
  }
})

beforeAll(() => Effect.runPromise(Effect.scoped(harness)))

interface MessageBody {
  readonly id: string
  readonly status: string
  readonly body: string
}
interface Page<A> {
  readonly data: ReadonlyArray<A>
  readonly nextCursor: string | null
}

describe("messages over HTTP (in-memory ports)", () => {
  it.effect("queues a text with 202, lists it newest first, and honours Idempotency-Key", () =>
    Effect.gen(function*() {
      const { contactId, request } = yield* harness
      const path = `/api/contacts/${contactId}/messages`
      const headers = { "idempotency-key": "send-1" }
      const first = yield* Effect.promise(() => request("POST", path, { body: { body: "Hello Ann" }, headers }))
      assert.strictEqual(first.status, 202)
      const message = first.body as MessageBody
      assert.deepInclude(first.body as object, { status: "queued", body: "Hello Ann", contactNumber: "+14155552671", segments: 1 })
      // A retry with the same key answers the first response and queues nothing more.
      const again = yield* Effect.promise(() => request("POST", path, { body: { body: "Hello Ann" }, headers }))
      assert.strictEqual(again.status, 202)
      assert.strictEqual((again.body as MessageBody).id, message.id)
      yield* Effect.promise(() => request("POST", path, { body: { body: "Second" } }))
      yield* Effect.promise(() => request("POST", path, { body: { body: "Third" } }))

      const page1 = yield* Effect.promise(() => request("GET", `${path}?limit=2`))
      const body1 = page1.body as Page<MessageBody>
      assert.deepStrictEqual(body1.data.map((m) => m.body), ["Third", "Second"])
      assert.isString(body1.nextCursor)
      const page2 = (yield* Effect.promise(() => request("GET", `${path}?limit=2&cursor=${body1.nextCursor}`))).body as Page<MessageBody>
      assert.deepStrictEqual(page2.data.map((m) => m.body), ["Hello Ann"])
      assert.isNull(page2.nextCursor)
    }))

  it.effect("answers 409 opted-out and sends nothing to an opted-out number", () =>
    Effect.gen(function*() {
      const { contactId, gateway, request } = yield* harness
      yield* Effect.promise(() => request("POST", `/api/contacts/${contactId}/opt-out`))
      const refused = yield* Effect.promise(() => request("POST", `/api/contacts/${contactId}/messages`, { body: { body: "Hi" } }))
      assert.strictEqual(refused.status, 409)
      assert.deepInclude(refused.body as object, { type: "/problems/opted-out", contactId })
      const listed = (yield* Effect.promise(() => request("GET", `/api/contacts/${contactId}/messages`))).body as Page<MessageBody>
      assert.deepStrictEqual(listed.data, [])
      assert.strictEqual(yield* gateway.attempts, 0)
    }))

  it.effect("answers 422 for an empty or too long text, and 404 for an unknown contact", () =>
    Effect.gen(function*() {
      const { contactId, request } = yield* harness
      const path = `/api/contacts/${contactId}/messages`
      for (const body of [{ body: " " }, { body: "x".repeat(1601) }, {}]) {
        const response = yield* Effect.promise(() => request("POST", path, { body }))
        assert.strictEqual(response.status, 422)
        assert.deepStrictEqual((response.body as { errors: ReadonlyArray<{ path: string }> }).errors.map((e) => e.path), ["body"])
      }
      const unknown = "00000000-0000-7000-8000-00000000ffff"
      const missing = yield* Effect.promise(() => request("POST", `/api/contacts/${unknown}/messages`, { body: { body: "Hi" } }))
      assert.strictEqual(missing.status, 404)
      assert.strictEqual((yield* Effect.promise(() => request("GET", `/api/contacts/${unknown}/messages`))).status, 404)
      assert.strictEqual((yield* Effect.promise(() => request("POST", `/api/contacts/${unknown}/messages/read`))).status, 404)
    }))

  it.effect("answers 409 conflict for a contact without a phone and for a merged contact", () =>
    Effect.gen(function*() {
      const { contactId, request } = yield* harness
      const create = (body: object) => Effect.promise(() => request("POST", "/api/contacts", { body }))
      const noPhone = (yield* create({ firstName: "Nophone" })).body as { id: string }
      const refused = yield* Effect.promise(() => request("POST", `/api/contacts/${noPhone.id}/messages`, { body: { body: "Hi" } }))
      assert.strictEqual(refused.status, 409)
      assert.deepInclude(refused.body as object, { type: "/problems/conflict", contactId: noPhone.id })
      const other = (yield* create({ firstName: "Annie", phone: "(415) 555-2672" })).body as { id: string }
      yield* Effect.promise(() => request("POST", `/api/contacts/${contactId}/merge`, { body: { secondaryId: other.id } }))
      const merged = yield* Effect.promise(() => request("POST", `/api/contacts/${other.id}/messages`, { body: { body: "Hi" } }))
      assert.strictEqual(merged.status, 409)
      assert.deepInclude(merged.body as object, { type: "/problems/conflict" })
    }))

  it.effect("lists conversations with unread counts and marks a contact's texts read", () =>
    Effect.gen(function*() {
      const { contactId, repo, request } = yield* harness
      const now = yield* DateTime.now
      const contact = { id: contactId, phone: "+14155552671" }
      for (const seconds of [1, 2]) {
        const at = DateTime.addDuration(now, `${seconds} seconds`)
        yield* repo.insert(makeInbound(null, { contactId: contact.id, contactNumber: contact.phone, createdAt: at, updatedAt: at }))
      }
      const list = () => Effect.promise(() => request("GET", "/api/conversations"))
      const before = (yield* list()).body as Page<{ contact: { id: string }; unreadCount: number; latestMessage: MessageBody }>
      assert.deepStrictEqual(before.data.map((c) => [c.contact.id, c.unreadCount]), [[contactId, 2]])
      const marked = yield* Effect.promise(() => request("POST", `/api/contacts/${contactId}/messages/read`))
      assert.deepStrictEqual(marked.body, { marked: 2 })
      const after = (yield* list()).body as Page<{ unreadCount: number }>
      assert.deepStrictEqual(after.data.map((c) => c.unreadCount), [0])
    }))
})
