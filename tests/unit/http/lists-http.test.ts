import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

interface ListJson {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly memberCount: number
}
interface Page<A> {
  readonly data: ReadonlyArray<A>
  readonly nextCursor: string | null
}

const setup = Effect.gen(function*() {
  const { request } = yield* httpHarness(TestApplication)
  const send = (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown) =>
    Effect.promise(() => request(method, path, body === undefined ? {} : { body }))
  const contact = (fields: Record<string, unknown>) =>
    Effect.map(send("POST", "/api/contacts", fields), (r) => (r.body as { id: string }).id)
  const list = (name: string) => Effect.map(send("POST", "/api/lists", { name }), (r) => (r.body as ListJson).id)
  const memberIds = (listId: string) =>
    Effect.map(send("GET", `/api/lists/${listId}/members`), (r) => (r.body as Page<{ id: string }>).data.map((c) => c.id))
  return { send, contact, list, memberIds }
})

// The first harness pays for building the OpenAPI document and its validators, once per worker.
beforeAll(() => Effect.runPromise(Effect.scoped(setup)))

const UNKNOWN = "00000000-0000-7000-8000-0000000003e7"

// Responses are checked against /openapi.json by the harness's contract client.
describe("contact lists over HTTP (in-memory ports)", () => {
  it.effect("creates, reads, renames, pages and deletes lists; names are unique without regard to case", () =>
    Effect.gen(function*() {
      const { send } = yield* setup
      const created = yield* send("POST", "/api/lists", { name: "  Spring leads ", description: "From the fair" })
      assert.strictEqual(created.status, 201)
      const spring = created.body as ListJson
      assert.deepInclude(spring, { name: "Spring leads", description: "From the fair", memberCount: 0 })
      assert.strictEqual(created.headers.get("location"), `/api/lists/${spring.id}`)
      const taken = yield* send("POST", "/api/lists", { name: "SPRING LEADS" })
      assert.deepInclude(taken.body, { status: 409, type: "/problems/conflict" })
      const blank = yield* send("POST", "/api/lists", { name: "  " })
      assert.strictEqual(blank.status, 422)
      assert.deepStrictEqual((blank.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path), ["name"])

      const fall = (yield* send("POST", "/api/lists", { name: "Fall leads" })).body as ListJson
      const renamed = yield* send("PATCH", `/api/lists/${spring.id}`, { name: "Spring 2026", description: null })
      assert.deepInclude(renamed.body, { id: spring.id, name: "Spring 2026", description: null })
      assert.strictEqual((yield* send("PATCH", `/api/lists/${fall.id}`, { name: "spring 2026" })).status, 409)
      assert.deepInclude((yield* send("GET", `/api/lists/${spring.id}`)).body, { name: "Spring 2026" })

      const first = (yield* send("GET", "/api/lists?limit=1")).body as Page<ListJson>
      assert.deepStrictEqual(first.data.map((l) => l.id), [spring.id])
      const second = (yield* send("GET", `/api/lists?limit=1&cursor=${first.nextCursor}`)).body as Page<ListJson>
      assert.deepStrictEqual([second.data.map((l) => l.id), second.nextCursor], [[fall.id], null])

      assert.strictEqual((yield* send("DELETE", `/api/lists/${spring.id}`)).status, 204)
      assert.strictEqual((yield* send("GET", `/api/lists/${spring.id}`)).status, 404)
      assert.strictEqual((yield* send("DELETE", `/api/lists/${spring.id}`)).status, 404)
      assert.strictEqual((yield* send("PATCH", `/api/lists/${UNKNOWN}`, { name: "X" })).status, 404)
      assert.strictEqual((yield* send("GET", "/api/lists/not-a-uuid")).status, 404)
    }).pipe(Effect.scoped))

  it.effect("adds members by id, pages them, and removes them", () =>
    Effect.gen(function*() {
      const { contact, list, memberIds, send } = yield* setup
      const listId = yield* list("Callbacks")
      const [a, b, c] = [yield* contact({ firstName: "A" }), yield* contact({ firstName: "B" }), yield* contact({ firstName: "C" })]
      const added = yield* send("POST", `/api/lists/${listId}/members`, { contactIds: [b, a, UNKNOWN, a] })
      assert.deepStrictEqual([added.status, added.body], [200, { added: 2, ignored: [UNKNOWN] }])
      assert.deepStrictEqual((yield* send("POST", `/api/lists/${listId}/members`, { contactIds: [a, c] })).body, { added: 1, ignored: [] })
      assert.deepInclude((yield* send("GET", `/api/lists/${listId}`)).body, { memberCount: 3 })

      const page = (yield* send("GET", `/api/lists/${listId}/members?limit=2`)).body as Page<{ id: string; firstName: string }>
      assert.deepStrictEqual(page.data.map((m) => m.firstName), ["A", "B"])
      const rest = (yield* send("GET", `/api/lists/${listId}/members?limit=2&cursor=${page.nextCursor}`)).body as Page<{ id: string }>
      assert.deepStrictEqual([rest.data.map((m) => m.id), rest.nextCursor], [[c], null])

      const removed = yield* send("DELETE", `/api/lists/${listId}/members`, { contactIds: [b, UNKNOWN] })
      assert.deepStrictEqual([removed.status, removed.body], [200, { removed: 1 }])
      assert.deepStrictEqual(yield* memberIds(listId), [a, c])
      // Deleting a member contact takes it out of the list.
      assert.strictEqual((yield* send("DELETE", `/api/contacts/${a}`)).status, 204)
      assert.deepStrictEqual(yield* memberIds(listId), [c])

      for (const response of [
        yield* send("GET", `/api/lists/${UNKNOWN}/members`),
        yield* send("POST", `/api/lists/${UNKNOWN}/members`, { contactIds: [c] }),
        yield* send("DELETE", `/api/lists/${UNKNOWN}/members`, { contactIds: [c] })
      ]) assert.deepInclude(response.body, { status: 404, detail: `No contact list has id ${UNKNOWN}` })
    }).pipe(Effect.scoped))

  it.effect("adds by filter: tag, phone, opt-out, days and import", () =>
    Effect.gen(function*() {
      const { contact, list, memberIds, send } = yield* setup
      const texted = yield* contact({ firstName: "Texted", phone: "(303) 555-0121", tags: ["Roof"] })
      const stopped = yield* contact({ firstName: "Stopped", phone: "303 555 0122", tags: ["roof"] })
      const noPhone = yield* contact({ firstName: "Mail", tags: ["roof"] })
      yield* contact({ firstName: "Other", phone: "303 555 0123" })
      assert.strictEqual((yield* send("POST", `/api/contacts/${stopped}/opt-out`)).status, 200)

      const textable = yield* list("Textable roofs")
      const byFilter = yield* send("POST", `/api/lists/${textable}/members`, {
        filter: { tag: " ROOF ", hasPhone: true, notOptedOut: true, createdFrom: "1900-01-01", createdTo: "2199-12-31" }
      })
      assert.deepStrictEqual([byFilter.status, byFilter.body], [200, { added: 1, ignored: [] }])
      assert.deepStrictEqual(yield* memberIds(textable), [texted])

      const roofs = yield* list("All roofs")
      assert.deepStrictEqual((yield* send("POST", `/api/lists/${roofs}/members`, { filter: { tag: "roof", notOptedOut: false } })).body, {
        added: 3,
        ignored: []
      })
      assert.deepStrictEqual(yield* memberIds(roofs), [texted, stopped, noPhone])
      const none = yield* list("None")
      for (const filter of [{ createdTo: "2000-01-01" }, { importId: UNKNOWN }, { importedFrom: "2000-01-01" }, { hasPhone: false, tag: "x" }]) {
        assert.deepStrictEqual((yield* send("POST", `/api/lists/${none}/members`, { filter })).body, { added: 0, ignored: [] })
      }
      // An empty filter: every active contact.
      const everyone = yield* list("Everyone")
      assert.deepInclude((yield* send("POST", `/api/lists/${everyone}/members`, { filter: {} })).body, { added: 4 })
    }).pipe(Effect.scoped))

  it.effect("refuses bodies that are neither ids nor a filter, and a range that ends before it starts", () =>
    Effect.gen(function*() {
      const { list, send } = yield* setup
      const listId = yield* list("Strict")
      const paths = (body: unknown) =>
        Effect.map(send("POST", `/api/lists/${listId}/members`, body), (r) => {
          assert.strictEqual(r.status, 422, JSON.stringify(r.body))
          return (r.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)
        })
      assert.include(yield* paths({ filter: { createdFrom: "2026-03-02", createdTo: "2026-03-01" } }), "filter.createdFrom")
      assert.include(yield* paths({ filter: { importedFrom: "2026-03-02", importedTo: "2026-03-01" } }), "filter.importedFrom")
      assert.include(yield* paths({ filter: { createdFrom: "2026-02-30" } }), "filter.createdFrom")
      assert.include(yield* paths({ filter: { colour: "red" } }), "filter.colour")
      assert.include(yield* paths({ contactIds: [] }), "contactIds")
      assert.include(yield* paths({ contactIds: ["nope"] }), "contactIds.0")
      assert.deepStrictEqual(yield* paths({ contactIds: [UNKNOWN], filter: {} }), ["filter"])
      assert.deepStrictEqual(yield* paths({}), ["contactIds"])
      assert.deepStrictEqual(yield* paths({ filter: { createdFrom: "2026-03-02", createdTo: "2026-03-01" } }), ["filter.createdFrom"])
      const remove = yield* send("DELETE", `/api/lists/${listId}/members`, { contactIds: [] })
      assert.strictEqual(remove.status, 422)
    }).pipe(Effect.scoped))

  it.effect("keeps a merged pair in a list once, as the primary, and undo brings both back", () =>
    Effect.gen(function*() {
      const { contact, list, memberIds, send } = yield* setup
      const primary = yield* contact({ firstName: "Pat" })
      const secondary = yield* contact({ firstName: "Patricia" })
      const both = yield* list("Both")
      const onlySecondary = yield* list("Only the secondary")
      yield* send("POST", `/api/lists/${both}/members`, { contactIds: [primary, secondary] })
      yield* send("POST", `/api/lists/${onlySecondary}/members`, { contactIds: [secondary] })

      const merged = yield* send("POST", `/api/contacts/${primary}/merge`, { secondaryId: secondary })
      assert.strictEqual(merged.status, 200)
      assert.deepStrictEqual(yield* memberIds(both), [primary])
      assert.deepStrictEqual(yield* memberIds(onlySecondary), [primary])
      assert.deepInclude((yield* send("GET", `/api/lists/${both}`)).body, { memberCount: 1 })
      // A merged contact is not added again.
      assert.deepStrictEqual((yield* send("POST", `/api/lists/${both}/members`, { contactIds: [secondary] })).body, {
        added: 0,
        ignored: [secondary]
      })

      const mergeId = (merged.body as { merge: { id: string } }).merge.id
      assert.strictEqual((yield* send("POST", `/api/merges/${mergeId}/undo`)).status, 200)
      assert.deepStrictEqual(yield* memberIds(both), [primary, secondary])
      assert.deepStrictEqual(yield* memberIds(onlySecondary), [secondary])
    }).pipe(Effect.scoped))
})
