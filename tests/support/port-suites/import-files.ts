import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Stream } from "effect"
import { ImportFileRejected } from "../../../application/imports/import-errors.ts"
import { ImportFiles } from "../../../application/ports/import-files.ts"

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

/** The upload in several chunks, cut mid-line, as a network body arrives. */
const upload = (bytes: Uint8Array, chunk = 7): Stream.Stream<Uint8Array, ImportFileRejected> =>
  Stream.fromIterable(Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk)))

/** Opens the file and reads every batch, in one scope. */
const readAll = (
  bytes: Uint8Array | Stream.Stream<Uint8Array, ImportFileRejected>,
  options: { readonly afterRow: number; readonly batchSize: number } = { afterRow: 1, batchSize: 100 }
) =>
  Effect.scoped(Effect.gen(function*() {
    const files = yield* ImportFiles
    const file = yield* files.open(bytes instanceof Uint8Array ? upload(bytes) : bytes, options)
    const batches = yield* Stream.runCollect(file.batches)
    return { headers: file.headers, delimiter: file.delimiter, batches: [...batches] }
  }))

const rejection = (bytes: Uint8Array | Stream.Stream<Uint8Array, ImportFileRejected>) =>
  Effect.map(Effect.flip(readAll(bytes)), (error) => error.reason)

/**
 * What every ImportFiles does (application/ports/import-files.ts): the in-memory
 * reader the import use cases run on and the streaming CSV adapter. Real time:
 * the adapter reads through Node streams.
 */
export const importFilesSuite = (name: string, files: Layer.Layer<ImportFiles>) =>
  layer(files, { timeout: 30_000, excludeTestServices: true })(name, (it) => {
    it.effect("reads the header and numbers data rows from 2, as a spreadsheet does", () =>
      Effect.gen(function*() {
        const file = yield* readAll(utf8("Name,Phone,Notes\r\nAda,+16175550100,\"Gate code 12, ring twice\"\r\nBob,+16175550101,\r\n"))
        assert.deepStrictEqual(file.headers, ["Name", "Phone", "Notes"])
        assert.strictEqual(file.delimiter, ",")
        assert.deepStrictEqual(file.batches, [[
          {
            rowNumber: 2,
            values: { Name: "Ada", Phone: "+16175550100", Notes: "Gate code 12, ring twice" },
            problem: null,
            // The row as it came in, quotes and all, for rejected.csv.
            raw: "Ada,+16175550100,\"Gate code 12, ring twice\""
          },
          { rowNumber: 3, values: { Name: "Bob", Phone: "+16175550101", Notes: "" }, problem: null, raw: "Bob,+16175550101," }
        ]])
      }))

    it.effect("finds a semicolon, tab or pipe delimiter", () =>
      Effect.gen(function*() {
        for (const delimiter of [";", "\t", "|"]) {
          const file = yield* readAll(utf8(`Name${delimiter}Amount\nAda${delimiter}1,50\n`))
          assert.strictEqual(file.delimiter, delimiter)
          assert.deepStrictEqual(file.batches.flat().map((row) => row.values), [{ Name: "Ada", Amount: "1,50" }])
        }
      }))

    it.effect("yields only rows after afterRow, in batches of batchSize", () =>
      Effect.gen(function*() {
        const lines = Array.from({ length: 7 }, (_, i) => `row${i + 2},${i}`)
        const file = yield* readAll(utf8(`Key,N\n${lines.join("\n")}\n`), { afterRow: 3, batchSize: 2 })
        assert.deepStrictEqual(file.batches.map((batch) => batch.map((row) => row.rowNumber)), [[4, 5], [6, 7], [8]])
        assert.deepStrictEqual(file.batches[0]?.[0]?.values, { Key: "row4", N: "2" })
      }))

    it.effect("reports a row that does not fit the header as a row, with its problem and text", () =>
      Effect.gen(function*() {
        const file = yield* readAll(utf8("Name,Phone\nAda,+16175550100,extra\nBob,+16175550101\n"))
        const [bad, good] = file.batches.flat()
        assert.strictEqual(bad?.rowNumber, 2)
        assert.isNull(bad?.values)
        assert.isString(bad?.problem)
        assert.strictEqual(bad?.raw, "Ada,+16175550100,extra")
        assert.deepStrictEqual(good, { rowNumber: 3, values: { Name: "Bob", Phone: "+16175550101" }, problem: null, raw: "Bob,+16175550101" })
      }))

    it.effect("trims header names and keeps repeated ones apart", () =>
      Effect.gen(function*() {
        const file = yield* readAll(utf8(" Phone ,Phone\n+16175550100,+16175550101\n"))
        assert.strictEqual(new Set(file.headers).size, 2)
        assert.strictEqual(file.headers[0], "Phone")
        assert.deepStrictEqual(Object.values(file.batches[0]?.[0]?.values ?? {}), ["+16175550100", "+16175550101"])
      }))

    it.effect("reads a UTF-8 file with a byte-order mark and a Windows-1252 one", () =>
      Effect.gen(function*() {
        const bom = yield* readAll(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("Name\nRenée\n")]))
        assert.deepStrictEqual(bom.headers, ["Name"])
        assert.deepStrictEqual(bom.batches.flat().map((row) => row.values), [{ Name: "Renée" }])
        // Excel on Windows' "CSV (Comma delimited)": é is the single byte 0xE9.
        const legacy = yield* readAll(new Uint8Array([...utf8("Name\nRen"), 0xe9, ...utf8("e\n")]))
        assert.deepStrictEqual(legacy.batches.flat().map((row) => row.values), [{ Name: "Renée" }])
      }))

    it.effect("refuses an empty file, a header with no rows, and a binary file", () =>
      Effect.gen(function*() {
        assert.strictEqual(yield* rejection(new Uint8Array()), "empty")
        assert.strictEqual(yield* rejection(utf8("Name,Phone\n")), "only_headers")
        const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])
        assert.strictEqual(yield* rejection(png), "not_csv")
      }))

    it.effect("fails with the upload's own error when the upload breaks", () =>
      Effect.gen(function*() {
        const broken = new ImportFileRejected({ reason: "no_file", message: "The upload was cut off" })
        const bytes = Stream.concat(upload(utf8("Name,Phone\nAda,+16175550100\n")), Stream.fail(broken))
        assert.deepStrictEqual(yield* Effect.flip(readAll(bytes)), broken)
      }))
  })
