import { Context, type Effect, type Scope, type Stream } from "effect"
import type { ImportFileRejected } from "../imports/import-errors.ts"

/** A data row of an import file; the header is row 1, as a spreadsheet numbers it. */
export interface ImportFileRow {
  readonly rowNumber: number
  /** Header -> cell; null when the row could not be split into the header's columns. */
  readonly values: Readonly<Record<string, string>> | null
  /** Why `values` is null. */
  readonly problem: string | null
  /** The row's text as it came in, for rejected.csv. */
  readonly raw: string
}

export interface OpenedImportFile {
  readonly headers: ReadonlyArray<string>
  /** The field delimiter found (",", ";", tab or "|"). */
  readonly delimiter: string
  /** Data rows after `afterRow`, in batches of `batchSize`; one pass. */
  readonly batches: Stream.Stream<ReadonlyArray<ImportFileRow>, ImportFileRejected>
}

/**
 * Reads an import file as rows (the adapter detects encoding and delimiter and
 * streams: never the whole file in memory). Opening fails for a file that
 * cannot be read at all (empty, header only, binary, bad encoding).
 */
export class ImportFiles extends Context.Service<ImportFiles, {
  readonly open: (
    bytes: Stream.Stream<Uint8Array, ImportFileRejected>,
    options: { readonly afterRow: number; readonly batchSize: number }
  ) => Effect.Effect<OpenedImportFile, ImportFileRejected, Scope.Scope>
}>()("crm/application/ports/ImportFiles") {}
