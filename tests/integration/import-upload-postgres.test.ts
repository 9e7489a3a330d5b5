import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { createHash } from "node:crypto"
import { applicationLayer } from "../../adapters/application-layer.ts"
import { jobEngineLayer } from "../../adapters/jobs/job-engine.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { ADMIN_SECRET, httpHarness } from "../support/http-harness.ts"
import { testDatabaseUrl } from "../support/test-database.ts"

const MiB = 1024 * 1024
const BOUNDARY = "crm-test-boundary-7d1f"
const encoder = new TextEncoder()

/**
 * A multipart upload of `rows` generic rows, made as it is read and never
 * whole (about 50 bytes a row, 1,000 rows a piece). Before each piece it calls
 * `beforePiece` with the file bytes produced so far; it hashes what it sends.
 */
const generatedUpload = (rows: number, beforePiece: (produced: number) => Promise<void> = async () => {}) => {
  const hash = createHash("sha256")
  let produced = 0
  let row = 0
  let stage: "head" | "file" | "done" = "head"
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === "head") {
        stage = "file"
        controller.enqueue(encoder.encode(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`
        ))
        return
      }
      if (row >= rows) {
        stage = "done"
        controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}--\r\n`))
        controller.close()
        return
      }
      await beforePiece(produced)
      const lines: Array<string> = row === 0 ? ["first name,last name,phone,email\n"] : []
      for (let i = 0; i < 1000 && row < rows; i++, row++) {
        lines.push(`Person${row},Tester,617555${String(row % 10_000).padStart(4, "0")},person${row}@example.com\n`)
      }
      const piece = encoder.encode(lines.join(""))
      hash.update(piece)
      produced += piece.length
      controller.enqueue(piece)
    }
  })
  return { body, produced: () => produced, digest: () => hash.digest("hex") }
}

/**
 * The application on a fresh database (jobs stored, not run), configured by
 * `config` (the upload limit), and a client of its own for looking at the tables.
 */
const setUp = (config: Record<string, string> = {}) => Effect.gen(function*() {
  const url = yield* testDatabaseUrl
  const h = yield* httpHarness(applicationLayer(pgClientLayer(Redacted.make(url), 5), jobEngineLayer({ mode: "none" })).pipe(
    Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(config)))
  ))
  const sql = yield* Layer.build(pgClientLayer(Redacted.make(url), 1))
  const query = <A>(f: (sql: PgClient.PgClient) => Effect.Effect<A, unknown>) =>
    Effect.runPromise(Effect.flatMap(Effect.service(PgClient.PgClient), f).pipe(Effect.orDie, Effect.provideContext(sql)))
  const storedBytes = () =>
    query((sql) => sql<{ readonly n: number }>`SELECT coalesce(sum(length(bytes)), 0)::int AS n FROM import_files`)
      .then((rows) => rows[0]!.n)
  const post = (path: string, body: ReadableStream<Uint8Array>) =>
    Effect.promise(async () => {
      const response = await h.app.request(path, {
        method: "POST",
        body,
        duplex: "half",
        headers: { authorization: `Bearer ${ADMIN_SECRET}`, "content-type": `multipart/form-data; boundary=${BOUNDARY}` }
      } as RequestInit)
      return { status: response.status, body: await response.json() as Record<string, unknown> }
    })
  return { query, storedBytes, post }
})

describe("import uploads stream into the stored chunks", () => {
  it.live("a 10 MB upload: stored as it arrives (never more than a few MiB behind), chunks equal to the file", () =>
    Effect.gen(function*() {
      const { post, query, storedBytes } = yield* setUp()
      const lags: Array<number> = []
      let nextLook = 0
      const upload = generatedUpload(200_000, async (produced) => {
        // Every MiB, how far the stored chunks are behind what was sent.
        if (produced < nextLook) return
        nextLook += MiB
        lags.push(produced - (await storedBytes()))
      })
      const started = yield* post("/api/imports", upload.body)
      assert.strictEqual(started.status, 202, JSON.stringify(started.body))
      assert.isAbove(upload.produced(), 9 * MiB)
      assert.deepStrictEqual([started.body["byteSize"], started.body["totalRows"]], [upload.produced(), 200_000])
      // Had the server held the upload, the database would have stayed empty
      // until its end, and the last looks would find 8 MiB and more unstored.
      assert.isAtLeast(lags.length, 9)
      assert.isBelow(Math.max(...lags), 3 * MiB, `bytes sent but not yet stored, every MiB: ${lags.join(", ")}`)

      const id = String(started.body["id"])
      const chunks = yield* Effect.promise(() =>
        query((sql) => sql<{ readonly chunk_no: number; readonly bytes: Uint8Array }>`
          SELECT chunk_no, bytes FROM import_files WHERE import_id = ${id} ORDER BY chunk_no`))
      const stored = createHash("sha256")
      for (const chunk of chunks) stored.update(chunk.bytes)
      assert.strictEqual(stored.digest("hex"), upload.digest())
      assert.deepStrictEqual(chunks.map((chunk) => chunk.chunk_no), chunks.map((_, i) => i))
      // About 1 MiB each (a chunk closes at the first piece that reaches 1 MiB).
      assert.isTrue(chunks.slice(0, -1).every((chunk) => chunk.bytes.length >= MiB && chunk.bytes.length < MiB + 64 * 1024))
    }), { timeout: 60_000 })

  it.live("over the limit (IMPORT_MAX_BYTES, 4 MiB here): refused when it is passed, not at the end of the body, with nothing kept", () =>
    Effect.gen(function*() {
      const { post, query } = yield* setUp({ IMPORT_MAX_BYTES: String(4 * MiB) })
      // About 12 MiB: three times the limit.
      const upload = generatedUpload(240_000)
      const refused = yield* post("/api/imports", upload.body)
      assert.strictEqual(refused.status, 413, JSON.stringify(refused.body))
      assert.include(String(refused.body["detail"]), "4 MB")
      // Reading stopped just past the limit, not at the end of the body.
      assert.isAbove(upload.produced(), 4 * MiB)
      assert.isBelow(upload.produced(), 6 * MiB)
      const left = yield* Effect.promise(() =>
        query((sql) => sql<{ readonly n: number }>`SELECT (SELECT count(*) FROM imports)::int + (SELECT count(*) FROM import_files)::int AS n`))
      assert.strictEqual(left[0]!.n, 0)
    }), { timeout: 60_000 })

  it.live("a preview reads the first rows and no further", () =>
    Effect.gen(function*() {
      const { post, query } = yield* setUp()
      const upload = generatedUpload(200_000)
      const preview = yield* post("/api/imports/preview", upload.body)
      assert.strictEqual(preview.status, 200, JSON.stringify(preview.body))
      assert.strictEqual((preview.body["rows"] as Array<unknown>).length, 20)
      assert.isBelow(upload.produced(), 2 * MiB)
      const left = yield* Effect.promise(() => query((sql) => sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM imports`))
      assert.strictEqual(left[0]!.n, 0)
    }), { timeout: 30_000 })
})
