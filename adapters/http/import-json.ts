import { Schema } from "effect"
import type { ImportPreview, PreviewRow } from "../../application/imports/imports.ts"
import { ImportCounts, type ImportJob, ImportMode, type ImportRowRecord, ImportStatus, RowOutcome } from "../../domain/import/import-job.ts"
import { iso, Timestamp } from "./json-views.ts"

const MappingJson = Schema.Record(Schema.String, Schema.NullOr(Schema.Union([Schema.String, Schema.Array(Schema.String)])))

export const ImportJson = Schema.Struct({
  id: Schema.String,
  status: ImportStatus,
  fileName: Schema.String,
  byteSize: Schema.Int,
  mode: ImportMode,
  overwrite: Schema.Boolean,
  layout: Schema.NullOr(Schema.String).annotate({ description: "The layout used (detected or forced)" }),
  mapping: Schema.NullOr(MappingJson).annotate({ description: "The explicit mapping sent with the upload, if any" }),
  listId: Schema.NullOr(Schema.String),
  totalRows: Schema.NullOr(Schema.Int).annotate({ description: "Data rows in the file" }),
  rowsRead: Schema.Int.annotate({ description: "Rows with an outcome so far; the counts add up to it" }),
  progress: Schema.Number.annotate({ description: "rowsRead / totalRows, 0 to 1" }),
  counts: ImportCounts,
  createdAt: Timestamp,
  startedAt: Schema.NullOr(Timestamp),
  finishedAt: Schema.NullOr(Timestamp),
  error: Schema.NullOr(Schema.String),
  revertedCount: Schema.Int.annotate({ description: "After a revert: contacts and properties deleted or restored" }),
  keptCount: Schema.Int.annotate({ description: "After a revert: ones kept because something refers to them or changed them since" })
}).annotate({ identifier: "Import" })

export const importJson = (job: ImportJob): typeof ImportJson.Type => ({
  id: job.id,
  status: job.status,
  fileName: job.fileName,
  byteSize: job.byteSize,
  mode: job.options.mode,
  overwrite: job.options.overwrite,
  layout: job.layout ?? job.options.layout,
  mapping: job.options.mapping,
  listId: job.options.listId,
  totalRows: job.totalRows,
  rowsRead: job.rowsRead,
  progress: job.totalRows === null || job.totalRows === 0 ? (job.status === "completed" ? 1 : 0) : job.rowsRead / job.totalRows,
  counts: job.counts,
  createdAt: iso(job.createdAt),
  startedAt: job.startedAt === null ? null : iso(job.startedAt),
  finishedAt: job.finishedAt === null ? null : iso(job.finishedAt),
  error: job.error,
  revertedCount: job.revertedCount,
  keptCount: job.keptCount
})

export const ImportRowJson = Schema.Struct({
  rowNumber: Schema.Int.annotate({ description: "The row in the file; the header is row 1" }),
  outcome: RowOutcome,
  reason: Schema.NullOr(Schema.String),
  field: Schema.NullOr(Schema.String),
  contactIds: Schema.Array(Schema.String),
  propertyId: Schema.NullOr(Schema.String)
}).annotate({ identifier: "ImportRow" })

export const importRowJson = (row: ImportRowRecord): typeof ImportRowJson.Type => ({
  rowNumber: row.rowNumber,
  outcome: row.outcome,
  reason: row.reason,
  field: row.field,
  contactIds: row.contactIds,
  propertyId: row.propertyId
})

// Preview rows carry the stored fields as JSON text: their shapes (contact,
// property) are documented by the Contact and Property resources.
export const PreviewRowJson = Schema.Struct({
  rowNumber: Schema.Int,
  status: Schema.Literals(["mapped", "skipped", "rejected"]),
  reason: Schema.NullOr(Schema.String),
  field: Schema.NullOr(Schema.String),
  contacts: Schema.Array(Schema.Record(Schema.String, Schema.Unknown)),
  property: Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown))
}).annotate({ identifier: "ImportPreviewRow" })

export const ImportPreviewJson = Schema.Struct({
  headers: Schema.Array(Schema.String),
  layout: Schema.String.annotate({ description: "The detected or forced layout, or `custom`" }),
  score: Schema.Number.annotate({ description: "Share of the layout's signature headers present" }),
  mapping: Schema.Record(Schema.String, Schema.Array(Schema.String)).annotate({ description: "Our field -> the file's columns" }),
  unmappedHeaders: Schema.Array(Schema.String),
  rows: Schema.Array(PreviewRowJson)
}).annotate({ identifier: "ImportPreview" })

const previewRowJson = (row: PreviewRow): typeof PreviewRowJson.Type => {
  switch (row.status) {
    case "mapped":
      return { rowNumber: row.rowNumber, status: row.status, reason: null, field: null, contacts: [...row.contacts], property: row.property }
    case "skipped":
      return { rowNumber: row.rowNumber, status: row.status, reason: row.reason, field: null, contacts: [], property: null }
    case "rejected":
      return { rowNumber: row.rowNumber, status: row.status, reason: row.reason, field: row.field, contacts: [], property: null }
  }
}

export const importPreviewJson = (preview: ImportPreview): typeof ImportPreviewJson.Type => ({
  headers: preview.headers,
  layout: preview.layout.layout,
  score: preview.layout.score,
  mapping: Object.fromEntries(Object.entries(preview.layout.mapping).map(([field, columns]) => [field, columns ?? []])),
  unmappedHeaders: preview.layout.unmappedHeaders,
  rows: preview.rows.map(previewRowJson)
})
