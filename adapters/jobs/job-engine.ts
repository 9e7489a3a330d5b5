import * as NodeCrypto from "@effect/platform-node/NodeCrypto"
import { Config, Duration, Effect, Layer, Option } from "effect"
import { ClusterWorkflowEngine, RunnerAddress, type Sharding, ShardingConfig, SingleRunner } from "effect/cluster"
import type { SqlClient } from "effect/sql"
import type { WorkflowEngine } from "effect/workflow"

/**
 * Where this process stands in the job engine (env `JOB_RUNNER`):
 * - `single` (default): one process does everything, a SingleRunner inside it
 *   (`npm start`). A second `single` process on the same database is a hot
 *   standby that takes the shards over when the first dies.
 * - `socket`: a runner of a scale-out cluster (`npm run worker`); runners find
 *   each other through the database, split the shards with advisory locks and
 *   forward messages over TCP at JOB_RUNNER_HOST:JOB_RUNNER_PORT.
 * - `none`: starts jobs but runs none (API replicas next to `socket` runners,
 *   the CLI next to a server); its workflow and cron registrations are
 *   no-ops. What it starts is written to storage, where the runners find it
 *   within JOB_MESSAGE_POLL_INTERVAL, whichever kind of runner they are.
 */
export type JobRunnerMode = "single" | "socket" | "none"

export interface JobEngineOptions {
  readonly mode: JobRunnerMode
  /** How other runners reach this one (`socket` mode). */
  readonly runnerAddress?: { readonly host: string; readonly port: number } | undefined
  /** Where to listen, when it differs from the address others use (e.g. 0.0.0.0 in a container). */
  readonly listenAddress?: { readonly host: string; readonly port: number } | undefined
  /** Timings and sizes; tests make them small (see `fastJobTimings`). */
  readonly sharding?: Partial<ShardingConfig.ShardingConfig["Service"]> | undefined
}

/** What the engine gives the layers above it: `WorkflowEngine` to start workflows, `Sharding` for cron jobs. */
export type JobEngineServices = WorkflowEngine.WorkflowEngine | Sharding.Sharding

const DEFAULT_RUNNER_ADDRESS = { host: "localhost", port: 34431 }

/**
 * How often a runner looks in storage for messages nobody told it about:
 * scheduled ones (cron runs, durable sleeps) and ones sent by a process that
 * does not run jobs. The library's 10 s would make a cron job up to 10 s
 * late; one indexed query a second is cheap.
 */
const DEFAULT_MESSAGE_POLL_INTERVAL = Duration.seconds(1)

// Every setting is passed explicitly: the cluster's own env loader reads HOST
// and PORT, which here belong to the HTTP server.
const shardingConfig = (options: JobEngineOptions): Partial<ShardingConfig.ShardingConfig["Service"]> => {
  // A single runner is reached by nobody: its address only names it in
  // cluster_runners (the library's default, as the facts file verified it).
  const given = options.runnerAddress ?? (options.mode === "none" ? undefined : DEFAULT_RUNNER_ADDRESS)
  const address = given === undefined ? Option.none() : Option.some(RunnerAddress.make(given.host, given.port))
  return {
    runnerAddress: address,
    runnerListenAddress: options.listenAddress === undefined ? Option.none() : Option.some(RunnerAddress.make(options.listenAddress.host, options.listenAddress.port)),
    ...options.sharding
  }
}

const socketLayer = (options: JobEngineOptions) =>
  Layer.unwrap(
    // Loaded only when used: the socket transport pulls in an HTTP client and
    // more, memory a single-process server does not need.
    Effect.map(
      Effect.promise(() => import("@effect/platform-node/NodeClusterSocket")),
      (NodeClusterSocket) => NodeClusterSocket.layer({ storage: "sql", shardingConfig: shardingConfig(options) })
    )
  )

// No runner address: Sharding is a client that saves what it sends to storage
// and notifies nobody; it holds no shard and keeps no runner row or lock.
const clientLayer = (options: JobEngineOptions) =>
  SingleRunner.layer({ runnerStorage: "memory", shardingConfig: { ...shardingConfig(options), runnerAddress: Option.none() } })

/**
 * The durable job engine on the application's PostgreSQL: Effect's
 * ClusterWorkflowEngine over a SingleRunner (`single`), a socket runner
 * (`socket`) or a storage-only client (`none`). It creates and migrates its
 * own `cluster_*` tables.
 * Give it the SAME PgClient the ports use: an activity marked
 * `ClusterSchema.WithTransaction` then commits its writes and its recorded
 * result in one transaction.
 */
export const jobEngineLayer = (options: JobEngineOptions): Layer.Layer<JobEngineServices, never, SqlClient.SqlClient> => {
  const runner = options.mode === "socket"
    ? socketLayer(options)
    : (options.mode === "single"
      ? SingleRunner.layer({ runnerStorage: "sql", shardingConfig: shardingConfig(options) })
      : clientLayer(options)).pipe(Layer.provide(NodeCrypto.layerDigest))
  // A bad sharding setting or a port in use is a start-up failure to fix, not an error to handle.
  return ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(runner), Layer.orDie)
}

const address = (prefix: string, defaultHost: string, defaultPort: number) =>
  Config.all({
    host: Config.String(`${prefix}_HOST`).pipe(Config.withDefault(defaultHost)),
    port: Config.Port(`${prefix}_PORT`).pipe(Config.withDefault(defaultPort))
  })

const duration = (name: string, fallback: Duration.Input) =>
  Config.Duration(name).pipe(Config.withDefault(Duration.fromInputUnsafe(fallback)))

/** The engine's settings from the environment; see adapters/jobs/README.md. */
export const jobEngineConfig = Config.all({
  mode: Config.Literals(["single", "socket", "none"], "JOB_RUNNER").pipe(Config.withDefault("single" as const)),
  runnerAddress: address("JOB_RUNNER", DEFAULT_RUNNER_ADDRESS.host, DEFAULT_RUNNER_ADDRESS.port),
  listenHost: Config.option(Config.String("JOB_RUNNER_LISTEN_HOST")),
  sharding: Config.all({
    shardLockExpiration: duration("JOB_SHARD_LOCK_EXPIRATION", ShardingConfig.defaults.shardLockExpiration),
    shardLockRefreshInterval: duration("JOB_SHARD_LOCK_REFRESH_INTERVAL", ShardingConfig.defaults.shardLockRefreshInterval),
    entityMessagePollInterval: duration("JOB_MESSAGE_POLL_INTERVAL", DEFAULT_MESSAGE_POLL_INTERVAL),
    refreshAssignmentsInterval: duration("JOB_REFRESH_ASSIGNMENTS_INTERVAL", ShardingConfig.defaults.refreshAssignmentsInterval)
  })
}).pipe(Config.map(({ listenHost, ...options }): JobEngineOptions => ({
  ...options,
  listenAddress: Option.isSome(listenHost) ? { host: listenHost.value, port: options.runnerAddress.port } : undefined
})))

/** A runner of a scale-out cluster (`npm run worker`), whatever JOB_RUNNER says. */
export const JobEngineWorkerLive: Layer.Layer<JobEngineServices, never, SqlClient.SqlClient> = Layer.unwrap(
  Effect.gen(function*() {
    const options = yield* Effect.orDie(jobEngineConfig)
    yield* Effect.logInfo("job runner").pipe(Effect.annotateLogs({ address: `${options.runnerAddress?.host}:${options.runnerAddress?.port}` }))
    return jobEngineLayer({ ...options, mode: "socket" })
  })
)

/** A process that starts jobs and runs none, whatever JOB_RUNNER says: the CLI. */
export const JobEngineClientLive: Layer.Layer<JobEngineServices, never, SqlClient.SqlClient> = jobEngineLayer({ mode: "none" })

/** The engine as the environment configures it (JOB_RUNNER and friends). */
export const JobEngineLive: Layer.Layer<JobEngineServices, never, SqlClient.SqlClient> = Layer.unwrap(
  Effect.gen(function*() {
    return jobEngineLayer(yield* Effect.orDie(jobEngineConfig))
  })
)

/**
 * Timings for tests: scheduled messages seen within 100 ms, a dead runner's
 * shards free after 6 s. (A lock operation must finish within the refresh
 * interval: 1 s is too short on a loaded 2-core machine.)
 */
export const fastJobTimings: Partial<ShardingConfig.ShardingConfig["Service"]> = {
  entityMessagePollInterval: Duration.millis(100),
  refreshAssignmentsInterval: Duration.millis(200),
  shardLockRefreshInterval: Duration.seconds(2),
  shardLockExpiration: Duration.seconds(6),
  entityTerminationTimeout: Duration.seconds(1),
  sendRetryInterval: Duration.millis(20)
}
