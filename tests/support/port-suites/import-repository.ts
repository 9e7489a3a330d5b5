import { assert } from "@effect/vitest"
import { DateTime, Effect, Option } from "effect"
import { v7 } from "uuid"
import { ImportRepository } from "../../../application/ports/import-repository.ts"
import { Transactor } from "../../../application/ports/transactor.ts"
import { emptyCounts, ImportId, type ImportJob, type ImportRowRecord } from "../../../domain/import/import-job.ts"
import { created, updated } from "./fixtures.ts"
import { type MakePorts, portSuite } from "./ports.ts"

const makeJob = (fields: Partial<ImportJob> = {}): ImportJob => ({
  id: ImportId.make(v7()),
  status: "queued",
  fileName: "leads.csv",
  byteSize: 10,
  options: { mode: "create_or_update", overwrite: false, layout: "generic", mapping: { phone: ["Cell", "Home"], email: null }, listId: null },
  layout: null,
  totalRows: null,
  headers: null,
  delimiter: null,
  rowsRead: 0,
  counts: emptyCounts,
  checkpointRow: 0,
  batchesCommitted: 0,
  createdAt: created,
  startedAt: null,
  finishedAt: null,
  error: null,
  revertedCount: 0,
  keptCount: 0,
  ...fields
})

const row = (rowNumber: number, fields: Partial<ImportRowRecord> = {}): ImportRowRecord => ({
  rowNumber,
  outcome: "created",
  reason: null,
  field: null,
  contactIds: [],
  propertyId: null,
  raw: null,
  ...fields
})

export const importRepositorySuite = (name: string, makePorts: MakePorts) =>
  portSuite(name, makePorts, (it) => {
    it.effect("stores a job and its file chunks, and reads them back", () =>
      Effect.gen(function*() {
        const repo = yield* ImportRepository
        const job = makeJob()
        yield* repo.create(job)
        assert.deepStrictEqual(yield* repo.findById(job.id), Option.some(job))
        yield* repo.appendChunk(job.id, 0, new Uint8Array([1, 2, 3]))
        yield* repo.appendChunk(job.id, 1, new Uint8Array([0, 255]))
        assert.deepStrictEqual(Option.map(yield* repo.readChunk(job.id, 1), (bytes) => [...bytes]), Option.some([0, 255]))
        assert.deepStrictEqual(Option.map(yield* repo.readChunk(job.id, 0), (bytes) => [...bytes]), Option.some([1, 2, 3]))
        assert.isTrue(Option.isNone(yield* repo.readChunk(job.id, 2)))
        assert.isTrue(Option.isNone(yield* repo.findById(ImportId.make(v7()))))
        yield* repo.recordUpload(job.id, { byteSize: 5, totalRows: 2, headers: ["Name", "Phone"], delimiter: ";" })
        const recorded = Option.getOrThrow(yield* repo.findById(job.id))
        assert.deepStrictEqual([recorded.byteSize, recorded.totalRows, recorded.headers, recorded.delimiter], [5, 2, ["Name", "Phone"], ";"])
        const doomed = makeJob()
        yield* repo.create(doomed)
        yield* repo.appendChunk(doomed.id, 0, new Uint8Array([9]))
        yield* repo.delete(doomed.id)
        assert.isTrue(Option.isNone(yield* repo.findById(doomed.id)))
        assert.isTrue(Option.isNone(yield* repo.readChunk(doomed.id, 0)))
        yield* repo.setStatus(job.id, { status: "running", at: updated })
        yield* repo.setStatus(job.id, { status: "failed", at: updated, error: "broken" })
        const failed = Option.getOrThrow(yield* repo.findById(job.id))
        assert.deepStrictEqual([failed.status, failed.startedAt, failed.finishedAt, failed.error], ["failed", updated, updated, "broken"])
      }))

    it.effect("commits each batch once, with counts that add up, and pages rows by outcome", () =>
      Effect.gen(function*() {
        const repo = yield* ImportRepository
        const job = makeJob()
        yield* repo.create(job)
        const contact = v7()
        const first = [
          row(1, { contactIds: [contact] }),
          row(2, { outcome: "rejected", field: "phone", reason: "not a real number", raw: "Ann,555" }),
          row(3, { outcome: "merged_in_file", contactIds: [contact] })
        ]
        const tx = yield* Transactor
        assert.isTrue(yield* tx.withTransaction(repo.commitBatch(job.id, {
          rows: first,
          lastRow: 3,
          layout: "generic",
          changes: [{ entity: "contact", entityId: contact, action: "created", before: null, after: null }]
        })))
        // The same batch again (a replay after a crash) writes nothing.
        assert.isFalse(yield* tx.withTransaction(repo.commitBatch(job.id, { rows: first, lastRow: 3, layout: "generic", changes: [] })))
        assert.isTrue(yield* repo.commitBatch(job.id, {
          rows: [row(4, { outcome: "skipped", reason: "opted out" }), row(5, { outcome: "updated", contactIds: [contact] })],
          lastRow: 5,
          layout: "other",
          changes: [{ entity: "contact", entityId: contact, action: "updated", before: { email: null }, after: { email: "a@b.c" } }]
        }))
        const stored = Option.getOrThrow(yield* repo.findById(job.id))
        assert.deepStrictEqual(
          [stored.rowsRead, stored.checkpointRow, stored.batchesCommitted, stored.layout],
          [5, 5, 2, "generic"]
        )
        assert.deepStrictEqual(stored.counts, { ...emptyCounts, created: 1, rejected: 1, merged_in_file: 1, skipped: 1, updated: 1 })
        assert.deepStrictEqual(yield* repo.rows(job.id, { outcome: "rejected", afterRow: 0, limit: 10 }), [first[1]!])
        assert.deepStrictEqual(
          (yield* repo.rows(job.id, { outcome: undefined, afterRow: 1, limit: 2 })).map((r) => r.rowNumber),
          [2, 3]
        )
        assert.deepStrictEqual((yield* repo.rows(job.id, { outcome: undefined, afterRow: 0, limit: 1 }))[0], first[0]!)
        // The first change of an entity wins.
        const pending = yield* repo.pendingChanges(job.id, 10)
        assert.deepStrictEqual(pending.map((change) => [change.entityId, change.action]), [[contact, "created"]])
        assert.deepStrictEqual([...(yield* repo.touched(job.id, "contact", [contact, v7()]))], [contact])
        assert.strictEqual((yield* repo.touched(job.id, "property", [contact])).size, 0)
        yield* repo.markReverted(job.id, [{ entity: "contact", entityId: contact, result: "kept" }])
        yield* repo.markReverted(job.id, [{ entity: "contact", entityId: contact, result: "reverted" }])
        assert.deepStrictEqual(yield* repo.pendingChanges(job.id, 10), [])
        const after = Option.getOrThrow(yield* repo.findById(job.id))
        assert.deepStrictEqual([after.revertedCount, after.keptCount], [0, 1])
      }))

    it.effect("lists the imports still queued that were created before a time, oldest first", () =>
      Effect.gen(function*() {
        const repo = yield* ImportRepository
        // Long before every other job of the suite, which may share the database.
        const at = (iso: string) => DateTime.makeUnsafe(iso)
        const older = makeJob({ createdAt: at("2000-01-01T00:01:00Z") })
        const oldest = makeJob({ createdAt: at("2000-01-01T00:00:00Z") })
        const running = makeJob({ createdAt: at("2000-01-01T00:00:30Z"), status: "running" })
        const later = makeJob({ createdAt: at("2000-01-01T00:05:00Z") })
        for (const job of [older, oldest, running, later]) yield* repo.create(job)
        const queued = yield* repo.listQueued(at("2000-01-01T00:05:00Z"), 10)
        assert.deepStrictEqual(queued.map((job) => job.id), [oldest.id, older.id])
        assert.deepStrictEqual((yield* repo.listQueued(at("2000-01-01T00:05:00Z"), 1)).map((job) => job.id), [oldest.id])
      }))

    it.effect("lists imports newest first, a page at a time", () =>
      Effect.gen(function*() {
        const repo = yield* ImportRepository
        const jobs = [makeJob(), makeJob(), makeJob()]
        for (const job of jobs) yield* repo.create(job)
        const firstPage = yield* repo.list({ before: undefined, limit: 2 })
        assert.deepStrictEqual(firstPage.map((job) => job.id), [jobs[2]!.id, jobs[1]!.id])
        const next = yield* repo.list({ before: jobs[1]!.id, limit: 1 })
        assert.deepStrictEqual(next.map((job) => job.id), [jobs[0]!.id])
      }))
  })
