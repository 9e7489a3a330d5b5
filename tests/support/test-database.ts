import { randomUUID } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import type { SqlClient } from "effect/sql"
import { inject } from "vitest"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"

/** Runs `f` with a one-connection client on the admin database. */
export const withAdminClient = <A, E>(adminUrl: string, f: (sql: PgClient.PgClient) => Effect.Effect<A, E>) =>
  Effect.flatMap(Effect.service(PgClient.PgClient), f).pipe(Effect.provide(pgClientLayer(Redacted.make(adminUrl), 1)))

/** A brand-new database, copied from `template`, dropped when the scope closes. */
const freshDatabaseUrl = (template: () => string) => Effect.gen(function*() {
  const adminUrl = inject("pgAdminUrl")
  const name = `crm_test_${randomUUID().replaceAll("-", "")}`
  yield* Effect.acquireRelease(
    withAdminClient(adminUrl, (sql) => sql`CREATE DATABASE ${sql(name)} TEMPLATE ${sql(template())}`),
    () => withAdminClient(adminUrl, (sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`).pipe(Effect.ignore)
  ).pipe(Effect.orDie)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
})

/**
 * A copy of the migrated template: each test file that makes one works on
 * rows no other file sees.
 */
export const testDatabaseUrl = freshDatabaseUrl(() => inject("pgTemplate"))

/** A database with no table at all (PostgreSQL's template0), for tests of the migrations themselves. */
export const emptyDatabaseUrl = freshDatabaseUrl(() => "template0")

/** A PgClient on a fresh test database (see {@link testDatabaseUrl}). */
export const testDatabase = (): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient> =>
  Layer.unwrap(Effect.map(testDatabaseUrl, (url) => pgClientLayer(Redacted.make(url), 5).pipe(Layer.orDie)))
