import { Config, Context, Effect, Layer, Schema } from "effect"
import { ImportFileRejected } from "./import-errors.ts"

/** The upload limit: files "up to 50 MB". */
export const DEFAULT_MAX_IMPORT_BYTES = 50 * 1024 * 1024

/** How large an uploaded import file may be. */
export class ImportLimits extends Context.Service<ImportLimits, {
  /** An upload is refused as soon as it passes this many bytes. */
  readonly maxBytes: number
}>()("crm/application/imports/ImportLimits") {
  /** IMPORT_MAX_BYTES, a whole number of bytes (default 50 MiB). */
  static readonly layer = Layer.effect(
    ImportLimits,
    Effect.orDie(Effect.map(
      Config.schema(Schema.Int.check(Schema.isGreaterThan(0)), "IMPORT_MAX_BYTES").pipe(
        Config.withDefault(DEFAULT_MAX_IMPORT_BYTES)
      ),
      (maxBytes) => ImportLimits.of({ maxBytes })
    ))
  )
}

/** The refusal of an upload past `maxBytes`, naming the limit in MB (as the issue does: MiB, rounded). */
export const fileTooLarge = (maxBytes: number) =>
  new ImportFileRejected({
    reason: "file_too_large",
    message: `The file is larger than ${Math.round((maxBytes / 1024 / 1024) * 100) / 100} MB`
  })
