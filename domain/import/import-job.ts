import { Schema } from "effect"
import { ContactListId, ImportId } from "../list/contact-list.ts"
import { LayoutId, MappingInput } from "./layouts.ts"

// One brand for both: a list member's import id and an import's own id must be the same type.
export { ImportId }

export const ImportStatus = Schema.Literals(["queued", "running", "completed", "failed", "reverting", "reverted"])
export type ImportStatus = typeof ImportStatus.Type

/** How rows meet existing contacts: create_or_update is the default. */
export const ImportMode = Schema.Literals(["create_only", "create_or_update", "update_only"])
export type ImportMode = typeof ImportMode.Type

/** Exactly one per row read (issue 9). */
export const RowOutcome = Schema.Literals(["created", "updated", "unchanged", "merged_in_file", "skipped", "rejected"])
export type RowOutcome = typeof RowOutcome.Type

export const ImportCounts = Schema.Struct({
  created: Schema.Int,
  updated: Schema.Int,
  unchanged: Schema.Int,
  merged_in_file: Schema.Int,
  skipped: Schema.Int,
  rejected: Schema.Int
}).annotate({ identifier: "ImportCounts" })
export type ImportCounts = typeof ImportCounts.Type

export const emptyCounts: ImportCounts = { created: 0, updated: 0, unchanged: 0, merged_in_file: 0, skipped: 0, rejected: 0 }

export const countOutcomes = (outcomes: Iterable<RowOutcome>): ImportCounts => {
  const counts = { ...emptyCounts }
  for (const outcome of outcomes) counts[outcome] += 1
  return counts
}

export const addCounts = (a: ImportCounts, b: ImportCounts): ImportCounts => ({
  created: a.created + b.created,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
  merged_in_file: a.merged_in_file + b.merged_in_file,
  skipped: a.skipped + b.skipped,
  rejected: a.rejected + b.rejected
})

export const totalOf = (counts: ImportCounts): number =>
  counts.created + counts.updated + counts.unchanged + counts.merged_in_file + counts.skipped + counts.rejected

export const ImportOptions = Schema.Struct({
  mode: ImportMode,
  /** Updates replace set fields too; otherwise they only fill empty ones. */
  overwrite: Schema.Boolean,
  /** A layout forced over detection, or null to detect. */
  layout: Schema.NullOr(LayoutId),
  /** Field -> column overrides over the layout's (domain/import/layouts.ts). */
  mapping: Schema.NullOr(MappingInput),
  /** The list every touched contact joins, if any. */
  listId: Schema.NullOr(ContactListId)
})
export type ImportOptions = typeof ImportOptions.Type

export const ImportJob = Schema.Struct({
  id: ImportId,
  status: ImportStatus,
  fileName: Schema.String,
  byteSize: Schema.Int,
  options: ImportOptions,
  /** The layout used (detected or forced), once reading started. */
  layout: Schema.NullOr(Schema.String),
  /** Data rows in the file, counted when it was uploaded (for progress). */
  totalRows: Schema.NullOr(Schema.Int),
  /** The file's header and delimiter, for rejected.csv. */
  headers: Schema.NullOr(Schema.Array(Schema.String)),
  delimiter: Schema.NullOr(Schema.String),
  rowsRead: Schema.Int,
  counts: ImportCounts,
  /** The last row of the last committed batch (0: none yet). */
  checkpointRow: Schema.Int,
  batchesCommitted: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  startedAt: Schema.NullOr(Schema.DateTimeUtc),
  finishedAt: Schema.NullOr(Schema.DateTimeUtc),
  error: Schema.NullOr(Schema.String),
  /** After a revert: entities restored or deleted, and entities kept because something refers to them since. */
  revertedCount: Schema.Int,
  keptCount: Schema.Int
}).annotate({ identifier: "ImportJob" })
export type ImportJob = typeof ImportJob.Type

/** One row's recorded outcome. */
export const ImportRowRecord = Schema.Struct({
  rowNumber: Schema.Int,
  outcome: RowOutcome,
  reason: Schema.NullOr(Schema.String),
  field: Schema.NullOr(Schema.String),
  contactIds: Schema.Array(Schema.String),
  propertyId: Schema.NullOr(Schema.String),
  /** The row as it came in (rejected rows only, for rejected.csv). */
  raw: Schema.NullOr(Schema.String)
}).annotate({ identifier: "ImportRow" })
export type ImportRowRecord = typeof ImportRowRecord.Type

/** What an import did to one entity, for revert. `before`/`after` hold only the changed fields. */
export interface ImportChange {
  readonly entity: "contact" | "property"
  readonly entityId: string
  readonly action: "created" | "updated"
  readonly before: Schema.Json | null
  readonly after: Schema.Json | null
}
