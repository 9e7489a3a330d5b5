import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { SqlClient } from "effect/sql"
import { billingCommand } from "./billing-commands.ts"
import { CliApplication } from "./cli-application.ts"
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
  }, Effect.provide(CliApplication))
).pipe(Command.withDescription("Apply pending database migrations"))

const crm = Command.make("crm").pipe(
  Command.withDescription("Attack-a-Crack CRM administration"),
  Command.withSubcommands([migrate, tokensCommand, billingCommand])
)

crm.pipe(
  Command.run({ version: "0.1.0" }),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain
)
