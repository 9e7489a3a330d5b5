import { Effect, Layer } from "effect"
import { Migrator } from "effect/sql"
import { migrations } from "./migrations/index.ts"

/** Runs the pending migrations; PostgreSQL locks the migrations table so two starts cannot both migrate. */
export const runMigrations = Migrator.make({})({ loader: migrations })

/** Migrates when built: anything built on top sees the current schema. */
export const MigrationsLayer = Layer.effectDiscard(
  Effect.flatMap(runMigrations, (applied) =>
    applied.length === 0
      ? Effect.logDebug("database schema is current")
      : Effect.logInfo("applied migrations").pipe(Effect.annotateLogs({ migrations: applied.map(([id, name]) => `${id}_${name}`) })))
)
