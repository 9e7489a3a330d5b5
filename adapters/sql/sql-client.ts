import { PgClient } from "@effect/sql-pg"
import { Config, Effect, Layer, Option, Redacted } from "effect"
import { embeddedPostgres } from "./embedded-postgres.ts"

export interface SqlClientOptions {
  /** Join an embedded cluster another process is running (the CLI next to a server). */
  readonly attachToRunningEmbedded?: boolean
  /** False: an embedded database must already exist in DATA_DIR (see `EmbeddedPostgresOptions.create`). */
  readonly createEmbedded?: boolean
}

const poolSize = Config.Int("DATABASE_POOL_SIZE").pipe(Config.withDefault(10))
const multiplexing = Config.Boolean("DATABASE_MULTIPLEX").pipe(Config.withDefault(true))
const multiplexDepth = Config.Int("DATABASE_MULTIPLEX_DEPTH").pipe(Config.withDefault(32))

/**
 * The pool for a known URL. Multiplexing pipelines statements from
 * concurrent requests on each pooled connection (transactions still get a
 * connection of their own); measured with `npm run bench`, it is what lets a
 * pool of 10 keep up with 50 concurrent clients.
 */
export const pgClientLayer = (url: Redacted.Redacted<string>, maxConnections: number, multiplex = true, multiplexConcurrency = 32) =>
  PgClient.layer({ url, maxConnections, multiplex, multiplexConcurrency, applicationName: "attack-a-crack-crm" })

/**
 * The application's PostgreSQL: `DATABASE_URL` when set; otherwise an
 * embedded PostgreSQL kept in `DATA_DIR` (default `./.data`), started with the
 * layer and stopped when it is released, after the pool has closed.
 */
export const sqlClientLayer = (options: SqlClientOptions = {}) =>
  Layer.unwrap(Effect.gen(function*() {
    const url = yield* Config.option(Config.Redacted("DATABASE_URL"))
    const size = yield* poolSize
    const multiplex = yield* multiplexing
    const depth = yield* multiplexDepth
    if (Option.isSome(url)) return pgClientLayer(url.value, size, multiplex, depth)
    const dataDir = yield* Config.String("DATA_DIR").pipe(Config.withDefault("./.data"))
    const database = yield* embeddedPostgres({
      dataDir,
      database: "crm",
      attach: options.attachToRunningEmbedded,
      create: options.createEmbedded
    })
    yield* Effect.logInfo(database.owned ? "embedded PostgreSQL started" : "joined running embedded PostgreSQL").pipe(
      Effect.annotateLogs({ dataDir, port: database.port })
    )
    return pgClientLayer(database.url, size, multiplex, depth)
  }))
