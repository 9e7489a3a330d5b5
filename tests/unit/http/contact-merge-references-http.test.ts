import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

const harness = () => httpHarness(TestApplication)

beforeAll(() => Effect.runPromise(Effect.scoped(harness())))

interface MergeJson {
  readonly id: string
  readonly movedReferences: ReadonlyArray<{ readonly table: string; readonly count: number }>
  readonly undoneAt: string | null
  readonly undoneBy: { readonly name: string } | null
}

// A merge record keeps the rows it moved (ReferenceMove: table, column, row
// ids): clients see them counted per table, and undo moves exactly those back.
describe("a merge's moved references over HTTP (in-memory ports)", () => {
  it.effect("counts the rows moved per table, and undo points exactly those rows back", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const post = (path: string, body?: unknown) => Effect.promise(() => request("POST", path, body === undefined ? {} : { body }))
      const contact = (firstName: string) => Effect.map(post("/api/contacts", { firstName }), (r) => (r.body as { id: string }).id)
      const primary = yield* contact("Pat")
      const secondary = yield* contact("Patty")
      const earlier = yield* contact("P.")
      const customer = (companyName: string, primaryContactId: string) =>
        Effect.map(post("/api/customers", { companyName, primaryContactId }), (r) => (r.body as { id: string }).id)
      const acme = yield* customer("Acme", secondary)
      const globex = yield* customer("Globex", secondary)
      const initech = yield* customer("Initech", primary)
      // A contact merged into the secondary earlier follows it to the primary.
      assert.strictEqual((yield* post(`/api/contacts/${secondary}/merge`, { secondaryId: earlier })).status, 200)

      const merged = yield* post(`/api/contacts/${primary}/merge`, { secondaryId: secondary })
      assert.strictEqual(merged.status, 200)
      const merge = (merged.body as { merge: MergeJson }).merge
      assert.deepStrictEqual(
        [...merge.movedReferences].sort((a, b) => a.table.localeCompare(b.table)),
        [{ table: "contacts", count: 1 }, { table: "customers", count: 2 }]
      )
      assert.deepStrictEqual([merge.undoneAt, merge.undoneBy], [null, null])
      const owner = (id: string) =>
        Effect.map(Effect.promise(() => request("GET", `/api/customers/${id}`)), (r) => (r.body as { primaryContactId: string }).primaryContactId)
      assert.deepStrictEqual([yield* owner(acme), yield* owner(globex), yield* owner(initech)], [primary, primary, primary])

      assert.strictEqual((yield* post(`/api/merges/${merge.id}/undo`)).status, 200)
      // Only the moved rows go back: Initech always named the primary.
      assert.deepStrictEqual([yield* owner(acme), yield* owner(globex), yield* owner(initech)], [secondary, secondary, primary])
      const earlierNow = yield* Effect.promise(() => request("GET", `/api/contacts/${earlier}`))
      assert.strictEqual((earlierNow.body as { mergedIntoId: string }).mergedIntoId, secondary)
      const history = yield* Effect.promise(() => request("GET", `/api/contacts/${primary}/merges`))
      const listed = (history.body as { data: ReadonlyArray<MergeJson> }).data.find((m) => m.id === merge.id)
      assert.strictEqual(listed?.undoneBy?.name, "CRM_ADMIN_TOKEN")
      assert.isString(listed?.undoneAt)
      assert.deepStrictEqual(listed?.movedReferences, merge.movedReferences)
    }))
})
