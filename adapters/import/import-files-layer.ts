import { Effect, Layer, Stream } from "effect"
import { Readable } from "node:stream"
import { ImportFileRejected } from "../../application/imports/import-errors.ts"
import { ImportFiles, type ImportFileRow } from "../../application/ports/import-files.ts"
import { type CsvReadError, type CsvRecord, openCsv } from "./csv-reader.ts"

const rejected = (error: CsvReadError) => new ImportFileRejected({ reason: error.reason, message: error.message })

const toRow = (record: CsvRecord): ImportFileRow =>
  record._tag === "Row"
    ? { rowNumber: record.rowNumber, values: record.values, problem: null, raw: record.raw }
    : { rowNumber: record.rowNumber, values: null, problem: record.error, raw: record.raw }

/** Import files through the streaming CSV reader (csv-reader.ts). */
export const ImportFilesLive = Layer.succeed(
  ImportFiles,
  ImportFiles.of({
    open: (bytes, { afterRow, batchSize }) =>
      Effect.gen(function*() {
        // The reader takes a Node stream; an upload error surfaces as the
        // stream's error and is rethrown as the reader's "not_csv".
        let uploadError: ImportFileRejected | null = null
        const source = bytes.pipe(Stream.tapError((error) => Effect.sync(() => {
          uploadError = error
        })))
        const file = yield* openCsv(() => Readable.fromWeb(Stream.toReadableStream(source)), {
          afterRow: Math.max(afterRow, 1),
          batchSize
        }).pipe(Effect.mapError((error) => uploadError ?? rejected(error)))
        return {
          headers: file.headers,
          delimiter: file.delimiter,
          batches: file.batches.pipe(
            Stream.map((batch) => batch.rows.map(toRow)),
            Stream.mapError((error) => uploadError ?? rejected(error))
          )
        }
      })
  })
)
