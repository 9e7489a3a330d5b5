import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { DatabaseHealth, DatabaseUnavailable } from "../../application/ports/database-health.ts"

export const SqlDatabaseHealth = Layer.effect(
  DatabaseHealth,
  Effect.map(Effect.service(SqlClient.SqlClient), (sql) =>
    DatabaseHealth.of({
      ping: sql`SELECT 1`.pipe(
        Effect.timeout("2 seconds"),
        Effect.asVoid,
        Effect.mapError((error) => new DatabaseUnavailable({ message: error.message }))
      )
    }))
)
