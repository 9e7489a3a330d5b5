import { assert, describe, it, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Result, Schedule, Stream } from "effect"
import { readFileSync } from "node:fs"
import { v7 } from "uuid"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { fastJobTimings, jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { LiveIds } from "../../adapters/platform/live-ids.ts"
import { SqlPorts } from "../../adapters/sql/sql-ports.ts"
import { importBatch } from "../../application/imports/import-batch.ts"
import { revertBatch } from "../../application/imports/import-revert.ts"
import { ContactRepository } from "../../application/ports/contact-repository.ts"
import { ImportFiles } from "../../application/ports/import-files.ts"
import { ImportRepository } from "../../application/ports/import-repository.ts"
import { Transactor } from "../../application/ports/transactor.ts"
import { emptyCounts, ImportId, type ImportJob, totalOf } from "../../domain/import/import-job.ts"
import { resolveLayout } from "../../domain/import/layouts.ts"
import { ADMIN_SECRET, httpHarness } from "../support/http-harness.ts"
import { makeContact } from "../support/port-suites/fixtures.ts"
import { testDatabase } from "../support/test-database.ts"

const call = Effect.promise
const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url))

// Jobs are stored, not run ("none"): the upload path is what these tests hold;
// import batches and revert run directly on the SQL ports below.
const harness = () => httpHarness(applicationLayer(testDatabase(), jobEngineLayer({ mode: "none" })))
type Harness = Effect.Success<ReturnType<typeof harness>>

/** POSTs a multipart upload: the form fields, then the file. */
const upload = (h: Harness, path: string, name: string, bytes: Uint8Array, fields: Record<string, string> = {}) =>
  call(async () => {
    const form = new FormData()
    for (const [key, value] of Object.entries(fields)) form.append(key, value)
    form.append("file", new Blob([new Uint8Array(bytes)]), name)
    const response = await h.app.request(path, { method: "POST", body: form, headers: { authorization: `Bearer ${ADMIN_SECRET}` } })
    return { status: response.status, body: await response.json() as Record<string, unknown> }
  })

const LAYOUT_FIXTURES = [
  "propertyradar.csv", "openphone.csv", "google.csv", "outlook.csv", "quickbooks.csv", "generic.csv",
  "tab.csv", "pipe.csv", "utf16le-bom.csv", "utf16be-bom.csv", "utf8-bom.csv", "windows-1252.csv", "ragged.csv", "quoted-newline.csv"
]

describe("import uploads on PostgreSQL", () => {
  it.effect("stores every fixture and counts its rows; refuses bad files keeping nothing; previews change nothing", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      for (const name of LAYOUT_FIXTURES) {
        const started = yield* upload(h, "/api/imports", name, fixture(name))
        assert.strictEqual(started.status, 202, `${name}: ${JSON.stringify(started.body)}`)
        assert.strictEqual(started.body["status"], "queued")
        assert.isAbove(Number(started.body["totalRows"]), 0, name)
      }
      const listed = yield* call(() => h.request("GET", "/api/imports?limit=100"))
      assert.strictEqual((listed.body as { data: Array<unknown> }).data.length, LAYOUT_FIXTURES.length)
      for (const name of ["empty.csv", "only-headers.csv", "not-csv.xlsx", "invalid-encoding.csv"]) {
        const refused = yield* upload(h, "/api/imports", name, fixture(name))
        assert.strictEqual(refused.status, 422, `${name}: ${JSON.stringify(refused.body)}`)
      }
      const unknown = yield* upload(h, "/api/imports", "colours.csv", new TextEncoder().encode("Colour,Size\nred,9\n"))
      assert.strictEqual(unknown.status, 422)
      const after = yield* call(() => h.request("GET", "/api/imports?limit=100"))
      assert.strictEqual((after.body as { data: Array<unknown> }).data.length, LAYOUT_FIXTURES.length)
      const preview = yield* upload(h, "/api/imports/preview", "propertyradar.csv", fixture("propertyradar.csv"))
      assert.strictEqual(preview.status, 200)
      assert.strictEqual(preview.body["layout"], "propertyradar")
      const contacts = yield* call(() => h.request("GET", "/api/contacts"))
      assert.strictEqual((contacts.body as { data: Array<unknown> }).data.length, 0)
    }), { timeout: 120_000 })
})

const ports = Layer.mergeAll(SqlPorts, LiveIds).pipe(Layer.provideMerge(testDatabase()))

/** Stores the file as an upload would and runs its batches directly (what the job's activities do). */
const importNow = (name: string, bytes: Uint8Array) =>
  Effect.gen(function*() {
    const repo = yield* ImportRepository
    const tx = yield* Transactor
    const id = ImportId.make(v7())
    const job: ImportJob = {
      id, status: "running", fileName: name, byteSize: bytes.length,
      options: { mode: "create_or_update", overwrite: false, layout: null, mapping: null, listId: null },
      layout: null, totalRows: null, headers: null, delimiter: null, rowsRead: 0, counts: emptyCounts, checkpointRow: 0,
      batchesCommitted: 0, createdAt: yield* DateTime.now, startedAt: null, finishedAt: null, error: null, revertedCount: 0, keptCount: 0
    }
    yield* repo.create(job)
    const file = yield* (yield* ImportFiles).open(Stream.make(bytes), { afterRow: 0, batchSize: 2 })
    const resolved = resolveLayout(file.headers)
    if (Result.isFailure(resolved)) return assert.fail(resolved.failure.message)
    const settings = { importId: id, options: job.options, mapping: resolved.success.mapping, layout: resolved.success.layout }
    yield* Stream.runForEach(file.batches, (rows) => tx.withTransaction(importBatch(settings, rows)))
    return Option.getOrThrow(yield* repo.findById(id))
  }).pipe(Effect.scoped)

layer(ports, { timeout: 120_000, excludeTestServices: true })("import batches on PostgreSQL", (it) => {
  it.effect("imports each layout with counts that add up, each row once; a replayed batch writes nothing", () =>
    Effect.gen(function*() {
      for (const name of LAYOUT_FIXTURES) {
        const job = yield* importNow(name, fixture(name))
        assert.strictEqual(totalOf(job.counts), job.rowsRead, name)
        assert.isAbove(job.rowsRead, 0, name)
        const rows = yield* (yield* ImportRepository).rows(job.id, { outcome: undefined, afterRow: 0, limit: 1000 })
        assert.strictEqual(rows.length, job.rowsRead, name)
        assert.strictEqual(new Set(rows.map((row) => row.rowNumber)).size, rows.length, name)
      }
      // The same file again: the houses and everyone with a phone or email match. Only people with
      // neither (a second owner named alone) cannot be told from a new person, and are created again.
      const again = yield* importNow("propertyradar.csv", fixture("propertyradar.csv"))
      assert.strictEqual(totalOf(again.counts), again.rowsRead)
      assert.isAbove(again.counts.unchanged + again.counts.updated, 0)
    }))

  it.effect("reverts: deletes what it created unless referenced since, restores what it updated", () =>
    Effect.gen(function*() {
      const contacts = yield* ContactRepository
      const eve = makeContact({ firstName: "Eve", email: "eve.revert@example.com" })
      yield* contacts.insert(eve)
      const file = "First Name,Phone,Email\nAnn,720 555 0191,\nEve,720 555 0192,eve.revert@example.com\nBad,12,\n"
      const job = yield* importNow("revert.csv", new TextEncoder().encode(file))
      assert.deepStrictEqual([job.counts.created, job.counts.updated, job.counts.rejected], [1, 1, 1])
      assert.strictEqual(Option.getOrThrow(yield* contacts.findById(eve.id)).phone, "+17205550192")
      const tx = yield* Transactor
      while ((yield* tx.withTransaction(revertBatch(job.id))) > 0) {
        // one transaction per batch of changes
      }
      const after = Option.getOrThrow(yield* (yield* ImportRepository).findById(job.id))
      assert.deepStrictEqual([after.revertedCount, after.keptCount], [2, 0])
      assert.strictEqual(Option.getOrThrow(yield* contacts.findById(eve.id)).phone, null)
      assert.deepStrictEqual(yield* contacts.findManyByPhones(["+17205550191"]), [])
    }))
})

describe("imports through the job engine on PostgreSQL", () => {
  // Live clock: the engine and the polling need real time.
  it.live("runs an upload to completion, serves rejected.csv, and reverts", () =>
    Effect.gen(function*() {
      const h = yield* httpHarness(applicationLayer(testDatabase(), jobEngineLayer({ mode: "single", sharding: fastJobTimings })))
      const until = (id: string, statuses: ReadonlyArray<string>) =>
        call(() => h.request("GET", `/api/imports/${id}`)).pipe(
          Effect.map((response) => response.body as Record<string, unknown>),
          Effect.flatMap((job) => (statuses.includes(String(job["status"])) ? Effect.succeed(job) : Effect.fail("pending" as const))),
          Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 300 })
        )
      const file = "First Name,Phone,Email\nAnn,720 555 0101,ann@example.com\nBad,12,\nBob,720 555 0102,\n"
      const started = yield* upload(h, "/api/imports", "mixed.csv", new TextEncoder().encode(file), { newListName: "Spring leads" })
      assert.strictEqual(started.status, 202, JSON.stringify(started.body))
      const id = String(started.body["id"])
      const done = yield* until(id, ["completed", "failed"])
      assert.deepStrictEqual([done["status"], done["rowsRead"]], ["completed", 3])
      assert.deepStrictEqual(done["counts"], { created: 2, updated: 0, unchanged: 0, merged_in_file: 0, skipped: 0, rejected: 1 })
      const rows = yield* call(() => h.request("GET", `/api/imports/${id}/rows?outcome=rejected`))
      assert.deepStrictEqual((rows.body as { data: Array<{ rowNumber: number; field: string }> }).data.map((r) => [r.rowNumber, r.field]), [[3, "phone"]])
      const csv = yield* call(async () => {
        const response = await h.app.request(`/api/imports/${id}/rejected.csv`, { headers: { authorization: `Bearer ${ADMIN_SECRET}` } })
        return response.text()
      })
      assert.match(csv, /^First Name,Phone,Email,Import error\r\nBad,12,,phone: /u)
      const revert = yield* call(() => h.request("POST", `/api/imports/${id}/revert`))
      assert.strictEqual(revert.status, 202)
      const reverted = yield* until(id, ["reverted"])
      assert.deepStrictEqual([reverted["revertedCount"], reverted["keptCount"]], [2, 0])
      const left = yield* call(() => h.request("GET", "/api/contacts"))
      assert.strictEqual((left.body as { data: Array<unknown> }).data.length, 0)
      const again = yield* call(() => h.request("POST", `/api/imports/${id}/revert`))
      assert.strictEqual(again.status, 409)
    }), { timeout: 120_000 })
})
