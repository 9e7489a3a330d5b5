import { Effect, Redacted } from "effect"
import type { TestProject } from "vitest/node"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { runMigrations } from "../../adapters/sql/migrate.ts"
import { withAdminClient } from "./test-database.ts"
import { startTestPostgres } from "./test-postgres.ts"

declare module "vitest" {
  export interface ProvidedContext {
    readonly pgAdminUrl: string
    readonly pgTemplate: string
  }
}

/**
 * Starts one PostgreSQL for the whole run and migrates a template database
 * once; every test file then copies the template into a database of its own.
 */
export default async function setup(project: TestProject) {
  const postgres = await startTestPostgres()
  const template = `crm_template_${process.pid}`
  await Effect.runPromise(withAdminClient(postgres.adminUrl, (sql) =>
    Effect.gen(function*() {
      yield* sql`DROP DATABASE IF EXISTS ${sql(template)}`
      yield* sql`CREATE DATABASE ${sql(template)}`
    })))
  const templateUrl = new URL(postgres.adminUrl)
  templateUrl.pathname = `/${template}`
  await Effect.runPromise(runMigrations.pipe(Effect.provide(pgClientLayer(Redacted.make(templateUrl.toString()), 1))))
  project.provide("pgAdminUrl", postgres.adminUrl)
  project.provide("pgTemplate", template)
  return async () => {
    await Effect.runPromise(withAdminClient(postgres.adminUrl, (sql) => sql`DROP DATABASE IF EXISTS ${sql(template)} WITH (FORCE)`))
      .catch(() => undefined)
    await postgres.stop()
  }
}
