import { Layer } from "effect"
import { SqlContactMergeRepository } from "./sql-contact-merge-repository.ts"
import { SqlContactReferences } from "./sql-contact-references.ts"
import { SqlContactRepository } from "./sql-contact-repository.ts"
import { SqlDatabaseHealth } from "./sql-database-health.ts"
import { SqlIdempotencyStore } from "./sql-idempotency-store.ts"
import { SqlTokenRepository } from "./sql-token-repository.ts"
import { SqlTransactor } from "./sql-transactor.ts"

/** Every port PostgreSQL implements; needs a PgClient (and its SqlClient). */
export const SqlPorts = Layer.mergeAll(
  SqlContactRepository,
  SqlContactMergeRepository,
  SqlContactReferences,
  SqlTokenRepository,
  SqlIdempotencyStore,
  SqlTransactor,
  SqlDatabaseHealth
)
