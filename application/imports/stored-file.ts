import { Effect, Option, Stream } from "effect"
import type { ImportId } from "../../domain/import/import-job.ts"
import { ImportRepository } from "../ports/import-repository.ts"

/** Chunks of about 1 MiB: one row each in `import_files`, read one at a time. */
export const CHUNK_BYTES = 1024 * 1024

/** An uploaded file read back chunk by chunk, by any process. */
export const storedFile = (id: ImportId) =>
  Effect.map(ImportRepository, (repo) =>
    Stream.unfold(0, (chunkNo) =>
      Effect.map(repo.readChunk(id, chunkNo), Option.match({
        onNone: () => undefined,
        onSome: (bytes) => [bytes, chunkNo + 1] as const
      }))))
