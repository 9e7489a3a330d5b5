import { Context, type Effect, Schema } from "effect"

export class DatabaseUnavailable extends Schema.TaggedError<DatabaseUnavailable>()("DatabaseUnavailable", {
  message: Schema.String
}) {}

/** Answers whether the database takes queries now (readiness). */
export class DatabaseHealth extends Context.Service<DatabaseHealth, {
  readonly ping: Effect.Effect<void, DatabaseUnavailable>
}>()("crm/application/ports/DatabaseHealth") {}
