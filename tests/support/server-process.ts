import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { join } from "node:path"

/**
 * A port that was free a moment ago. Racy (another process may take it
 * before the caller binds it), so the e2e tests let the server bind port 0
 * instead; the benchmarks, which start servers that cannot, still use it.
 */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

export interface ServerProcess {
  readonly baseUrl: string
  readonly pid: number | undefined
  readonly stdout: () => string
  readonly stderr: () => string
  /**
   * Resolves with the first value `find` returns from the stream's output so
   * far, checked again on each chunk as it arrives; rejects after `timeoutMs`.
   */
  readonly waitFor: <A>(stream: "stdout" | "stderr", find: (output: string) => A | undefined, timeoutMs?: number) => Promise<A>
  /** Sends SIGTERM and resolves with the exit code (null if it had to be killed after `timeoutMs`). */
  readonly stop: (timeoutMs?: number) => Promise<number | null>
  /** SIGKILL, as a crash: no drain, no clean-up; resolves once the process is gone. */
  readonly kill: () => Promise<void>
}

interface LogLine {
  readonly message: unknown
  readonly annotations?: Record<string, unknown>
}

const parseLine = (line: string): LogLine | undefined => {
  try {
    return JSON.parse(line) as LogLine
  } catch {
    return undefined // not a log line
  }
}

/** The port in the server's JSON "listening" log line, once it has been written. */
const listeningPort = (stdout: string): number | undefined => {
  // Complete lines only: a chunk may end mid-line.
  for (const line of stdout.split("\n").slice(0, -1)) {
    if (!line.includes("\"listening\"")) continue
    const parsed = parseLine(line)
    const port = parsed?.annotations?.["port"]
    if (parsed?.message === "listening" && typeof port === "number") return port
  }
  return undefined
}

const watch = (child: ChildProcess, output: { stdout: string; stderr: string }) =>
  <A>(stream: "stdout" | "stderr", find: (output: string) => A | undefined, timeoutMs = 60_000) =>
    new Promise<A>((resolve, reject) => {
      const source = child[stream]!
      const done = () => {
        clearTimeout(timer)
        source.off("data", check)
        child.off("exit", exited)
      }
      const check = () => {
        const found = find(output[stream])
        if (found === undefined) return
        done()
        resolve(found)
      }
      const exited = (code: number | null) => {
        done()
        reject(new Error(`server exited with ${code} before its ${stream} showed what was awaited:\n${output.stdout}${output.stderr}`))
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`not on the server's ${stream} after ${timeoutMs} ms:\n${output.stdout}${output.stderr}`))
      }, timeoutMs)
      // Listeners are added after the output's own, so `output` already holds each chunk.
      source.on("data", check)
      child.once("exit", exited)
      check()
    })

/**
 * Starts `npm start`'s program (adapters/http/main.ts) as a real process with
 * the given environment, on PORT=0: the server binds a free port itself and
 * its "listening" log line (Info level) says which, so no other process can
 * take the port in between.
 */
export const startServer = async (env: Record<string, string>): Promise<ServerProcess> => {
  if (env["LOG_LEVEL"] !== undefined && !["All", "Trace", "Debug", "Info"].includes(env["LOG_LEVEL"])) {
    throw new Error(`startServer reads the port from the Info-level "listening" line; LOG_LEVEL=${env["LOG_LEVEL"]} hides it`)
  }
  const environment: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: "Info", ...env, PORT: "0", HOST: "127.0.0.1" }
  delete environment["DATABASE_URL"]
  if (env["DATABASE_URL"] !== undefined) environment["DATABASE_URL"] = env["DATABASE_URL"]
  const child = spawn(process.execPath, [join(import.meta.dirname, "../../adapters/http/main.ts")], {
    env: environment,
    stdio: ["ignore", "pipe", "pipe"]
  })
  const output = { stdout: "", stderr: "" }
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()))
  const waitFor = watch(child, output)
  const port = await waitFor("stdout", listeningPort)
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    waitFor,
    stop: (timeoutMs = 30_000) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
        child.once("exit", (code) => {
          clearTimeout(timer)
          resolve(code)
        })
        child.kill("SIGTERM")
      }),
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGKILL")
      })
  }
}

/**
 * Runs `use` against a started server, then stops it whatever happened, and
 * resolves with the server's exit code. A failure inside `use` is the one
 * reported (the server is still stopped); check the exit code afterwards.
 */
export const withServer = async (env: Record<string, string>, use: (server: ServerProcess) => Promise<void>): Promise<number | null> => {
  const server = await startServer(env)
  try {
    await use(server)
  } catch (error) {
    await server.stop()
    throw error
  }
  return server.stop()
}
