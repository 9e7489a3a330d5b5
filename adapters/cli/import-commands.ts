import { Console, Effect, Option, Stream } from "effect"
import { Argument, CliError, Command, Flag } from "effect/cli"
import { createReadStream } from "node:fs"
import { basename } from "node:path"
import { ImportFileRejected } from "../../application/imports/import-errors.ts"
import { Imports } from "../../application/imports/imports.ts"
import { ContactLists } from "../../application/lists/contact-lists.ts"
import { ContactListRepository } from "../../application/ports/contact-list-repository.ts"
import { type ImportJob, totalOf } from "../../domain/import/import-job.ts"
import { CliRunningApplication } from "./cli-application.ts"

/** One line, rewritten in place: rows, rate, time remaining. */
const progressLine = (job: ImportJob, seconds: number): string => {
  const total = job.totalRows ?? 0
  const rate = seconds > 0 ? job.rowsRead / seconds : 0
  const remaining = rate > 0 ? Math.ceil((total - job.rowsRead) / rate) : 0
  const percent = total === 0 ? 100 : Math.floor((job.rowsRead / total) * 100)
  return `${job.status} ${job.rowsRead}/${total} rows (${percent}%), ${Math.round(rate)} rows/s, ${remaining}s left`
}

const summary = (job: ImportJob): string =>
  [
    `import ${job.id}: ${job.status}${job.error === null ? "" : ` (${job.error})`}, layout ${job.layout ?? "-"}`,
    `rows ${job.rowsRead} = created ${job.counts.created} + updated ${job.counts.updated} + unchanged ${job.counts.unchanged}` +
    ` + merged_in_file ${job.counts.merged_in_file} + skipped ${job.counts.skipped} + rejected ${job.counts.rejected}` +
    (totalOf(job.counts) === job.rowsRead ? "" : " (MISMATCH)")
  ].join("\n")

const importFile = Command.make(
  "import",
  {
    file: Argument.File("file", { mustExist: true }).pipe(Argument.withDescription("The CSV file")),
    mode: Flag.Literals("mode", ["create_only", "create_or_update", "update_only"]).pipe(
      Flag.withDefault("create_or_update" as const),
      Flag.withDescription("How rows meet existing contacts")
    ),
    overwrite: Flag.Boolean("overwrite").pipe(Flag.withDefault(false), Flag.withDescription("Replace set fields, not only empty ones")),
    list: Flag.String("list").pipe(Flag.optional, Flag.withDescription("Add every contact touched to this list (made if absent)")),
    wait: Flag.Boolean("wait").pipe(Flag.withDefault(true), Flag.withDescription("Follow the import until it ends (--wait=false: start it only)"))
  },
  Effect.fn(function*({ file, list, mode, overwrite, wait }) {
    const imports = yield* Imports
    const listId = yield* Option.match(list, {
      onNone: () => Effect.succeed(null),
      onSome: (name) =>
        Effect.gen(function*() {
          // An existing list of that name (any case) is used; else one is made.
          const repo = yield* ContactListRepository
          const lists = yield* repo.list({ after: undefined, limit: 1000 })
          const found = lists.find((summary) => summary.list.name.toLowerCase() === name.toLowerCase())
          if (found !== undefined) return found.list.id
          return (yield* (yield* ContactLists).create({ name, description: `Imported from ${basename(file)}` })).list.id
        })
    })
    const bytes = Stream.fromAsyncIterable(
      createReadStream(file),
      (error) => new ImportFileRejected({ reason: "not_csv", message: `The file could not be read: ${String(error)}` })
    ).pipe(Stream.map((chunk: Uint8Array) => chunk))
    const job = yield* imports.start({
      fileName: basename(file),
      bytes,
      options: { mode, overwrite, layout: null, mapping: null, listId }
    }).pipe(
      Effect.catchTags({
        ImportFileRejected: (error) => Effect.fail(new CliError.UserError({ cause: error, userMessage: error.message })),
        ImportLayoutRejected: (error) =>
          Effect.fail(new CliError.UserError({ cause: error, userMessage: `${error.message} (columns: ${error.headers.join(", ")})` })),
        ContactListNotFound: (error) => Effect.fail(new CliError.UserError({ cause: error, userMessage: `No list ${error.id}` }))
      })
    )
    yield* Console.log(`import ${job.id} queued: ${job.totalRows ?? 0} rows`)
    if (!wait) return
    const started = Date.now()
    let current = job
    while (current.status === "queued" || current.status === "running") {
      yield* Effect.sleep("500 millis")
      current = yield* imports.get(job.id).pipe(Effect.orDie)
      process.stderr.write(`\r${progressLine(current, (Date.now() - started) / 1000)}   `)
    }
    process.stderr.write("\n")
    yield* Console.log(summary(current))
    // Exit code 1 unless the import completed (rejected rows included): a script can tell a failed import from a finished one.
    if (current.status !== "completed") {
      return yield* Effect.fail(new CliError.UserError({ cause: current.error, userMessage: `import ${job.id} ${current.status}` }))
    }
  }, Effect.provide(CliRunningApplication))
).pipe(Command.withDescription("Import contacts and properties from a CSV file, showing progress"))

export const importCommand = importFile
