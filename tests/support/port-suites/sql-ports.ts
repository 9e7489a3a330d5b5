import { ConfigProvider, Effect, Exit, Layer, Scope } from "effect"
import { afterAll } from "vitest"
import { SqlPorts } from "../../../adapters/sql/sql-ports.ts"
import { testDatabase } from "../test-database.ts"
import type { MakePorts } from "./ports.ts"

// The QuickBooks connection store encrypts tokens with QUICKBOOKS_TOKEN_KEY: a fixed test key unless the environment has one.
const tokenKey = ConfigProvider.layerAdd(ConfigProvider.fromUnknown({ QUICKBOOKS_TOKEN_KEY: "07".repeat(32) }))

/**
 * The PostgreSQL ports on one migrated database for the calling test file:
 * built when its first suite starts, released after the file. Every suite
 * works on rows of its own, so they share it, and the file pays for one
 * database rather than one per port (about 0.5 s each).
 */
export const sqlPorts = (): MakePorts => {
  const scope = Effect.runSync(Scope.make())
  const context = Layer.buildWithScope(SqlPorts.pipe(Layer.provide([testDatabase(), tokenKey])), scope).pipe(
    Effect.orDie,
    Effect.cached,
    Effect.runSync
  )
  afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))
  return () => Layer.effectContext(context)
}
