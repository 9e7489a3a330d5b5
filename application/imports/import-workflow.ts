import { DateTime, Effect, Result, Schema, Stream } from "effect"
import { ClusterSchema } from "effect/cluster"
import { Activity, Workflow } from "effect/workflow"
import { ImportId, type ImportJob, type ImportStatus } from "../../domain/import/import-job.ts"
import { resolveLayout } from "../../domain/import/layouts.ts"
import { trackedWorkflow } from "../jobs/tracked-workflow.ts"
import { ImportFiles, type ImportFileRow } from "../ports/import-files.ts"
import { ImportFileRejected } from "./import-errors.ts"
import { ImportRepository } from "../ports/import-repository.ts"
import { Transactor } from "../ports/transactor.ts"
import { type BatchSettings, importBatch, mapBatch, type MappedFileRow } from "./import-batch.ts"
import { storedFile } from "./stored-file.ts"

/**
 * Rows per batch: one activity, one transaction. 5,000 measured about 13% less
 * CPU a row, but a server peak 70-90 MiB higher (three batches in flight and
 * their garbage); issue 9's memory target decides.
 */
export const IMPORT_BATCH_ROWS = 1000

/** Runs one import; the import id is the idempotency key, so starting it twice is one execution. */
export const ImportWorkflow = Workflow.make("imports.run", {
  payload: { importId: ImportId },
  idempotencyKey: ({ importId }) => importId
})

// Activity names are durable history: never rename them. A batch is named by
// its first row, which is the same on every replay (batches start after the
// last committed one and hold IMPORT_BATCH_ROWS rows).
const batchActivity = (settings: BatchSettings, rows: ReadonlyArray<ImportFileRow>, mapped: ReadonlyArray<MappedFileRow>) =>
  Activity.make({
    name: `imports.batch/${rows[0]?.rowNumber ?? 0}`,
    success: Schema.Boolean,
    execute: Effect.flatMap(Transactor, (tx) => tx.withTransaction(importBatch(settings, rows, mapped)))
  }).annotate(ClusterSchema.WithTransaction, true)

const statusActivity = (name: string, id: ImportId, status: ImportStatus, error?: string) =>
  Activity.make({
    name,
    execute: Effect.gen(function*() {
      const repo = yield* ImportRepository
      yield* repo.setStatus(id, { status, at: yield* DateTime.now, error })
    })
  }).annotate(ClusterSchema.WithTransaction, true)

/** Reads the stored file from after the last committed batch and imports it batch by batch. */
const runImport = (job: ImportJob) =>
  Effect.scoped(Effect.gen(function*() {
    const files = yield* ImportFiles
    const file = yield* files.open(yield* storedFile(job.id), { afterRow: job.checkpointRow, batchSize: IMPORT_BATCH_ROWS })
    const resolved = resolveLayout(file.headers, {
      layout: job.options.layout ?? undefined,
      mapping: job.options.mapping ?? undefined
    })
    // Checked when the file was uploaded; only a changed layout table could fail here.
    if (Result.isFailure(resolved)) return yield* Effect.fail(new ImportFileRejected({ reason: "not_csv", message: resolved.failure.message }))
    const settings: BatchSettings = {
      importId: job.id,
      options: job.options,
      mapping: resolved.success.mapping,
      layout: resolved.success.layout
    }
    // Reading and mapping (pure CPU work) run one batch ahead of the database
    // work, so the two overlap; batches still commit one at a time, in order,
    // each seeing the ones before it. The buffer holds one batch: memory stays
    // bounded whatever the file's size.
    yield* file.batches.pipe(
      Stream.map((rows) => ({ rows, mapped: mapBatch(settings.mapping, rows) })),
      Stream.buffer({ capacity: 1 }),
      Stream.runForEach(({ mapped, rows }) => (rows.length === 0 ? Effect.void : Effect.asVoid(batchActivity(settings, rows, mapped))))
    )
  }))

export const ImportWorkflowLayer = ImportWorkflow.toLayer(
  trackedWorkflow(ImportWorkflow, ({ importId }) =>
    Effect.gen(function*() {
      const repo = yield* ImportRepository
      const found = yield* repo.findById(importId)
      if (found._tag === "None" || found.value.status === "completed" || found.value.status.startsWith("revert")) return
      yield* statusActivity("imports.start", importId, "running")
      // Re-read after the start: on a resume the checkpoint has moved on.
      const job = yield* repo.findById(importId)
      if (job._tag === "None") return
      const failure = yield* runImport(job.value).pipe(
        Effect.as(null),
        Effect.catchTag("ImportFileRejected", (error) => Effect.succeed(error.message))
      )
      if (failure === null) yield* statusActivity("imports.complete", importId, "completed")
      else yield* statusActivity("imports.fail", importId, "failed", failure)
    }))
)
