import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { SqlClient } from "effect/sql"
import { billingCommand } from "./billing-commands.ts"
import { CliMigrateApplication } from "./cli-application.ts"
import { importCommand } from "./import-commands.ts"
import { jobsCommand } from "./job-commands.ts"
import { openphoneCommand } from "./openphone-commands.ts"
import { tokensCommand } from "./token-commands.ts"

// Building the application migrates the database, so `migrate` only has to
// build it and say where things stand.
const migrate = Command.make(
  "migrate",
  {},
  Effect.fn(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ readonly migration_id: number; readonly name: string }>`
      SELECT migration_id, name FROM effect_sql_migrations ORDER BY migration_id`
    yield* Console.log(`Database schema is current: ${rows.map((r) => `${r.migration_id}_${r.name}`).join(", ")}`)
  }, Effect.provide(CliMigrateApplication))
).pipe(Command.withDescription("Create the database if there is none (embedded, in DATA_DIR), and apply pending migrations"))

/** `npm run crm`: every command, apart from the process that runs them (main.ts), so tests can run them in-process. */
export const crm = Command.make("crm").pipe(
  Command.withDescription("Attack-a-Crack CRM administration"),
  Command.withSubcommands([migrate, tokensCommand, billingCommand, openphoneCommand, jobsCommand, importCommand])
)

export const CRM_VERSION = "0.1.0"
