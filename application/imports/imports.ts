import { Context, DateTime, Effect, Layer, Option, Result, Stream } from "effect"
import { WorkflowEngine } from "effect/workflow"
import type { ContactFields } from "../../domain/contact.ts"
import {
  emptyCounts,
  ImportId,
  type ImportJob,
  type ImportOptions,
  type ImportRowRecord,
  type RowOutcome
} from "../../domain/import/import-job.ts"
import { type ResolvedLayout, resolveLayout } from "../../domain/import/layouts.ts"
import { mapRow } from "../../domain/import/row-mapping.ts"
import type { PropertyFields } from "../../domain/property/property.ts"
import { ContactListNotFound } from "../lists/list-errors.ts"
import { type Page, type PageRequest, toPage } from "../pagination.ts"
import { ContactListRepository } from "../ports/contact-list-repository.ts"
import { Ids } from "../ports/ids.ts"
import { ImportFiles } from "../ports/import-files.ts"
import { ImportRepository } from "../ports/import-repository.ts"
import { ImportFileRejected, ImportLayoutRejected, ImportNotFound, ImportStateConflict } from "./import-errors.ts"
import { RevertImportWorkflow } from "./import-revert.ts"
import { ImportLimits } from "./import-limits.ts"
import { ImportWorkflow } from "./import-workflow.ts"
import { chunkedUpload } from "./upload-chunks.ts"

export { DEFAULT_MAX_IMPORT_BYTES, ImportLimits } from "./import-limits.ts"
export const PREVIEW_ROWS = 20
/** Rows per batch while counting an upload's rows: memory holds one batch. */
const COUNT_BATCH_ROWS = 1000

export interface ImportUpload {
  readonly fileName: string
  readonly bytes: Stream.Stream<Uint8Array, ImportFileRejected>
  readonly options: ImportOptions
}

/** A row as the import would store it (before matching against the database). */
export type PreviewRow =
  | { readonly rowNumber: number; readonly status: "mapped"; readonly contacts: ReadonlyArray<ContactFields>; readonly property: PropertyFields | null }
  | { readonly rowNumber: number; readonly status: "skipped"; readonly reason: string }
  | { readonly rowNumber: number; readonly status: "rejected"; readonly field: string; readonly reason: string }

export interface ImportPreview {
  readonly headers: ReadonlyArray<string>
  readonly layout: ResolvedLayout
  readonly rows: ReadonlyArray<PreviewRow>
}

type UploadError = ImportFileRejected | ImportLayoutRejected | ContactListNotFound

const layoutOf = (headers: ReadonlyArray<string>, options: Pick<ImportOptions, "layout" | "mapping">) => {
  const resolved = resolveLayout(headers, { layout: options.layout ?? undefined, mapping: options.mapping ?? undefined })
  return Result.isSuccess(resolved)
    ? Effect.succeed(resolved.success)
    : Effect.fail(new ImportLayoutRejected({
      field: resolved.failure._tag === "InvalidMapping" ? resolved.failure.field : "layout",
      message: resolved.failure.message,
      headers: [...headers]
    }))
}

/** Imports of contacts and properties from CSV files, run as durable jobs. */
export class Imports extends Context.Service<Imports, {
  /**
   * Stores the file, reads it through once (a bad file, or one no layout
   * fits, is refused and nothing of it kept), and starts the import job.
   */
  readonly start: (upload: ImportUpload) => Effect.Effect<ImportJob, UploadError>
  /** The detected layout and mapping and the first rows as they would be stored; changes nothing. */
  readonly preview: (
    bytes: Stream.Stream<Uint8Array, ImportFileRejected>,
    options: Pick<ImportOptions, "layout" | "mapping">
  ) => Effect.Effect<ImportPreview, ImportFileRejected | ImportLayoutRejected>
  readonly get: (id: ImportId) => Effect.Effect<ImportJob, ImportNotFound>
  readonly list: (page: PageRequest<ImportId>) => Effect.Effect<Page<ImportJob, ImportId>>
  readonly rows: (
    id: ImportId,
    query: { readonly outcome: RowOutcome | undefined; readonly page: PageRequest<number> }
  ) => Effect.Effect<Page<ImportRowRecord, number>, ImportNotFound>
  /** Every rejected row, in row order, for rejected.csv. */
  readonly rejectedRows: (id: ImportId) => Effect.Effect<Stream.Stream<ImportRowRecord>, ImportNotFound>
  /** Starts undoing a finished import. */
  readonly revert: (id: ImportId) => Effect.Effect<ImportJob, ImportNotFound | ImportStateConflict>
}>()("crm/application/imports/Imports") {
  /** Needs ImportRepository, ImportFiles, ContactListRepository, Ids, ImportLimits and the WorkflowEngine. */
  static readonly layer = Layer.effect(
    Imports,
    Effect.gen(function*() {
      const repo = yield* ImportRepository
      const files = yield* ImportFiles
      const lists = yield* ContactListRepository
      const ids = yield* Ids
      const engine = yield* WorkflowEngine.WorkflowEngine
      const { maxBytes } = yield* ImportLimits

      const load = (id: ImportId) =>
        Effect.flatMap(repo.findById(id), Option.match({
          onNone: () => Effect.fail(new ImportNotFound({ id })),
          onSome: Effect.succeed
        }))

      // One pass over the upload: each piece is stored (chunkedUpload) as the
      // reader pulls it; the reader sniffs encoding, delimiter and header from
      // the first bytes (an unknown layout fails there, before the rest is
      // read) and then reads every row, so any reading error surfaces now,
      // before a row is imported, and the row count gives progress its total.
      const receive = (job: ImportJob, bytes: ImportUpload["bytes"]) =>
        Effect.suspend(() => {
          const upload = chunkedUpload(repo, job.id, bytes, maxBytes)
          const read = Effect.gen(function*() {
            const file = yield* files.open(upload.bytes, { afterRow: 0, batchSize: COUNT_BATCH_ROWS })
            yield* layoutOf(file.headers, job.options)
            const totalRows = yield* Stream.runFold(file.batches, () => 0, (count, rows) => count + rows.length)
            const byteSize = yield* upload.finish
            return { byteSize, totalRows, headers: file.headers, delimiter: file.delimiter }
          })
          return Effect.scoped(read).pipe(Effect.catchTag("ImportFileRejected", (error) => {
            const failure = upload.storageFailure()
            return failure === undefined ? Effect.fail(error) : Effect.failCause(failure)
          }))
        })

      const start = (upload: ImportUpload) =>
        Effect.gen(function*() {
          if (upload.options.listId !== null && Option.isNone(yield* lists.findById(upload.options.listId))) {
            return yield* Effect.fail(new ContactListNotFound({ id: upload.options.listId }))
          }
          const id = ImportId.make(yield* ids.next)
          const job: ImportJob = {
            id,
            status: "queued",
            fileName: upload.fileName,
            byteSize: 0,
            options: upload.options,
            layout: null,
            totalRows: null,
            headers: null,
            delimiter: null,
            rowsRead: 0,
            counts: emptyCounts,
            checkpointRow: 0,
            batchesCommitted: 0,
            createdAt: yield* DateTime.now,
            startedAt: null,
            finishedAt: null,
            error: null,
            revertedCount: 0,
            keptCount: 0
          }
          yield* repo.create(job)
          const checked = yield* Effect.gen(function*() {
            const file = yield* receive(job, upload.bytes)
            yield* repo.recordUpload(id, file)
            return { ...job, ...file }
          }).pipe(
            // A refused file leaves nothing behind. (A process killed before
            // this point leaves an upload never recorded: reconcileImports
            // deletes it.)
            Effect.onError(() => repo.delete(id))
          )
          // A process killed between the record above and this start leaves
          // the import queued with no job: reconcileImports starts it.
          yield* ImportWorkflow.execute({ importId: id }, { discard: true }).pipe(
            Effect.provideService(WorkflowEngine.WorkflowEngine, engine)
          )
          return checked
        })

      const preview = (bytes: ImportUpload["bytes"], options: Pick<ImportOptions, "layout" | "mapping">) =>
        Effect.scoped(Effect.gen(function*() {
          // Only the first rows are read; closing the scope stops the upload there.
          const file = yield* files.open(bytes, { afterRow: 0, batchSize: PREVIEW_ROWS })
          const layout = yield* layoutOf(file.headers, options)
          const first = yield* Stream.runHead(file.batches)
          const rows = Option.getOrElse(first, () => []).slice(0, PREVIEW_ROWS).map((row): PreviewRow => {
            if (row.values === null) {
              return { rowNumber: row.rowNumber, status: "rejected", field: "row", reason: row.problem ?? "Unreadable row" }
            }
            const mapped = mapRow(row.values, layout.mapping)
            switch (mapped._tag) {
              case "Rejected":
                return { rowNumber: row.rowNumber, status: "rejected", field: mapped.field, reason: mapped.reason }
              case "Skipped":
                return { rowNumber: row.rowNumber, status: "skipped", reason: mapped.reason }
              case "Mapped":
                return {
                  rowNumber: row.rowNumber,
                  status: "mapped",
                  contacts: mapped.contacts.map((contact) => contact.fields),
                  property: mapped.property?.fields ?? null
                }
            }
          })
          return { headers: file.headers, layout, rows }
        }))

      const rejectedRows = (id: ImportId) =>
        Effect.as(
          load(id),
          Stream.paginate(0, (afterRow: number) =>
            Effect.map(repo.rows(id, { outcome: "rejected", afterRow, limit: 1000 }), (rows) => {
              const last = rows.at(-1)
              return [rows, last === undefined || rows.length < 1000 ? Option.none() : Option.some(last.rowNumber)] as const
            }))
        )

      const revert = (id: ImportId) =>
        Effect.gen(function*() {
          const job = yield* load(id)
          if (job.status !== "completed" && job.status !== "failed") {
            return yield* Effect.fail(new ImportStateConflict({
              id,
              status: job.status,
              message: job.status === "reverting" || job.status === "reverted"
                ? "The import is already reverted or being reverted"
                : "Only a finished import can be reverted"
            }))
          }
          const now = yield* DateTime.now
          yield* repo.setStatus(id, { status: "reverting", at: now })
          yield* RevertImportWorkflow.execute({ importId: id }, { discard: true }).pipe(
            Effect.provideService(WorkflowEngine.WorkflowEngine, engine)
          )
          return { ...job, status: "reverting" as const }
        })

      return Imports.of({
        start,
        preview,
        get: load,
        list: (page) =>
          Effect.map(repo.list({ before: page.after, limit: page.limit + 1 }), (rows) => toPage(rows, page.limit, (job) => job.id)),
        rows: (id, { outcome, page }) =>
          Effect.flatMap(load(id), () =>
            Effect.map(
              repo.rows(id, { outcome, afterRow: page.after ?? 0, limit: page.limit + 1 }),
              (rows) => toPage(rows, page.limit, (row) => row.rowNumber)
            )),
        rejectedRows,
        revert
      })
    })
  )
}
