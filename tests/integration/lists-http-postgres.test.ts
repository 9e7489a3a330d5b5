import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { httpHarness } from "../support/http-harness.ts"
import { testDatabase } from "../support/test-database.ts"

interface Page {
  readonly data: ReadonlyArray<{ readonly id: string }>
  readonly nextCursor: string | null
}

// Lists over the real SQL adapters; every response is held to /openapi.json.
describe("contact lists on PostgreSQL", () => {
  it.effect("fills lists by id and by filter, and keeps a merged pair once through merge and undo", () =>
    Effect.gen(function*() {
      const { request } = yield* httpHarness(applicationLayer(testDatabase()))
      const send = (method: string, path: string, body?: unknown) =>
        Effect.promise(() => request(method, path, body === undefined ? {} : { body }))
      const create = (path: string, body: unknown) => Effect.map(send("POST", path, body), (r) => (r.body as { id: string }).id)
      const memberIds = (listId: string) => Effect.map(send("GET", `/api/lists/${listId}/members`), (r) => (r.body as Page).data.map((c) => c.id))

      const primary = yield* create("/api/contacts", { firstName: "Pat", phone: "303 555 0131", tags: ["roof"] })
      const secondary = yield* create("/api/contacts", { firstName: "Patricia", phone: "303 555 0132", tags: ["roof"] })
      const stopped = yield* create("/api/contacts", { firstName: "Stopped", phone: "303 555 0133", tags: ["roof"] })
      yield* create("/api/contacts", { firstName: "Other" })
      assert.strictEqual((yield* send("POST", `/api/contacts/${stopped}/opt-out`)).status, 200)

      const both = yield* create("/api/lists", { name: "Both" })
      const onlySecondary = yield* create("/api/lists", { name: "Only the secondary" })
      assert.strictEqual((yield* send("POST", "/api/lists", { name: "both" })).status, 409)
      const byFilter = yield* send("POST", `/api/lists/${both}/members`, { filter: { tag: "roof", hasPhone: true, notOptedOut: true } })
      assert.deepStrictEqual(byFilter.body, { added: 2, ignored: [] })
      const byId = yield* send("POST", `/api/lists/${onlySecondary}/members`, { contactIds: [secondary, secondary] })
      assert.deepStrictEqual(byId.body, { added: 1, ignored: [] })
      assert.deepStrictEqual(yield* memberIds(both), [primary, secondary])

      // Both contacts are members of one list: the merge still succeeds, and the list shows the primary once.
      const merged = yield* send("POST", `/api/contacts/${primary}/merge`, { secondaryId: secondary })
      assert.strictEqual(merged.status, 200, JSON.stringify(merged.body))
      assert.deepStrictEqual(yield* memberIds(both), [primary])
      assert.deepStrictEqual(yield* memberIds(onlySecondary), [primary])
      assert.deepInclude((yield* send("GET", `/api/lists/${both}`)).body, { memberCount: 1 })
      // The merged secondary's number, opted out, keeps the primary out of a "not opted out" filter.
      assert.strictEqual((yield* send("POST", `/api/contacts/${secondary}/opt-out`)).status, 200)
      const textable = yield* create("/api/lists", { name: "Textable" })
      const none = yield* send("POST", `/api/lists/${textable}/members`, { filter: { tag: "roof", notOptedOut: true } })
      assert.deepStrictEqual(none.body, { added: 0, ignored: [] })
      const all = yield* send("POST", `/api/lists/${textable}/members`, { filter: { tag: "roof" } })
      assert.deepStrictEqual(all.body, { added: 2, ignored: [] })

      const mergeId = (merged.body as { merge: { id: string } }).merge.id
      assert.strictEqual((yield* send("POST", `/api/merges/${mergeId}/undo`)).status, 200)
      assert.deepStrictEqual(yield* memberIds(both), [primary, secondary])
      assert.deepStrictEqual(yield* memberIds(onlySecondary), [secondary])

      // Deleting a list keeps its contacts; deleting a contact leaves its lists.
      assert.strictEqual((yield* send("DELETE", `/api/contacts/${secondary}`)).status, 204)
      assert.deepStrictEqual(yield* memberIds(both), [primary])
      assert.strictEqual((yield* send("DELETE", `/api/lists/${both}`)).status, 204)
      assert.strictEqual((yield* send("GET", `/api/contacts/${primary}`)).status, 200)
      assert.strictEqual((yield* send("GET", `/api/lists/${both}/members`)).status, 404)
    }))
})
