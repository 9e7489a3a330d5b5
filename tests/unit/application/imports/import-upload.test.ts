import { assert, describe, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Ref, Stream } from "effect"
import { Imports } from "../../../../application/imports/imports.ts"
import { CHUNK_BYTES } from "../../../../application/imports/stored-file.ts"
import { ImportFiles } from "../../../../application/ports/import-files.ts"
import { ImportRepository } from "../../../../application/ports/import-repository.ts"
import { MemoryStore, TestPorts, TestWorkflows, UseCases } from "../../../../application/testing/index.ts"

const options = { mode: "create_or_update", overwrite: false, layout: null, mapping: null, listId: null } as const
const encoder = new TextEncoder()

/** Whole rows of about `size` bytes: long notes keep the row count (and the test) small. */
const piece = (size: number, first: number): Uint8Array => {
  const lines: Array<string> = []
  let length = 0
  for (let i = first; length < size; i++) {
    const line = `P${i},7205550${String(100 + (i % 900)).padStart(3, "0")},${"n".repeat(2000)}\n`
    lines.push(line)
    length += line.length
  }
  return encoder.encode(lines.slice(0, -1).join(""))
}

const HEADER = "First Name,Phone,Notes\n"

/**
 * A reader that counts lines as the bytes stream by (a row each, unreadable):
 * what is tested is how the use case pulls and stores the upload, not parsing
 * (the streaming reader has its own tests, and an HTTP upload of 10 MB runs
 * through it in tests/integration/import-upload-postgres.test.ts).
 */
const LineCountingFiles = Layer.succeed(
  ImportFiles,
  ImportFiles.of({
    open: (bytes) =>
      Effect.succeed({
        headers: ["First Name", "Phone", "Notes"],
        delimiter: ",",
        batches: Stream.map(bytes, (bytes) =>
          Array.from({ length: bytes.filter((byte) => byte === 10).length }, (_, i) => ({ rowNumber: i + 2, values: null, problem: "unread", raw: "" })))
      })
  })
)

/** The application over the memory ports, with one port replaced. */
const applicationWhere = <I, S>(port: Layer.Layer<I, never, S>) =>
  TestWorkflows.pipe(Layer.provideMerge(UseCases), Layer.provideMerge(port.pipe(Layer.provideMerge(TestPorts))))

describe("Imports.start, the upload", () => {
  it.effect("stores the file as it is read: a later piece is produced only after the earlier chunks are stored", () =>
    Effect.gen(function*() {
      const { state } = yield* MemoryStore
      const half = CHUNK_BYTES / 2
      // Pieces of just under half a chunk; before producing each one the upload looks at
      // what is stored: the bytes already sent, in whole chunks, must be in the repository.
      const pieces = [encoder.encode(HEADER), ...Array.from({ length: 4 }, (_, k) => piece(half, k * 1000))]
      const seen: Array<number> = []
      const upload = Stream.unfold(0, (k) =>
        Effect.gen(function*() {
          const next = pieces[k]
          if (next === undefined) return undefined
          const imports = [...(yield* Ref.get(state)).imports.values()]
          seen.push(imports.reduce((count, entry) => count + entry.chunks.length, 0))
          return [next, k + 1] as const
        }))
      const job = yield* (yield* Imports).start({ fileName: "big.csv", bytes: upload, options })
      const total = pieces.reduce((sum, bytes) => sum + bytes.length, 0)
      assert.strictEqual(job.byteSize, total)
      let sent = 0
      const expected = pieces.map((bytes) => {
        const stored = Math.floor(sent / CHUNK_BYTES)
        sent += bytes.length
        return stored
      })
      assert.deepStrictEqual(seen, expected)
      assert.isAbove(seen.at(-1)!, 0)
      const entry = (yield* Ref.get(state)).imports.get(job.id)!
      assert.isTrue(Buffer.concat(entry.chunks).equals(Buffer.concat(pieces)))
    }).pipe(Effect.provide(applicationWhere(LineCountingFiles))))

  it.effect("a database failure while storing is not answered as a bad file, and leaves nothing behind", () =>
    Effect.gen(function*() {
      const { state } = yield* MemoryStore
      const bytes = Stream.make(encoder.encode(HEADER), piece(CHUNK_BYTES, 0))
      const exit = yield* Effect.exit((yield* Imports).start({ fileName: "x.csv", bytes, options }))
      assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause), String(exit))
      assert.strictEqual((yield* Ref.get(state)).imports.size, 0)
    }).pipe(Effect.provide(applicationWhere(Layer.effect(
      ImportRepository,
      Effect.map(Effect.service(ImportRepository), (repo) =>
        ImportRepository.of({ ...repo, appendChunk: () => Effect.die(new Error("disk full")) }))
    )))))

  it.effect("the configured limit (IMPORT_MAX_BYTES) is honoured: a file past it is refused while read, and nothing kept", () =>
    Effect.gen(function*() {
      const { state } = yield* MemoryStore
      const MiB = 1024 * 1024
      let produced = 0
      // About 2 MiB in quarter-MiB pieces, counting what the upload was asked for.
      const pieces = [encoder.encode(HEADER), ...Array.from({ length: 8 }, (_, k) => piece(MiB / 4, k * 1000))]
      const upload = Stream.fromIterable(pieces).pipe(Stream.tap((bytes) => Effect.sync(() => (produced += bytes.length))))
      const error = yield* Effect.flip((yield* Imports).start({ fileName: "big.csv", bytes: upload, options }))
      assert.strictEqual(error._tag, "ImportFileRejected")
      assert.deepStrictEqual(error._tag === "ImportFileRejected" ? [error.reason, error.message] : [], [
        "file_too_large",
        "The file is larger than 1 MB"
      ])
      // Refused at the piece that passed 1 MiB, not at the end of the stream.
      assert.isBelow(produced, MiB + MiB / 2)
      assert.strictEqual((yield* Ref.get(state)).imports.size, 0)
    }).pipe(Effect.provide(applicationWhere(LineCountingFiles).pipe(
      Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ IMPORT_MAX_BYTES: String(1024 * 1024) })))
    ))))
})
