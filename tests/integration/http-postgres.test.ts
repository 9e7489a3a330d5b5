import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { ADMIN_SECRET, httpHarness } from "../support/http-harness.ts"
import { testDatabase, testDatabaseUrl, withAdminClient } from "../support/test-database.ts"

const call = Effect.promise

// The HTTP adapter over the real SQL adapters, each test on a database of
// its own; every response is held to /openapi.json.
describe("the API on PostgreSQL", () => {
  it.effect("runs the contact lifecycle, duplicates, merge and undo", () =>
    Effect.gen(function*() {
      const { request } = yield* httpHarness(applicationLayer(testDatabase()))
      const a = yield* call(() => request("POST", "/api/contacts", { body: { firstName: "Rita", lastName: "Gomez", phone: "+1 512 555 0199", tags: ["crack"] } }))
      const b = yield* call(() => request("POST", "/api/contacts", { body: { firstName: "rita", lastName: "gomez", email: "rita@example.com" } }))
      assert.deepStrictEqual([a.status, b.status], [201, 201])
      const [aId, bId] = [(a.body as { id: string }).id, (b.body as { id: string }).id]
      const dup = yield* call(() => request("POST", "/api/contacts", { body: { firstName: "X", phone: "512-555-0199" } }))
      assert.deepInclude(dup.body as object, { status: 409, existingId: aId, field: "phone" })
      const pairs = yield* call(() => request("GET", "/api/contacts/duplicates"))
      assert.deepStrictEqual((pairs.body as { data: Array<{ reasons: Array<string> }> }).data.map((p) => p.reasons), [["name"]])
      const search = yield* call(() => request("GET", "/api/contacts?q=gomez&limit=1"))
      const page = search.body as { data: Array<{ id: string }>; nextCursor: string }
      assert.deepStrictEqual(page.data.map((c) => c.id), [aId])
      const next = yield* call(() => request("GET", `/api/contacts?q=gomez&limit=1&cursor=${page.nextCursor}`))
      assert.deepStrictEqual((next.body as { data: Array<{ id: string }> }).data.map((c) => c.id), [bId])
      const merged = yield* call(() => request("POST", `/api/contacts/${aId}/merge`, { body: { secondaryId: bId } }))
      assert.strictEqual(merged.status, 200)
      const mergeId = (merged.body as { merge: { id: string } }).merge.id
      const mergedAgain = yield* call(() => request("POST", `/api/contacts/${aId}/merge`, { body: { secondaryId: bId } }))
      assert.strictEqual(mergedAgain.status, 409)
      const history = yield* call(() => request("GET", `/api/contacts/${aId}/merges`))
      assert.strictEqual((history.body as { data: Array<{ id: string }> }).data[0]?.id, mergeId)
      const undone = yield* call(() => request("POST", `/api/merges/${mergeId}/undo`))
      assert.strictEqual(undone.status, 200)
      const deleted = yield* call(() => request("DELETE", `/api/contacts/${bId}`))
      assert.strictEqual(deleted.status, 204)
    }))

  it.effect("runs concurrent requests with one Idempotency-Key once", () =>
    Effect.gen(function*() {
      const { request } = yield* httpHarness(applicationLayer(testDatabase()))
      const headers = { "idempotency-key": "concurrent-1" }
      const body = { firstName: "Once", email: "once@example.com" }
      const responses = yield* call(() => Promise.all(Array.from({ length: 6 }, () => request("POST", "/api/contacts", { headers, body }))))
      const statuses = responses.map((r) => r.status).sort()
      // Each duplicate either replays the stored 201 or is told the first is still running.
      assert.isTrue(statuses.every((s) => s === 201 || s === 409), statuses.join(","))
      const created = new Set(responses.filter((r) => r.status === 201).map((r) => (r.body as { id: string }).id))
      assert.strictEqual(created.size, 1)
      const list = yield* call(() => request("GET", "/api/contacts?email=once@example.com"))
      assert.strictEqual((list.body as { data: Array<unknown> }).data.length, 1)
    }))

  it.effect("answers /ready from the database and keeps tokens hashed", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const { request } = yield* httpHarness(applicationLayer(pgClientLayer(Redacted.make(url), 5)))
      const ready = yield* call(() => request("GET", "/ready", { token: null }))
      assert.deepStrictEqual(ready.body, { status: "ready" })
      const minted = yield* call(() => request("POST", "/api/tokens", { body: { name: "ops", role: "staff" } }))
      assert.strictEqual(minted.status, 201)
      const { secret, token: { id } } = minted.body as { secret: string; token: { id: string } }
      const works = yield* call(() => request("GET", "/api/contacts", { token: secret }))
      assert.strictEqual(works.status, 200)

      // The stored rows hold each secret's SHA-256 and nothing from which the secret could be read.
      const rows = yield* withAdminClient(url, (sql) => sql<Record<string, unknown>>`SELECT * FROM api_tokens ORDER BY id`).pipe(Effect.orDie)
      const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex")
      const row = rows.find((r) => r["id"] === id)
      assert.strictEqual(row?.["secret_sha256"], sha256(secret))
      assert.deepStrictEqual(
        rows.map((r) => r["secret_sha256"]).sort(),
        [sha256(secret), sha256(ADMIN_SECRET)].sort()
      )
      const stored = JSON.stringify(rows)
      for (const plain of [secret, ADMIN_SECRET, secret.slice(-16), ADMIN_SECRET.slice(-16)]) {
        assert.notInclude(stored, plain)
      }
    }))
})
