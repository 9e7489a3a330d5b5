import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { readFileSync } from "node:fs"
import { Readable } from "node:stream"
import { type CsvReaderOptions, type CsvRecord, openCsv } from "../../../adapters/import/csv-reader.ts"

const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url))

/** Reads a whole CSV given as chunks; `chunks` is re-iterable so each open gets a fresh stream. */
const read = (chunks: () => Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>, options?: CsvReaderOptions) =>
  Effect.scoped(Effect.gen(function*() {
    const file = yield* openCsv(() => Readable.from(chunks()), options)
    const batches = yield* Stream.runCollect(file.batches)
    return { file, batches, rows: batches.flatMap((batch) => batch.rows) }
  }))

const readFixture = (name: string, options?: CsvReaderOptions) => read(() => [fixture(name)], options)

const values = (row: CsvRecord | undefined): Readonly<Record<string, string>> => {
  assert.strictEqual(row?._tag, "Row")
  return row?._tag === "Row" ? row.values : {}
}

const failure = (name: string) => Effect.flip(readFixture(name))

describe("csv reader: encodings", () => {
  it.effect("read UTF-8 with a BOM, leaving no BOM in the first header", () =>
    Effect.gen(function*() {
      const { file, rows } = yield* readFixture("utf8-bom.csv")
      assert.strictEqual(file.encoding, "utf-8")
      assert.deepStrictEqual(file.headers, ["First Name", "Last Name", "Phone"])
      assert.deepStrictEqual(values(rows[0]), { "First Name": "Zoë", "Last Name": "Müller", Phone: "339-222-4624" })
    }))

  it.effect.each([
    ["utf16le-bom.csv", "utf-16le"],
    ["utf16be-bom.csv", "utf-16be"],
    ["utf16le-nobom.csv", "utf-16le"]
  ] as const)("read %s as %s", ([name, encoding]) =>
    Effect.gen(function*() {
      const { file, rows } = yield* readFixture(name)
      assert.strictEqual(file.encoding, encoding)
      assert.deepStrictEqual(file.headers, ["First Name", "Last Name", "Phone"])
      assert.strictEqual(values(rows[0])["Last Name"], "Müller")
    }))

  it.effect("read Windows-1252 when the bytes are not UTF-8 (Excel's CSV on Windows)", () =>
    Effect.gen(function*() {
      const { file, rows } = yield* readFixture("windows-1252.csv")
      assert.strictEqual(file.encoding, "windows-1252")
      assert.deepStrictEqual(values(rows[0]), { Name: "José Núñez", Company: "Café Olé", Phone: "339-222-4624" })
    }))

  it.effect("decode a UTF-8 character split across chunks", () =>
    Effect.gen(function*() {
      const bytes = Buffer.from("Name\nCafé\n", "utf8")
      const split = bytes.indexOf(0xc3) + 1
      const { rows } = yield* read(() => [bytes.subarray(0, split), bytes.subarray(split)])
      assert.strictEqual(values(rows[0])["Name"], "Café")
    }))

  it.effect("refuse bytes Windows-1252 leaves undefined as invalid encoding", () =>
    Effect.gen(function*() {
      const error = yield* failure("invalid-encoding.csv")
      assert.strictEqual(error.reason, "invalid_encoding")
    }))
})

describe("csv reader: delimiters and quoting", () => {
  it.effect.each([
    ["semicolon.csv", ";"],
    ["tab.csv", "\t"],
    ["pipe.csv", "|"],
    ["quoted-newline.csv", ","]
  ] as const)("detect the delimiter of %s", ([name, delimiter]) =>
    Effect.gen(function*() {
      const { file } = yield* readFixture(name)
      assert.strictEqual(file.delimiter, delimiter)
    }))

  it.effect("keep a quoted semicolon inside its cell", () =>
    Effect.gen(function*() {
      const { rows } = yield* readFixture("semicolon.csv")
      assert.strictEqual(values(rows[0])["Firma"], "Smith; Sons")
    }))

  it.effect("keep a quoted newline in the cell and number rows as records", () =>
    Effect.gen(function*() {
      const { rows } = yield* readFixture("quoted-newline.csv")
      assert.strictEqual(values(rows[0])["Notes"], "line one\nline two")
      assert.deepStrictEqual(rows.map((row) => row.rowNumber), [2, 3])
      assert.strictEqual(rows[0]?.raw, "John Smith,339-222-4624,\"line one\nline two\"")
    }))

  it.effect("report ragged rows with their number, text and reason, and read on", () =>
    Effect.gen(function*() {
      const { rows } = yield* readFixture("ragged.csv")
      assert.deepStrictEqual(rows.map((row) => [row._tag, row.rowNumber]), [["Row", 2], ["BadRow", 3], ["BadRow", 4], ["Row", 5]])
      const bad = rows[1]
      assert.strictEqual(bad?._tag === "BadRow" ? bad.error : "", "Expected 3 columns, found 2")
      assert.strictEqual(bad?.raw, "Too Few,781-316-1658")
    }))

  it.effect("report an unclosed quote at the end as a bad row", () =>
    Effect.gen(function*() {
      const { rows } = yield* read(() => ["Name,Phone\nJohn,1\n\"Mary,2\n"])
      assert.deepStrictEqual(rows.map((row) => [row._tag, row.rowNumber]), [["Row", 2], ["BadRow", 3]])
    }))

  it.effect("accept a trailing delimiter and make duplicate or blank headers unique", () =>
    Effect.gen(function*() {
      const { file, rows } = yield* read(() => ["Phone,Phone,,\n1,2,3,\n"])
      assert.deepStrictEqual(file.headers, ["Phone", "Phone (2)", "Column 3", "Column 4"])
      assert.strictEqual(values(rows[0])["Phone (2)"], "2")
    }))
})

describe("csv reader: batches", () => {
  it.effect("yield rows in batches of the asked size, in order, from many small chunks", () =>
    Effect.gen(function*() {
      const text = `Name,Phone\n${Array.from({ length: 25 }, (_, i) => `P${i},${i}`).join("\n")}\n`
      const { batches, rows } = yield* read(() => text.match(/[\s\S]{1,7}/gu) ?? [], { batchSize: 10 })
      assert.deepStrictEqual(batches.map((batch) => batch.rows.length), [10, 10, 5])
      assert.deepStrictEqual(rows.map((row) => row.rowNumber), Array.from({ length: 25 }, (_, i) => i + 2))
    }))

  it.effect("skip rows up to a checkpoint", () =>
    Effect.gen(function*() {
      const text = `Name\n${Array.from({ length: 5 }, (_, i) => `P${i}`).join("\n")}\n`
      const { rows } = yield* read(() => [text], { afterRow: 4 })
      assert.deepStrictEqual(rows.map((row) => row.rowNumber), [5, 6])
    }))
})

describe("csv reader: files it refuses", () => {
  it.effect.each([
    ["empty.csv", "empty"],
    ["blank-lines.csv", "empty"],
    ["only-headers.csv", "only_headers"],
    ["not-csv.xlsx", "not_csv"]
  ] as const)("refuse %s as %s", ([name, reason]) =>
    Effect.gen(function*() {
      const error = yield* failure(name)
      assert.strictEqual(error.reason, reason)
    }))

  it.effect("refuse a header of a million columns without reading it all", () =>
    Effect.gen(function*() {
      let served = 0
      function* million() {
        for (let chunk = 0; chunk < 1000; chunk++) {
          served++
          yield Buffer.from("col,".repeat(1000))
        }
        yield Buffer.from("\n")
      }
      const error = yield* Effect.flip(read(million))
      assert.strictEqual(error.reason, "too_many_columns")
      assert.isBelow(served, 100)
    }))

  it.effect("refuse a file over the size limit", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(read(() => ["Name\n", "a\n".repeat(50), "b\n".repeat(50)], { maxBytes: 150 }))
      assert.strictEqual(error.reason, "file_too_large")
    }))
})
