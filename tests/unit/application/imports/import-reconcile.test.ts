import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { reconcileImports } from "../../../../application/imports/import-reconcile.ts"
import { ImportWorkflow } from "../../../../application/imports/import-workflow.ts"
import { Imports } from "../../../../application/imports/imports.ts"
import { ImportRepository } from "../../../../application/ports/import-repository.ts"
import { TestApplication } from "../../../../application/testing/index.ts"
import { emptyCounts, ImportId, type ImportJob } from "../../../../domain/import/import-job.ts"

const FILE = "First Name,Phone\nAnn,720 555 0101\nBob,720 555 0102\n"

/**
 * What `Imports.start` leaves when its process is killed: the import row and
 * its chunks, and, if the upload was read through, its recorded size and rows,
 * but no job.
 */
const crashedUpload = (id: string, { checked }: { readonly checked: boolean }) =>
  Effect.gen(function*() {
    const repo = yield* ImportRepository
    const job: ImportJob = {
      id: ImportId.make(id), status: "queued", fileName: "leads.csv", byteSize: 0,
      options: { mode: "create_or_update", overwrite: false, layout: null, mapping: null, listId: null },
      layout: null, totalRows: null, headers: null, delimiter: null, rowsRead: 0, counts: emptyCounts, checkpointRow: 0,
      batchesCommitted: 0, createdAt: yield* DateTime.now, startedAt: null, finishedAt: null, error: null, revertedCount: 0, keptCount: 0
    }
    yield* repo.create(job)
    yield* repo.appendChunk(job.id, 0, new TextEncoder().encode(FILE))
    if (checked) yield* repo.recordUpload(job.id, { byteSize: FILE.length, totalRows: 2, headers: ["First Name", "Phone"], delimiter: "," })
    return job.id
  })

const ID = (n: number) => `0190a000-0000-7000-8000-00000000000${n}`

describe("reconcileImports", () => {
  it.effect("starts a checked upload left queued with no job, once; deletes an upload cut off before it was checked", () =>
    Effect.gen(function*() {
      const imports = yield* Imports
      const orphan = yield* crashedUpload(ID(1), { checked: true })
      const cutOff = yield* crashedUpload(ID(2), { checked: false })
      yield* TestClock.adjust("2 minutes")
      // Uploaded just now: its own start may still be on its way.
      const recent = yield* crashedUpload(ID(3), { checked: true })

      assert.deepStrictEqual(yield* reconcileImports, { started: [orphan], deleted: [] })
      // Joins the execution the reconcile started and waits for it.
      yield* ImportWorkflow.execute({ importId: orphan })
      const done = yield* imports.get(orphan)
      assert.deepStrictEqual([done.status, done.rowsRead, done.counts.created], ["completed", 2, 2])
      assert.strictEqual((yield* imports.get(recent)).status, "queued")

      // A while later: the recent one lost its start too; the cut-off upload is given up.
      yield* TestClock.adjust("1 hour")
      assert.deepStrictEqual(yield* reconcileImports, { started: [recent], deleted: [cutOff] })
      assert.isTrue(Option.isNone(yield* (yield* ImportRepository).findById(cutOff)))
      yield* ImportWorkflow.execute({ importId: recent })
      // Nothing left to repair: a finished execution is never started again.
      assert.deepStrictEqual(yield* reconcileImports, { started: [], deleted: [] })
    }).pipe(Effect.provide(TestApplication)))
})
