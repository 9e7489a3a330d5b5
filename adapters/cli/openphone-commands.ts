import { Console, DateTime, Effect, Layer, Option } from "effect"
import { CliError, Command, Flag } from "effect/cli"
import { OpenPhoneSync, type SyncEvent } from "../../application/messaging/openphone-sync.ts"
import { Leads } from "../../application/messaging/leads.ts"
import { CliApplication } from "./cli-application.ts"

/** One line per event on stdout, so an operator (or a log) sees how far a long backfill got. */
const progressLine = (event: SyncEvent): string => {
  switch (event._tag) {
    case "PhoneNumbers":
      return `Phone numbers: ${event.numbers.map((n) => `${n.number} (${n.name})`).join(", ") || "none"}`
    case "Resumed":
      return `Resuming the sync started ${DateTime.formatIso(event.checkpoint.startedAt)}: ` +
        `${event.checkpoint.totals.pages} pages and ${event.checkpoint.totals.messages} messages already stored`
    case "ContactsFallback":
      return "OpenPhone does not list conversations: syncing the numbers of active contacts instead"
    case "Page":
      return `page ${event.totals.pages}: ${event.participant} ${event.fetched} fetched, ${event.stored} new | ` +
        `total ${event.totals.messages} messages, ${event.totals.participants} conversations done, ` +
        `${event.totals.contactsCreated} contacts created`
  }
}

// The sync over the application's ports, with its configured gateway (OpenPhone, or the sandbox without a key).
const SyncApplication = OpenPhoneSync.layer.pipe(Layer.provideMerge(Leads.layer), Layer.provideMerge(CliApplication))

const sync = Command.make(
  "sync",
  {
    since: Flag.Date("since").pipe(
      Flag.optional,
      Flag.withDescription("Only messages created after this date (ISO 8601, e.g. 2026-01-01); all history by default")
    ),
    restart: Flag.Boolean("restart").pipe(
      Flag.withDefault(false),
      Flag.withDescription("Start from the first page instead of resuming an unfinished sync (what is stored stays)")
    )
  },
  Effect.fn(function*({ restart, since }) {
    const report = yield* OpenPhoneSync.use((syncer) =>
      syncer.run({
        since: Option.getOrUndefined(Option.map(since, DateTime.fromDateUnsafe)),
        restart,
        onEvent: (event) => Console.log(progressLine(event))
      })
    ).pipe(
      Effect.mapError((error) =>
        new CliError.UserError({
          cause: error,
          userMessage: `OpenPhone answered ${error.reason}${error.status === null ? "" : ` (HTTP ${error.status})`}: ` +
            `${error.message}. Progress is saved; run the same command again to resume.`
        })
      )
    )
    if (report._tag === "NothingToSync") {
      yield* Console.log(report.reason)
      return
    }
    const t = report.totals
    yield* Console.log(
      `Sync ${report.resumed ? "resumed and " : ""}finished: ${t.pages} pages, ${t.messages} messages stored, ` +
        `${t.participants} conversations, ${t.contactsCreated} contacts created` +
        (report.source === "contacts" ? " (from contacts' numbers)" : "")
    )
  }, Effect.provide(SyncApplication))
).pipe(Command.withDescription("Backfill texts from OpenPhone (resumable: run it again after a crash to continue)"))

export const openphoneCommand = Command.make("openphone").pipe(
  Command.withDescription("OpenPhone (texting provider)"),
  Command.withSubcommands([sync])
)
