import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { Readable } from "node:stream"
import { type CsvReaderOptions, openCsv } from "../../adapters/import/csv-reader.ts"

/**
 * The reader's limits on generated multi-megabyte input: seconds of parsing
 * on a loaded machine, so they run with the integration tier.
 */
const read = (chunks: () => Iterable<Uint8Array | string>, options?: CsvReaderOptions) =>
  Effect.scoped(Effect.gen(function*() {
    const file = yield* openCsv(() => Readable.from(chunks()), options)
    return yield* Stream.runCollect(file.batches)
  }))

describe("csv reader limits on large input", () => {
  it.effect("refuse a UTF-8 file that turns invalid after the first 64 KiB", () =>
    Effect.gen(function*() {
      const head = Buffer.from(`Name\n${"Zoë\n".repeat(20_000)}`, "utf8")
      const error = yield* Effect.flip(read(() => [head, Buffer.from([0xff, 0xfe, 0x0a])]))
      assert.strictEqual(error.reason, "invalid_encoding")
    }))

  it.effect("refuse a 10 MB cell without holding it", () =>
    Effect.gen(function*() {
      let served = 0
      function* huge() {
        yield Buffer.from("Name,Notes\nJohn,\"")
        for (let chunk = 0; chunk < 160; chunk++) {
          served++
          yield Buffer.alloc(64 * 1024, 0x61)
        }
        yield Buffer.from("\"\n")
      }
      const error = yield* Effect.flip(read(huge))
      assert.strictEqual(error.reason, "cell_too_large")
      assert.strictEqual(error.rowNumber, 2)
      assert.isBelow(served, 40)
    }))

  it.effect("refuse a cell over the cell limit inside a normal-sized row", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(read(() => [`Name,Notes\nJohn,${"a".repeat(70_000)}\n`]))
      assert.strictEqual(error.reason, "cell_too_large")
    }))
})
