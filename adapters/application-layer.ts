import type { PgClient } from "@effect/sql-pg"
import { Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import type { SqlClient } from "effect/sql"
import { AccountingSyncLive } from "../application/accounting/accounting-sync-live.ts"
import { UseCases } from "../application/use-cases.ts"
import { RecipientTimeZoneLive } from "./campaigns/phone-time-zone.ts"
import { Crons } from "./jobs/crons.ts"
import { jobEngineLayer, type JobEngineServices } from "./jobs/job-engine.ts"
import { Workflows } from "./jobs/workflows.ts"
import { SmsGatewayLive } from "./openphone/sms-gateway-layer.ts"
import { LiveIds } from "./platform/live-ids.ts"
import { QuickBooksLive } from "./quickbooks/quickbooks-layer.ts"
import { MigrationsLayer } from "./sql/migrate.ts"
import { SqlPorts } from "./sql/sql-ports.ts"

/**
 * The whole application on PostgreSQL: the given client, the schema migrated
 * before anything else uses it, the SQL ports, live ids, and the use cases.
 * The client is exposed too (health checks, the CLI, tests).
 */
export const applicationLayer = <E>(
  sqlClient: Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, E>,
  jobEngine: Layer.Layer<JobEngineServices, never, SqlClient.SqlClient> = jobEngineLayer({ mode: "none" })
) => {
  const database = MigrationsLayer.pipe(Layer.provideMerge(sqlClient))
  const smsGateway = SmsGatewayLive.pipe(Layer.provide(FetchHttpClient.layer))
  // The durable job engine on the same PostgreSQL. By default this process only starts jobs (as the CLI and
  // library users do); the server passes JobEngineLive, which runs them as JOB_RUNNER says. A SingleRunner
  // on a one-connection pool made a CLI test step take 36 s instead of 2 (tests/integration/cli.test.ts).
  const basePorts = Layer.mergeAll(SqlPorts, LiveIds, smsGateway, RecipientTimeZoneLive, jobEngine).pipe(Layer.provideMerge(database))
  // QuickBooks (on, or off when unconfigured) over the connection store; billing announces changes to AccountingSync.
  const quickBooks = QuickBooksLive.pipe(Layer.provide(FetchHttpClient.layer), Layer.provideMerge(basePorts))
  const ports = AccountingSyncLive.pipe(Layer.provideMerge(quickBooks))
  // Workflows and cron jobs are registered with the engine next to the use cases they call.
  return Layer.mergeAll(Workflows, Crons).pipe(Layer.provideMerge(UseCases), Layer.provideMerge(ports))
}
