import busboy from "busboy"
import { Effect, Stream } from "effect"
import type { Context as HonoContext } from "hono"
import { Readable } from "node:stream"
import { ImportFileRejected } from "../../application/imports/import-errors.ts"
import { fileTooLarge } from "../../application/imports/import-limits.ts"
import { type HttpProblem, httpProblem } from "./problem.ts"

export interface MultipartUpload {
  /** The form fields sent before the file. */
  readonly fields: Readonly<Record<string, string>>
  readonly fileName: string
  /** The file as it arrives: read once, never buffered whole. */
  readonly bytes: Stream.Stream<Uint8Array, ImportFileRejected>
}

/**
 * Reads a `multipart/form-data` request up to its `file` part with busboy,
 * streaming: options come as form fields before the file, and the file is
 * handed on as a stream the use case consumes chunk by chunk. A file past
 * `maxBytes` (ImportLimits) ends with file_too_large.
 */
export const readMultipartUpload = (c: HonoContext, maxBytes: number): Effect.Effect<MultipartUpload, HttpProblem> =>
  Effect.callback<MultipartUpload, HttpProblem>((resume) => {
    const tooLarge = () => fileTooLarge(maxBytes)
    const contentType = c.req.header("content-type") ?? ""
    const body = c.req.raw.body
    if (!contentType.toLowerCase().startsWith("multipart/form-data") || body === null) {
      resume(Effect.fail(httpProblem("unsupported-media-type", "Send the file as multipart/form-data with a `file` part")))
      return
    }
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        // One byte over the limit is enough to know the file is too large.
        limits: { files: 1, fields: 20, fieldSize: 256 * 1024, fileSize: maxBytes + 1 }
      })
    } catch {
      resume(Effect.fail(httpProblem("malformed-request", "The multipart body has no boundary")))
      return
    }
    const source = Readable.fromWeb(body)
    const fields: Record<string, string> = {}
    let settled = false
    parser.on("field", (name, value) => {
      fields[name] = value
    })
    parser.on("file", (name, file, info) => {
      if (name !== "file" || settled) {
        file.resume()
        return
      }
      settled = true
      let truncated = false
      file.on("limit", () => {
        truncated = true
        // Past the limit busboy would read and discard the rest of the body
        // as fast as it comes; stop reading instead (the answer closes the
        // connection) and end the file with the refusal.
        source.unpipe(parser)
        source.pause()
        file.destroy(new Error("file_too_large"))
      })
      const bytes = Stream.fromAsyncIterable(
        file,
        () => truncated ? tooLarge() : new ImportFileRejected({ reason: "not_csv", message: "The upload broke off before the file ended" })
      ).pipe(
        Stream.map((chunk: Uint8Array) => chunk),
        Stream.concat(Stream.suspend(() => (truncated ? Stream.fail(tooLarge()) : Stream.empty)))
      )
      resume(Effect.succeed({ fields: { ...fields }, fileName: info.filename || "upload.csv", bytes }))
    })
    parser.on("error", () => {
      if (!settled) {
        settled = true
        resume(Effect.fail(httpProblem("malformed-request", "The multipart body could not be read")))
      }
    })
    parser.on("close", () => {
      if (!settled) {
        settled = true
        resume(Effect.fail(httpProblem("validation", "file: a `file` part is required", {
          errors: [{ path: "file", message: "A `file` part is required (form fields first, then the file)" }]
        })))
      }
    })
    source.pipe(parser)
  })
