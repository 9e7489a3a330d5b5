import type { PgClient } from "@effect/sql-pg"
import { Layer } from "effect"
import type { SqlClient } from "effect/sql"
import { UseCases } from "../application/use-cases.ts"
import { LiveIds } from "./platform/live-ids.ts"
import { MigrationsLayer } from "./sql/migrate.ts"
import { SqlPorts } from "./sql/sql-ports.ts"

/**
 * The whole application on PostgreSQL: the given client, the schema migrated
 * before anything else uses it, the SQL ports, live ids, and the use cases.
 * The client is exposed too (health checks, the CLI, tests).
 */
export const applicationLayer = <E>(sqlClient: Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, E>) => {
  const database = MigrationsLayer.pipe(Layer.provideMerge(sqlClient))
  const ports = Layer.merge(SqlPorts, LiveIds).pipe(Layer.provideMerge(database))
  return UseCases.pipe(Layer.provideMerge(ports))
}
