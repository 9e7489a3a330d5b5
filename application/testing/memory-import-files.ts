import { parse } from "csv-parse/sync"
import { Effect, Layer, Stream } from "effect"
import { ImportFileRejected } from "../imports/import-errors.ts"
import { ImportFiles, type ImportFileRow } from "../ports/import-files.ts"

/**
 * A plain reader for unit tests: UTF-8 comma-separated text read whole (test
 * files are a few rows). The streaming reader with encoding and delimiter
 * detection is the adapter's (adapters/import/csv-reader.ts).
 */
export const MemoryImportFiles = Layer.succeed(
  ImportFiles,
  ImportFiles.of({
    open: (bytes, { afterRow, batchSize }) =>
      Effect.gen(function*() {
        const chunks = yield* Stream.runCollect(bytes)
        const text = new TextDecoder().decode(Buffer.concat([...chunks]))
        const records: Array<Array<string>> = parse(text, { relax_column_count: true, skip_empty_lines: true })
        const [headers, ...data] = records
        if (headers === undefined) return yield* Effect.fail(new ImportFileRejected({ reason: "empty", message: "The file is empty" }))
        if (data.length === 0) {
          return yield* Effect.fail(new ImportFileRejected({ reason: "only_headers", message: "The file has a header and no rows" }))
        }
        const rows = data.map((cells, i): ImportFileRow => {
          const rowNumber = i + 2
          const raw = cells.join(",")
          if (cells.length !== headers.length) {
            return { rowNumber, values: null, problem: `Expected ${headers.length} columns, found ${cells.length}`, raw }
          }
          return { rowNumber, values: Object.fromEntries(headers.map((header, j) => [header, cells[j] ?? ""])), problem: null, raw }
        }).filter((row) => row.rowNumber > afterRow)
        const batches: Array<ReadonlyArray<ImportFileRow>> = []
        for (let i = 0; i < rows.length; i += batchSize) batches.push(rows.slice(i, i + batchSize))
        return { headers, delimiter: ",", batches: Stream.fromIterable(batches) }
      })
  })
)
