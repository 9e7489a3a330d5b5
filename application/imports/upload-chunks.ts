import { type Cause, Effect, Stream } from "effect"
import type { ImportId } from "../../domain/import/import-job.ts"
import type { ImportRepository } from "../ports/import-repository.ts"
import { ImportFileRejected } from "./import-errors.ts"
import { fileTooLarge } from "./import-limits.ts"
import { CHUNK_BYTES } from "./stored-file.ts"

export interface ChunkedUpload {
  /** The upload, unchanged, storing each piece as it passes: read it once, through to its end. */
  readonly bytes: Stream.Stream<Uint8Array, ImportFileRejected>
  /** Stores what is left after the last full chunk; the file's size. */
  readonly finish: Effect.Effect<number>
  /**
   * Why storing failed (the database, not the file), if it did: the reader
   * sees any failure of its source as an unreadable file, and a database
   * outage must not be answered as a bad upload.
   */
  readonly storageFailure: () => Cause.Cause<never> | undefined
}

/**
 * Writes an upload into `import_files` while the reader consumes it: pieces
 * gather up to CHUNK_BYTES, then go to the database before the next piece is
 * pulled, so memory holds about one chunk whatever the file's size, and the
 * upload fails as soon as it passes `maxBytes` (ImportLimits).
 */
export const chunkedUpload = (
  repo: ImportRepository["Service"],
  id: ImportId,
  upload: Stream.Stream<Uint8Array, ImportFileRejected>,
  maxBytes: number
): ChunkedUpload => {
  let pending: Array<Uint8Array> = []
  let pendingBytes = 0
  let chunkNo = 0
  let total = 0
  let failure: Cause.Cause<never> | undefined
  const flush = Effect.suspend(() => {
    if (pendingBytes === 0) return Effect.void
    const chunk = Buffer.concat(pending, pendingBytes)
    pending = []
    pendingBytes = 0
    return repo.appendChunk(id, chunkNo++, chunk)
  })
  const store = (piece: Uint8Array) =>
    Effect.suspend(() => {
      total += piece.length
      if (total > maxBytes) return Effect.fail(fileTooLarge(maxBytes))
      pending.push(piece)
      pendingBytes += piece.length
      return pendingBytes >= CHUNK_BYTES
        ? flush.pipe(Effect.catchCause((cause) => {
          failure = cause
          return Effect.fail(new ImportFileRejected({ reason: "not_csv", message: "The file could not be stored" }))
        }))
        : Effect.void
    })
  return {
    bytes: Stream.tap(upload, store),
    finish: Effect.map(flush, () => total),
    storageFailure: () => failure
  }
}
