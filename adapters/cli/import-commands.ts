import { Clock, Console, Effect, Option, Stream } from "effect"
import { Argument, CliError, Command, Flag } from "effect/cli"
import { createReadStream, statSync } from "node:fs"
import { basename } from "node:path"
import { ImportFileRejected } from "../../application/imports/import-errors.ts"
import { Imports } from "../../application/imports/imports.ts"
import { ContactLists } from "../../application/lists/contact-lists.ts"
import { ContactListRepository } from "../../application/ports/contact-list-repository.ts"
import { type ImportJob, totalOf } from "../../domain/import/import-job.ts"
import { CliRunningApplication } from "./cli-application.ts"
import { type ProgressState, progressPrinter, rateOf } from "./import-progress.ts"

/** The import's progress as the printer shows it; the rate counts from when it was first seen running. */
const rowsState = (job: ImportJob, since: { readonly ms: number; readonly rows: number } | null, nowMs: number): ProgressState => ({
  label: job.status,
  done: job.rowsRead,
  total: job.totalRows,
  rate: since === null ? 0 : rateOf(job.rowsRead, since.rows, nowMs - since.ms),
  unit: "rows"
})

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
    // Progress goes to stderr: stdout keeps the summary for scripts. A
    // terminal gets raw writes (a line redrawn in place); anything else gets
    // whole lines through the Console service (which tests capture).
    const tty = process.stderr.isTTY === true
    const console = yield* Console.Console
    const printer = () =>
      progressPrinter({ tty, write: (text) => (tty ? process.stderr.write(text) : console.error(text.replace(/\n$/u, ""))) })
    const size = statSync(file).size
    const reading = printer()
    const readFrom = yield* Clock.currentTimeMillis
    let read = 0
    const readingState = (nowMs: number): ProgressState =>
      ({ label: "reading", done: read, total: size, rate: rateOf(read, 0, nowMs - readFrom), unit: "bytes" })
    const bytes = Stream.fromAsyncIterable(
      createReadStream(file),
      (error) => new ImportFileRejected({ reason: "not_csv", message: `The file could not be read: ${String(error)}` })
    ).pipe(
      Stream.map((chunk: Uint8Array) => chunk),
      // Reading the file is checking and storing it: a big file takes a while before the import starts.
      Stream.tap((chunk) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          read += chunk.length
          reading.update(readingState(now), now)
        }))
    )
    const job = yield* imports.start({
      fileName: basename(file),
      bytes,
      options: { mode, overwrite, layout: null, mapping: null, listId }
    }).pipe(
      // The reading line ends (with a line break on a terminal) whether the file was taken or refused.
      Effect.ensuring(Effect.map(Clock.currentTimeMillis, (now) => reading.finish(readingState(now)))),
      Effect.catchTags({
        ImportFileRejected: (error) => Effect.fail(new CliError.UserError({ cause: error, userMessage: error.message })),
        ImportLayoutRejected: (error) =>
          Effect.fail(new CliError.UserError({ cause: error, userMessage: `${error.message} (columns: ${error.headers.join(", ")})` })),
        ContactListNotFound: (error) => Effect.fail(new CliError.UserError({ cause: error, userMessage: `No list ${error.id}` }))
      })
    )
    yield* Console.log(`import ${job.id} queued: ${job.totalRows ?? 0} rows`)
    if (!wait) return
    const following = printer()
    let since: { readonly ms: number; readonly rows: number } | null = null
    let current = job
    let now = yield* Clock.currentTimeMillis
    while (current.status === "queued" || current.status === "running") {
      yield* Effect.sleep("500 millis")
      current = yield* imports.get(job.id).pipe(Effect.orDie)
      now = yield* Clock.currentTimeMillis
      if (since === null && current.status !== "queued") since = { ms: now, rows: current.rowsRead }
      following.update(rowsState(current, since, now), now)
    }
    following.finish(rowsState(current, since, now))
    yield* Console.log(summary(current))
    // Exit code 1 unless the import completed (rejected rows included): a script can tell a failed import from a finished one.
    if (current.status !== "completed") {
      return yield* Effect.fail(new CliError.UserError({ cause: current.error, userMessage: `import ${job.id} ${current.status}` }))
    }
  }, Effect.provide(CliRunningApplication))
).pipe(Command.withDescription("Import contacts and properties from a CSV file, showing progress"))

export const importCommand = importFile
