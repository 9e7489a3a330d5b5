import { parse } from "csv-parse/sync"
import { Effect, Layer, Stream } from "effect"
import { ImportFileRejected } from "../imports/import-errors.ts"
import { ImportFiles, type ImportFileRow } from "../ports/import-files.ts"

const DELIMITERS = [",", ";", "\t", "|"] as const

/** The candidate found most often on the header line (the adapter's sniffer weighs several lines). */
const sniffDelimiter = (text: string): string => {
  const header = text.split(/\r?\n/u, 1)[0] ?? ""
  const counts = DELIMITERS.map((delimiter) => header.split(delimiter).length - 1)
  const best = Math.max(...counts)
  return best === 0 ? "," : DELIMITERS[counts.indexOf(best)] ?? ","
}

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what Excel on Windows writes), as the adapter decides. */
const decode = (bytes: Uint8Array): string => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder("windows-1252").decode(bytes)
  }
}

/** Trimmed, unique, never blank: header names are the keys of a row's values. */
const uniqueHeaders = (raw: ReadonlyArray<string>): Array<string> => {
  const seen = new Map<string, number>()
  return raw.map((cell, index) => {
    const name = cell.trim() || `Column ${index + 1}`
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    return count === 1 ? name : `${name} (${count})`
  })
}

interface ParsedRecord {
  readonly record: Array<string>
  readonly raw: string
}

/** csv-parse's `raw: true` records ({ record, raw }), which its types do not say. */
const isParsedRecord = (value: unknown): value is ParsedRecord =>
  typeof value === "object" && value !== null && "record" in value && Array.isArray(value.record) &&
  "raw" in value && typeof value.raw === "string"

const rejected = (reason: ImportFileRejected["reason"], message: string) => Effect.fail(new ImportFileRejected({ reason, message }))

/**
 * A plain reader for unit tests: the file read whole (test files are a few
 * rows), with the adapter's rules in their simplest form. The streaming reader
 * with full encoding and delimiter detection is the adapter's
 * (adapters/import/csv-reader.ts); tests/support/port-suites/import-files.ts
 * holds both to the same behaviour.
 */
export const MemoryImportFiles = Layer.succeed(
  ImportFiles,
  ImportFiles.of({
    open: (bytes, { afterRow, batchSize }) =>
      Effect.gen(function*() {
        const chunks = yield* Stream.runCollect(bytes)
        const buffer = Buffer.concat([...chunks])
        if (buffer.length === 0) return yield* rejected("empty", "The file is empty")
        // NUL and other control characters: an image, archive or workbook, not text.
        if (buffer.includes(0)) return yield* rejected("not_csv", "This is not a CSV file: it contains NUL bytes")
        const text = decode(buffer)
        if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/u.test(text)) {
          return yield* rejected("not_csv", "This is not a CSV file: it holds control characters, not text")
        }
        const delimiter = sniffDelimiter(text)
        const parsed: Array<unknown> = parse(text, {
          delimiter,
          bom: true,
          raw: true,
          relax_quotes: true,
          relax_column_count: true,
          skip_empty_lines: true
        })
        const records = parsed.filter(isParsedRecord)
        const [header, ...data] = records
        if (header === undefined) return yield* rejected("empty", "The file holds no text")
        if (data.length === 0) return yield* rejected("only_headers", "The file has a header and no rows")
        const headers = uniqueHeaders(header.record)
        const rows = data.map(({ raw: text, record: cells }, i): ImportFileRow => {
          const rowNumber = i + 2
          const raw = text.replace(/\r?\n$|\r$/u, "")
          // A trailing empty cell from a trailing delimiter is not a column.
          const fits = cells.length === headers.length || (cells.length === headers.length + 1 && cells.at(-1) === "")
          if (!fits) return { rowNumber, values: null, problem: `Expected ${headers.length} columns, found ${cells.length}`, raw }
          return { rowNumber, values: Object.fromEntries(headers.map((name, j) => [name, cells[j] ?? ""])), problem: null, raw }
        }).filter((row) => row.rowNumber > afterRow)
        const batches: Array<ReadonlyArray<ImportFileRow>> = []
        for (let i = 0; i < rows.length; i += batchSize) batches.push(rows.slice(i, i + batchSize))
        return { headers, delimiter, batches: Stream.fromIterable(batches) }
      })
  })
)
