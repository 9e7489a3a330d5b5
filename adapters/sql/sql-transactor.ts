import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { Transactor } from "../../application/ports/transactor.ts"

/** One PostgreSQL transaction per unit of work; nested calls become savepoints. */
export const SqlTransactor = Layer.effect(
  Transactor,
  Effect.map(Effect.service(SqlClient.SqlClient), (sql) =>
    Transactor.of({
      withTransaction: (self) => sql.withTransaction(self).pipe(Effect.catchTag("SqlError", Effect.die))
    }))
)
