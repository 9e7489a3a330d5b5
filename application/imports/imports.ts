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
import { ImportWorkflow } from "./import-workflow.ts"
import { CHUNK_BYTES, storedFile } from "./stored-file.ts"

/** The upload limit. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024
export const PREVIEW_ROWS = 20

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

const tooLarge = () =>
  new ImportFileRejected({ reason: "file_too_large", message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB` })

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
  /** Needs ImportRepository, ImportFiles, ContactListRepository, Ids and the WorkflowEngine. */
  static readonly layer = Layer.effect(
    Imports,
    Effect.gen(function*() {
      const repo = yield* ImportRepository
      const files = yield* ImportFiles
      const lists = yield* ContactListRepository
      const ids = yield* Ids
      const engine = yield* WorkflowEngine.WorkflowEngine

      const load = (id: ImportId) =>
        Effect.flatMap(repo.findById(id), Option.match({
          onNone: () => Effect.fail(new ImportNotFound({ id })),
          onSome: Effect.succeed
        }))

      // Stores the upload in chunks of CHUNK_BYTES as it arrives: memory holds one chunk.
      const store = (id: ImportId, bytes: ImportUpload["bytes"]) =>
        Effect.gen(function*() {
          let pending: Array<Uint8Array> = []
          let pendingBytes = 0
          let chunkNo = 0
          let total = 0
          const flush = Effect.suspend(() => {
            if (pendingBytes === 0) return Effect.void
            const chunk = Buffer.concat(pending, pendingBytes)
            pending = []
            pendingBytes = 0
            return repo.appendChunk(id, chunkNo++, chunk)
          })
          yield* Stream.runForEach(bytes, (piece) =>
            Effect.gen(function*() {
              total += piece.length
              if (total > MAX_IMPORT_BYTES) return yield* Effect.fail(tooLarge())
              pending.push(piece)
              pendingBytes += piece.length
              if (pendingBytes >= CHUNK_BYTES) yield* flush
            }))
          yield* flush
          if (total === 0) return yield* Effect.fail(new ImportFileRejected({ reason: "empty", message: "The file is empty" }))
          return total
        })

      // One full pass over the stored file: every reading error surfaces now,
      // before any row is imported, and the row count gives progress its total.
      const check = (job: ImportJob) =>
        Effect.scoped(Effect.gen(function*() {
          const bytes = yield* storedFile(job.id).pipe(Effect.provideService(ImportRepository, repo))
          const file = yield* files.open(bytes, { afterRow: 0, batchSize: 5000 })
          yield* layoutOf(file.headers, job.options)
          const totalRows = yield* Stream.runFold(file.batches, () => 0, (count, rows) => count + rows.length)
          return { totalRows, headers: file.headers, delimiter: file.delimiter }
        }))

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
            const byteSize = yield* store(id, upload.bytes)
            const file = yield* check(job)
            yield* repo.recordUpload(id, { byteSize, ...file })
            return { ...job, byteSize, ...file }
          }).pipe(
            // A refused file leaves nothing behind.
            Effect.onError(() => repo.delete(id))
          )
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
