import { type CsvError, parse } from "csv-parse"
import { Effect, Schema, type Scope, Stream } from "effect"
import iconv from "iconv-lite"
import { Readable } from "node:stream"
import { type CsvDelimiter, type CsvEncoding, headerColumnCount, looksBinary, sniffDelimiter, sniffEncoding } from "./csv-sniff.ts"

/**
 * Streaming CSV reading for imports: bytes -> text (encoding detected) ->
 * records (csv-parse) -> batches, never the whole file in memory. Broken rows
 * are reported as rows, not thrown; only a file that cannot be read at all
 * (empty, binary, too large, undecodable) fails, with a typed reason the HTTP
 * layer turns into a 4xx.
 */

export const CsvFailure = Schema.Literals([
  "empty", "only_headers", "too_many_columns", "cell_too_large", "file_too_large", "invalid_encoding", "not_csv"
])
export type CsvFailure = typeof CsvFailure.Type

export class CsvReadError extends Schema.TaggedError<CsvReadError>()("CsvReadError", {
  reason: CsvFailure,
  message: Schema.String,
  /** The row (header = 1) where reading stopped, when it stopped at one. */
  rowNumber: Schema.NullOr(Schema.Int)
}) {}

/** A data row: 1-based row number counting the header as row 1 (as a spreadsheet shows it). */
export interface CsvRow {
  readonly _tag: "Row"
  readonly rowNumber: number
  readonly values: Readonly<Record<string, string>>
  /** The row's text as it came in, for rejected.csv. */
  readonly raw: string
}

/** A row that could not be split into the header's columns; it is reported, not lost. */
export interface CsvBadRow {
  readonly _tag: "BadRow"
  readonly rowNumber: number
  readonly raw: string
  readonly error: string
}

export type CsvRecord = CsvRow | CsvBadRow

export interface CsvBatch {
  readonly rows: ReadonlyArray<CsvRecord>
}

export interface CsvFile {
  /** Header names, trimmed and made unique ("Phone", "Phone (2)"). */
  readonly headers: ReadonlyArray<string>
  readonly encoding: CsvEncoding
  readonly delimiter: CsvDelimiter
  /** Data rows in batches; single pass. */
  readonly batches: Stream.Stream<CsvBatch, CsvReadError>
}

export interface CsvReaderOptions {
  readonly batchSize?: number | undefined
  readonly maxColumns?: number | undefined
  readonly maxCellChars?: number | undefined
  readonly maxBytes?: number | undefined
  /** Rows up to this number are read but not yielded (resuming after a checkpoint). */
  readonly afterRow?: number | undefined
}

export const CSV_LIMITS = {
  batchSize: 1000,
  maxColumns: 500,
  /** 64 KiB: far more than any real cell; a bigger one is a broken file (an unclosed quote swallowing the rest). */
  maxCellChars: 65_536,
  /** The upload limit. */
  maxBytes: 50 * 1024 * 1024,
  /** A record (all its cells) may hold this many characters; bounds csv-parse's buffer. */
  maxRecordChars: 1024 * 1024,
  sampleBytes: 64 * 1024
} as const

const fail = (reason: CsvFailure, message: string, rowNumber: number | null = null) =>
  new CsvReadError({ reason, message, rowNumber })

/** A stream in string mode (setEncoding, Readable.from of strings) still yields bytes here. */
const asBytes = (chunks: AsyncIterator<unknown>): AsyncIterator<Uint8Array> => ({
  next: async () => {
    const next = await chunks.next()
    if (next.done === true) return { done: true, value: undefined }
    const chunk: unknown = next.value
    return { done: false, value: chunk instanceof Uint8Array ? chunk : Buffer.from(String(chunk), "utf8") }
  },
  return: async () => {
    await chunks.return?.(undefined)
    return { done: true, value: undefined }
  }
})

/** Buffers the first `size` bytes (or the whole file if smaller) and hands back the rest unread. */
const takeSample = async (iterator: AsyncIterator<Uint8Array>, size: number) => {
  const chunks: Array<Uint8Array> = []
  let length = 0
  let done = false
  while (length < size) {
    const next = await iterator.next()
    if (next.done === true) {
      done = true
      break
    }
    chunks.push(next.value)
    length += next.value.length
  }
  return { sample: Buffer.concat(chunks), done }
}

type TextDecoderLike = { readonly write: (bytes: Uint8Array) => string; readonly end: () => string }

/**
 * UTF-8 goes through the platform's strict decoder, so a bad byte anywhere (not
 * only in the sample) fails the file; iconv-lite decodes the rest and marks bad
 * bytes with U+FFFD, which is taken as invalid for them (Windows-1252 leaves
 * five bytes undefined; a real CSV in UTF-16 carries no U+FFFD either).
 */
const decoderFor = (encoding: CsvEncoding, bomLength: number): TextDecoderLike => {
  if (encoding === "utf-8") {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: bomLength === 0 })
    return {
      write: (bytes) => decoder.decode(bytes, { stream: true }),
      end: () => decoder.decode()
    }
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: true })
  let odd = 0
  const checked = (text: string): string => {
    if (text.includes("\uFFFD")) throw fail("invalid_encoding", `The file is not valid ${encoding} text`)
    return text
  }
  return {
    write: (bytes) => {
      odd = (odd + bytes.length) % 2
      return checked(decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)))
    },
    end: () => {
      if (encoding !== "windows-1252" && odd !== 0) throw fail("invalid_encoding", `The file ends inside a ${encoding} character`)
      return checked(decoder.end() ?? "")
    }
  }
}

async function* decodeText(
  first: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  decoder: TextDecoderLike,
  encoding: CsvEncoding,
  maxBytes: number
): AsyncGenerator<string> {
  let bytes = first.length
  const decode = (chunk: Uint8Array | null): string => {
    try {
      return chunk === null ? decoder.end() : decoder.write(chunk)
    } catch (error) {
      if (error instanceof CsvReadError) throw error
      throw fail("invalid_encoding", `The file is not valid ${encoding} text (near byte ${bytes}); save it as "CSV UTF-8" and upload it again`)
    }
  }
  yield decode(first)
  while (true) {
    const next = await rest.next()
    if (next.done === true) break
    bytes += next.value.length
    if (bytes > maxBytes) throw fail("file_too_large", `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`)
    yield decode(next.value)
  }
  yield decode(null)
}

/** Trimmed, BOM-free, unique, never blank: a header row is keys of a record. */
const uniqueHeaders = (raw: ReadonlyArray<string>): Array<string> => {
  const seen = new Map<string, number>()
  return raw.map((cell, index) => {
    const name = cell.replace(/^\uFEFF/u, "").trim() || `Column ${index + 1}`
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    return count === 1 ? name : `${name} (${count})`
  })
}

interface ParsedRecord {
  readonly record: Array<string>
  readonly raw: string
}

const isParsedRecord = (value: unknown): value is ParsedRecord =>
  typeof value === "object" && value !== null && "record" in value && "raw" in value

/** Interleaves csv-parse's records with the ones it skipped, numbering both in file order. */
async function* records(text: AsyncIterable<string>, delimiter: CsvDelimiter): AsyncGenerator<
  { readonly rowNumber: number; readonly cells: Array<string>; readonly raw: string } |
  { readonly rowNumber: number; readonly raw: string; readonly error: string }
> {
  const skipped: Array<{ readonly after: number; readonly raw: string; readonly error: string }> = []
  let fatal: CsvReadError | null = null
  const parser = parse({
    delimiter,
    bom: true,
    raw: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: CSV_LIMITS.maxRecordChars,
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      const after = typeof error?.["records"] === "number" ? error["records"] : 0
      // csv-parse stops after an oversized record; everything after it would be lost, so the file fails.
      if (error?.code === "CSV_MAX_RECORD_SIZE") {
        const rowNumber = after + 1 + skipped.length
        fatal ??= fail("cell_too_large", `Row ${rowNumber} is larger than 1 MiB: a cell is too long or a quote is not closed`, rowNumber)
        // Stop reading now rather than scan the rest of a broken file.
        parser.destroy(fatal)
      } else skipped.push({ after, raw: raw ?? "", error: error?.message ?? "Unreadable row" })
      return undefined
    }
  })
  const source = Readable.from(text)
  source.on("error", (error) => parser.destroy(error))
  source.pipe(parser)
  // Records are counted here rather than with csv-parse's `info` option, which costs a fifth of its time.
  let parsed = 0
  let emittedSkips = 0
  const flushSkips = function*(before: number) {
    while (emittedSkips < skipped.length && (skipped[emittedSkips]?.after ?? 0) < before) {
      const skip = skipped[emittedSkips]
      emittedSkips++
      if (skip !== undefined) yield { rowNumber: skip.after + emittedSkips, raw: skip.raw, error: skip.error }
    }
  }
  try {
    for await (const item of parser) {
      if (!isParsedRecord(item)) continue
      parsed++
      yield* flushSkips(parsed)
      yield { rowNumber: parsed + emittedSkips, cells: item.record, raw: item.raw }
      if (fatal !== null) throw fatal
    }
    yield* flushSkips(Number.POSITIVE_INFINITY)
    if (fatal !== null) throw fatal
  } finally {
    source.destroy()
    parser.destroy()
  }
}

// csv-parse leaves the "\r" of a CRLF line in `raw`; it is the line end, not the row's text.
const stripLineEnd = (raw: string): string => raw.replace(/\r?\n$|\r$/u, "")

/**
 * Opens a CSV: reads the sample, detects encoding and delimiter, reads the
 * header and the first data row (so an empty or header-only file fails here,
 * before any batch), and returns the headers with a stream of the rest in
 * batches. The source is destroyed when the scope closes.
 */
export const openCsv = (
  open: () => Readable,
  options: CsvReaderOptions = {}
): Effect.Effect<CsvFile, CsvReadError, Scope.Scope> => {
  const batchSize = options.batchSize ?? CSV_LIMITS.batchSize
  const maxColumns = options.maxColumns ?? CSV_LIMITS.maxColumns
  const maxCellChars = options.maxCellChars ?? CSV_LIMITS.maxCellChars
  const maxBytes = options.maxBytes ?? CSV_LIMITS.maxBytes
  const afterRow = options.afterRow ?? 1

  return Effect.gen(function*() {
    const source = yield* Effect.acquireRelease(Effect.sync(open), (stream) => Effect.sync(() => stream.destroy()))
    const bytes = asBytes(source[Symbol.asyncIterator]())
    const prepared = yield* Effect.tryPromise({
      try: () => prepare(bytes, { maxColumns, maxBytes }),
      catch: (error) => error instanceof CsvReadError ? error : fail("not_csv", `The file could not be read: ${String(error)}`)
    })
    const { headers, iterator, firstData } = prepared

    const toRecord = (item: RecordItem): CsvRecord => {
      if ("error" in item) return { _tag: "BadRow", rowNumber: item.rowNumber, raw: stripLineEnd(item.raw), error: item.error }
      const raw = stripLineEnd(item.raw)
      if (item.cells.length !== headers.length) {
        // A trailing empty cell from a trailing delimiter is not a column.
        const extraBlank = item.cells.length === headers.length + 1 && item.cells[headers.length] === ""
        if (!extraBlank) {
          return { _tag: "BadRow", rowNumber: item.rowNumber, raw, error: `Expected ${headers.length} columns, found ${item.cells.length}` }
        }
      }
      const values: Record<string, string> = {}
      headers.forEach((header, i) => {
        values[header] = item.cells[i] ?? ""
      })
      return { _tag: "Row", rowNumber: item.rowNumber, values, raw }
    }

    const checkCells = (item: RecordItem): void => {
      if ("cells" in item && item.cells.some((cell) => cell.length > maxCellChars)) {
        throw fail("cell_too_large", `Row ${item.rowNumber} has a cell longer than ${maxCellChars} characters`, item.rowNumber)
      }
    }

    async function* batches(): AsyncGenerator<CsvBatch> {
      let rows: Array<CsvRecord> = []
      const push = (item: RecordItem): void => {
        checkCells(item)
        if (item.rowNumber > afterRow) rows.push(toRecord(item))
      }
      push(firstData)
      while (true) {
        if (rows.length >= batchSize) {
          yield { rows }
          rows = []
        }
        const next = await iterator.next()
        if (next.done === true) break
        push(next.value)
      }
      if (rows.length > 0) yield { rows }
    }

    yield* Effect.addFinalizer(() => Effect.promise(async () => {
      await iterator.return?.(undefined)
    }))

    return {
      headers,
      encoding: prepared.encoding,
      delimiter: prepared.delimiter,
      batches: Stream.fromAsyncIterable(
        { [Symbol.asyncIterator]: batches },
        (error) => error instanceof CsvReadError ? error : fail("not_csv", `The file could not be read: ${String(error)}`)
      )
    }
  })
}

type RecordItem = Awaited<ReturnType<ReturnType<typeof records>["next"]>> extends infer R
  ? R extends { readonly done?: false; readonly value: infer V } ? V : never
  : never

const prepare = async (
  bytes: AsyncIterator<Uint8Array>,
  limits: { readonly maxColumns: number; readonly maxBytes: number }
) => {
  const { sample } = await takeSample(bytes, CSV_LIMITS.sampleBytes)
  if (sample.length === 0) throw fail("empty", "The file is empty")
  if (sample.length > limits.maxBytes) throw fail("file_too_large", "The file is too large")
  const guess = sniffEncoding(sample)
  if (guess._tag === "Binary") throw fail("not_csv", `This is not a CSV file: it looks like ${guess.kind}`)
  const decoder = decoderFor(guess.encoding, guess.bomLength)
  const text = decodeText(sample, bytes, decoder, guess.encoding, limits.maxBytes)
  const firstText = await text.next()
  const head = firstText.done === true ? "" : firstText.value.replace(/^\uFEFF/u, "")
  if (head.trim().length === 0 && sample.length < CSV_LIMITS.sampleBytes) throw fail("empty", "The file holds no text")
  if (looksBinary(head)) throw fail("not_csv", "This is not a CSV file: it holds control characters, not text")
  const delimiter = sniffDelimiter(head)
  const columns = headerColumnCount(head, delimiter)
  if (columns > limits.maxColumns) {
    throw fail("too_many_columns", `The header has ${columns > 1_000_000 ? "over a million" : columns} columns; at most ${limits.maxColumns} are read`, 1)
  }

  async function* allText(): AsyncGenerator<string> {
    yield head
    yield* text
  }
  const iterator = records(allText(), delimiter)
  try {
    const headerItem = await iterator.next()
    if (headerItem.done === true || !("cells" in headerItem.value)) throw fail("empty", "The file has no header row")
    if (headerItem.value.cells.length > limits.maxColumns) {
      throw fail("too_many_columns", `The header has ${headerItem.value.cells.length} columns; at most ${limits.maxColumns} are read`, 1)
    }
    const headers = uniqueHeaders(headerItem.value.cells)
    if (headers.every((header) => /^Column \d+$/u.test(header))) throw fail("empty", "The header row is blank")
    const firstData = await iterator.next()
    if (firstData.done === true) throw fail("only_headers", "The file has a header row but no data rows")
    return { headers, iterator, firstData: firstData.value, encoding: guess.encoding, delimiter }
  } catch (error) {
    // Release the parser now; the caller never gets the iterator to close.
    await iterator.return(undefined)
    throw error
  }
}
