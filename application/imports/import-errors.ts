import { Schema } from "effect"

/** Why a file cannot be imported (mirrors the CSV reader's reasons, plus the upload's own). */
export const ImportFileProblem = Schema.Literals([
  "empty", "only_headers", "too_many_columns", "cell_too_large", "file_too_large", "invalid_encoding", "not_csv",
  "no_file"
])
export type ImportFileProblem = typeof ImportFileProblem.Type

/** The file cannot be read as an import: nothing of it is kept. */
export class ImportFileRejected extends Schema.TaggedError<ImportFileRejected>()("ImportFileRejected", {
  reason: ImportFileProblem,
  message: Schema.String
}) {}

/** The columns fit no layout and no usable mapping was given. */
export class ImportLayoutRejected extends Schema.TaggedError<ImportLayoutRejected>()("ImportLayoutRejected", {
  field: Schema.String,
  message: Schema.String,
  headers: Schema.Array(Schema.String)
}) {}

export class ImportNotFound extends Schema.TaggedError<ImportNotFound>()("ImportNotFound", {
  id: Schema.String
}) {}

/** The import is not in a state that allows this (revert of a running import, a second revert). */
export class ImportStateConflict extends Schema.TaggedError<ImportStateConflict>()("ImportStateConflict", {
  id: Schema.String,
  status: Schema.String,
  message: Schema.String
}) {}
