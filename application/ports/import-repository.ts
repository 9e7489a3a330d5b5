import { Context, type DateTime, type Effect, type Option } from "effect"
import type {
  ImportChange,
  ImportCounts,
  ImportId,
  ImportJob,
  ImportRowRecord,
  ImportStatus,
  RowOutcome
} from "../../domain/import/import-job.ts"

/** One committed batch: its rows' outcomes, what changed, and the new checkpoint. */
export interface ImportBatchRecord {
  readonly rows: ReadonlyArray<ImportRowRecord>
  readonly changes: ReadonlyArray<ImportChange>
  /** The batch's last row number; rows up to it are done. */
  readonly lastRow: number
  readonly layout: string | null
}

export interface StoredChange extends ImportChange {
  readonly seq: number
}

/**
 * Imports, their uploaded files (in chunks), each row's outcome and the
 * changes to undo (tables `imports`, `import_files`, `import_rows`,
 * `import_changes`). Batch writes join the caller's transaction.
 */
export class ImportRepository extends Context.Service<ImportRepository, {
  readonly create: (job: ImportJob) => Effect.Effect<void>
  /** Stores chunk `chunkNo` (0, 1, ...) of the file. */
  readonly appendChunk: (id: ImportId, chunkNo: number, bytes: Uint8Array) => Effect.Effect<void>
  /** Chunk `chunkNo` of the file, none past its end. */
  readonly readChunk: (id: ImportId, chunkNo: number) => Effect.Effect<Option.Option<Uint8Array>>
  /** Records the stored file's size and row count once the upload is checked. */
  readonly recordUpload: (id: ImportId, upload: {
    readonly byteSize: number
    readonly totalRows: number
    readonly headers: ReadonlyArray<string>
    readonly delimiter: string
  }) => Effect.Effect<void>
  /** Deletes an import with its file, outcomes and changes (a rejected upload). */
  readonly delete: (id: ImportId) => Effect.Effect<void>
  readonly findById: (id: ImportId) => Effect.Effect<Option.Option<ImportJob>>
  /** Imports still `queued` that were created before `createdBefore`, oldest first (for reconcileImports). */
  readonly listQueued: (createdBefore: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<ImportJob>>
  /** Newest first; `before` is the id of the last import of the previous page. */
  readonly list: (page: { readonly before: ImportId | undefined; readonly limit: number }) => Effect.Effect<ReadonlyArray<ImportJob>>
  readonly setStatus: (id: ImportId, change: {
    readonly status: ImportStatus
    readonly at: DateTime.Utc
    readonly error?: string | undefined
  }) => Effect.Effect<void>
  /**
   * Records a batch: outcomes, changes (the first change of an entity in an
   * import wins), counts and checkpoint. False, writing nothing, when the
   * checkpoint already covers the batch (it committed before a crash).
   */
  readonly commitBatch: (id: ImportId, batch: ImportBatchRecord) => Effect.Effect<boolean>
  /** Which of these contacts this import already created or changed (for merged_in_file across batches). */
  readonly touched: (id: ImportId, entity: "contact" | "property", ids: ReadonlyArray<string>) => Effect.Effect<ReadonlySet<string>>
  /**
   * Which of these contacts something refers to apart from this import's own
   * bookkeeping (its list memberships, its property links): a message, a
   * quote, a customer, a contact merged into it... Revert keeps those.
   */
  readonly referencedContacts: (id: ImportId, contactIds: ReadonlyArray<string>) => Effect.Effect<ReadonlySet<string>>
  /** Outcomes in row order after `afterRow`, optionally of one outcome. */
  readonly rows: (id: ImportId, query: {
    readonly outcome: RowOutcome | undefined
    readonly afterRow: number
    readonly limit: number
  }) => Effect.Effect<ReadonlyArray<ImportRowRecord>>
  /** Changes not yet reverted, newest first (undo in reverse order), up to `limit`. */
  readonly pendingChanges: (id: ImportId, limit: number) => Effect.Effect<ReadonlyArray<StoredChange>>
  /** Marks changes reverted or kept and adds them to the import's revert counts. */
  readonly markReverted: (id: ImportId, marks: ReadonlyArray<{
    readonly entity: "contact" | "property"
    readonly entityId: string
    readonly result: "reverted" | "kept"
  }>) => Effect.Effect<void>
}>()("crm/application/ports/ImportRepository") {}

export type { ImportCounts }
