import { assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestApplication } from "../../../application/testing/index.ts"
import { httpHarness } from "../../support/http-harness.ts"

const harness = () => httpHarness(TestApplication)

// One-off work (the OpenAPI document, the contract validator) is done once per file, not in the first test.
beforeAll(() => Effect.runPromise(Effect.scoped(harness())))
const ann = { firstName: "Ann", lastName: "Lee", phone: "(415) 555-2671 ext 12", email: "Ann@Example.com", tags: ["VIP"] }

describe("contacts over HTTP (in-memory ports)", () => {
  it.effect("creates, reads, patches and deletes a contact", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const created = yield* Effect.promise(() => request("POST", "/api/contacts", { body: ann }))
      assert.strictEqual(created.status, 201)
      const contact = created.body as Record<string, unknown>
      assert.strictEqual(created.headers.get("location"), `/api/contacts/${contact["id"]}`)
      assert.deepInclude(contact, { phone: "+14155552671", phoneExtension: "12", email: "ann@example.com", tags: ["vip"], status: "active" })
      const read = yield* Effect.promise(() => request("GET", `/api/contacts/${contact["id"]}`))
      assert.deepStrictEqual(read.body, contact)
      const patched = yield* Effect.promise(() =>
        request("PATCH", `/api/contacts/${contact["id"]}`, { body: { lastName: null, company: "Acme" } }))
      assert.deepInclude(patched.body as object, { lastName: null, company: "Acme", firstName: "Ann" })
      const deleted = yield* Effect.promise(() => request("DELETE", `/api/contacts/${contact["id"]}`))
      assert.strictEqual(deleted.status, 204)
      const gone = yield* Effect.promise(() => request("GET", `/api/contacts/${contact["id"]}`))
      assert.strictEqual(gone.status, 404)
      assert.strictEqual(gone.headers.get("content-type"), "application/problem+json")
    }))

  it.effect("answers an invalid phone with a 422 problem naming phone", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const response = yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "Bo", phone: "555-123-4567" } }))
      assert.strictEqual(response.status, 422)
      assert.deepInclude(response.body as object, { type: "/problems/validation", status: 422 })
      assert.deepStrictEqual((response.body as { errors: unknown }).errors, [
        { path: "phone", message: "Not an assigned phone number (check the area code)" }
      ])
    }))

  it.effect("refuses NUL characters (which PostgreSQL cannot store) with a 422, not a 500", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const body = yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "a\u0000b", tags: ["x\u0000"] } }))
      assert.strictEqual(body.status, 422)
      assert.deepStrictEqual((body.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort(), ["firstName", "tags.0"])
      const query = yield* Effect.promise(() => request("GET", "/api/contacts?q=%00"))
      assert.strictEqual(query.status, 422)
    }))

  it.effect("reads ids in any case, so an upper-case id cannot slip past the self-merge check", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const one = (yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "Solo" } }))).body as { id: string }
      const read = yield* Effect.promise(() => request("GET", `/api/contacts/${one.id.toUpperCase()}`))
      assert.strictEqual((read.body as { id: string }).id, one.id)
      const self = yield* Effect.promise(() =>
        request("POST", `/api/contacts/${one.id.toUpperCase()}/merge`, { body: { secondaryId: one.id } }))
      assert.strictEqual(self.status, 422)
    }))

  it.effect("keeps a merged contact read-only: no PATCH, no DELETE", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const a = (yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "A" } }))).body as { id: string }
      const b = (yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "B" } }))).body as { id: string }
      yield* Effect.promise(() => request("POST", `/api/contacts/${a.id}/merge`, { body: { secondaryId: b.id } }))
      const patched = yield* Effect.promise(() => request("PATCH", `/api/contacts/${b.id}`, { body: { notes: "x" } }))
      const deleted = yield* Effect.promise(() => request("DELETE", `/api/contacts/${b.id}`))
      assert.deepStrictEqual([patched.status, deleted.status], [409, 409])
    }))

  it.effect("lists every invalid field at once, and unknown fields too", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const response = yield* Effect.promise(() =>
        request("POST", "/api/contacts", { body: { firstName: "  ", email: "nope", first_name: "x", tags: [""] } }))
      assert.strictEqual(response.status, 422)
      const paths = (response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort()
      assert.deepStrictEqual(paths, ["email", "firstName", "first_name", "tags.0"])
    }))

  it.effect("refuses a duplicate with 409 and the existing id", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const first = yield* Effect.promise(() => request("POST", "/api/contacts", { body: ann }))
      const second = yield* Effect.promise(() =>
        request("POST", "/api/contacts", { body: { firstName: "Other", email: "ANN@example.com" } }))
      assert.strictEqual(second.status, 409)
      assert.deepInclude(second.body as object, {
        type: "/problems/duplicate-contact",
        existingId: (first.body as { id: string }).id,
        field: "email"
      })
    }))

  it.effect("finds by phone in any format, pages with a cursor and rejects a forged cursor", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      for (const firstName of ["A", "B", "C"]) {
        yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName, tags: ["page"] } }))
      }
      yield* Effect.promise(() => request("POST", "/api/contacts", { body: ann }))
      const byPhone = yield* Effect.promise(() => request("GET", `/api/contacts?phone=${encodeURIComponent("+1 415-555-2671")}`))
      assert.deepStrictEqual((byPhone.body as { data: Array<{ firstName: string }> }).data.map((c) => c.firstName), ["Ann"])
      const first = yield* Effect.promise(() => request("GET", "/api/contacts?tag=page&limit=2"))
      const page1 = first.body as { data: Array<{ firstName: string }>; nextCursor: string }
      assert.deepStrictEqual(page1.data.map((c) => c.firstName), ["A", "B"])
      const second = yield* Effect.promise(() => request("GET", `/api/contacts?tag=page&limit=2&cursor=${page1.nextCursor}`))
      const page2 = second.body as { data: Array<{ firstName: string }>; nextCursor: string | null }
      assert.deepStrictEqual([page2.data.map((c) => c.firstName), page2.nextCursor], [["C"], null])
      const forged = yield* Effect.promise(() => request("GET", "/api/contacts?cursor=bm9wZQ"))
      assert.strictEqual(forged.status, 422)
      const tooMany = yield* Effect.promise(() => request("GET", "/api/contacts?limit=201"))
      assert.strictEqual(tooMany.status, 422)
    }))

  it.effect("merges, lists the merge on the contact, and undoes it", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const primary = (yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "Pat", tags: ["a"] } }))).body as { id: string }
      const secondary = (yield* Effect.promise(() =>
        request("POST", "/api/contacts", { body: { firstName: "Patty", email: "pat@example.com", tags: ["b"] } }))).body as { id: string }
      const merged = yield* Effect.promise(() => request("POST", `/api/contacts/${primary.id}/merge`, { body: { secondaryId: secondary.id } }))
      assert.strictEqual(merged.status, 200)
      const result = merged.body as { merge: { id: string; fieldSources: Record<string, string>; mergedBy: { name: string } }; primary: { email: string; tags: Array<string> }; secondary: { status: string } }
      assert.strictEqual(result.primary.email, "pat@example.com")
      assert.deepStrictEqual(result.primary.tags, ["a", "b"])
      assert.strictEqual(result.secondary.status, "merged")
      assert.strictEqual(result.merge.fieldSources["email"], "secondary")
      assert.strictEqual(result.merge.mergedBy.name, "CRM_ADMIN_TOKEN")
      const history = yield* Effect.promise(() => request("GET", `/api/contacts/${secondary.id}/merges`))
      assert.deepStrictEqual((history.body as { data: Array<{ id: string }> }).data.map((m) => m.id), [result.merge.id])
      const undone = yield* Effect.promise(() => request("POST", `/api/merges/${result.merge.id}/undo`))
      assert.strictEqual(undone.status, 200)
      assert.strictEqual((undone.body as { secondary: { status: string } }).secondary.status, "active")
      const again = yield* Effect.promise(() => request("POST", `/api/merges/${result.merge.id}/undo`))
      assert.strictEqual(again.status, 409)
    }))

  it.effect("refuses merging a contact into itself (422) and an unknown primary (404)", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      const one = (yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "Solo" } }))).body as { id: string }
      const self = yield* Effect.promise(() => request("POST", `/api/contacts/${one.id}/merge`, { body: { secondaryId: one.id } }))
      assert.strictEqual(self.status, 422)
      assert.deepStrictEqual((self.body as { errors: unknown }).errors, [{ path: "secondaryId", message: "A contact cannot be merged into itself" }])
      const unknown = yield* Effect.promise(() =>
        request("POST", `/api/contacts/00000000-0000-7000-8000-00000000ffff/merge`, { body: { secondaryId: one.id } }))
      assert.strictEqual(unknown.status, 404)
    }))

  it.effect("lists duplicate pairs with reasons", () =>
    Effect.gen(function*() {
      const { request } = yield* harness()
      yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "Dana", lastName: "Cho" } }))
      yield* Effect.promise(() => request("POST", "/api/contacts", { body: { firstName: "DANA", lastName: "cho" } }))
      const response = yield* Effect.promise(() => request("GET", "/api/contacts/duplicates"))
      const pairs = (response.body as { data: Array<{ reasons: Array<string> }> }).data
      assert.deepStrictEqual(pairs.map((p) => p.reasons), [["name"]])
    }))
})
