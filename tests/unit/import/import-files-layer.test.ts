import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { ImportFilesLive } from "../../../adapters/import/import-files-layer.ts"
import { ImportFiles } from "../../../application/ports/import-files.ts"

const bytesOf = (text: string, pieces = 1) => {
  const all = new TextEncoder().encode(text)
  const size = Math.ceil(all.length / pieces)
  return Stream.fromIterable(Array.from({ length: pieces }, (_, i) => all.slice(i * size, (i + 1) * size)))
}

describe("ImportFilesLive", () => {
  it.effect("reads headers, delimiter and rows in batches from a stream of chunks, resuming after a row", () =>
    Effect.gen(function*() {
      const files = yield* ImportFiles
      const text = "Name;Phone\nAnn;1\nBob;2\nCat;3\nbroken\n"
      const file = yield* files.open(bytesOf(text, 3), { afterRow: 0, batchSize: 2 })
      assert.deepStrictEqual([file.headers, file.delimiter], [["Name", "Phone"], ";"])
      const batches = yield* Stream.runCollect(file.batches)
      assert.deepStrictEqual(batches.map((rows) => rows.map((row) => row.rowNumber)), [[2, 3], [4, 5]])
      assert.deepStrictEqual(batches[1]![1]!.values, null)
      const resumed = yield* files.open(bytesOf(text), { afterRow: 3, batchSize: 2 })
      assert.deepStrictEqual((yield* Stream.runCollect(resumed.batches)).flat().map((row) => row.raw), ["Cat;3", "broken"])
      const empty = yield* Effect.flip(files.open(bytesOf(""), { afterRow: 0, batchSize: 2 }))
      assert.strictEqual(empty.reason, "empty")
    }).pipe(Effect.scoped, Effect.provide(ImportFilesLive)))
})
