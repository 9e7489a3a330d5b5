import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Exit, Redacted, Scope } from "effect"
import { embeddedPostgres } from "../../adapters/sql/embedded-postgres.ts"

export interface TestPostgres {
  /** URL of a database on the server from which test databases can be created. */
  readonly adminUrl: string
  readonly kind: "TEST_DATABASE_URL" | "testcontainers" | "embedded"
  readonly stop: () => Promise<void>
}

const fromEnvironment = (url: string): TestPostgres => ({ adminUrl: url, kind: "TEST_DATABASE_URL", stop: async () => {} })

/** A Docker engine is used when testcontainers can reach one; otherwise undefined, quickly. */
const fromTestcontainers = async (): Promise<TestPostgres | undefined> => {
  const { getContainerRuntimeClient } = await import("testcontainers")
  try {
    await getContainerRuntimeClient()
  } catch {
    return undefined
  }
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql")
  const container = await new PostgreSqlContainer("postgres:18-alpine").start()
  return { adminUrl: container.getConnectionUri(), kind: "testcontainers", stop: async () => void (await container.stop()) }
}

const fromEmbedded = async (): Promise<TestPostgres> => {
  const dataDir = await mkdtemp(join(tmpdir(), "crm-test-pg-"))
  const scope = Effect.runSync(Scope.make())
  const database = await Effect.runPromise(Scope.provide(scope)(embeddedPostgres({ dataDir, database: "crm_admin", durable: false })))
  return {
    adminUrl: Redacted.value(database.url),
    kind: "embedded",
    stop: async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}

/** The test run's PostgreSQL: TEST_DATABASE_URL, else testcontainers when Docker answers, else embedded. */
export const startTestPostgres = async (): Promise<TestPostgres> => {
  const url = process.env["TEST_DATABASE_URL"]
  if (url !== undefined && url.length > 0) return fromEnvironment(url)
  return (await fromTestcontainers()) ?? (await fromEmbedded())
}
