import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { setTimeout as sleep } from "node:timers/promises"

export { freePort } from "../support/server-process.ts"

export interface ServerProcess {
  readonly name: string
  readonly baseUrl: string
  readonly child: ChildProcess
  /** The end of its stderr, to explain a failed start. */
  readonly stderrTail: () => string
}

/**
 * Starts `node script` with the given environment. stdout is dropped: the
 * real server still pays for writing its request log, nobody reads it.
 */
export const startServer = (
  name: string,
  script: string,
  port: number,
  env: Record<string, string>,
  nodeArgs: ReadonlyArray<string> = []
): ServerProcess => {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"]
  })
  let stderr = ""
  child.stderr?.setEncoding("utf8")
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  return { name, baseUrl: `http://127.0.0.1:${port}`, child, stderrTail: () => stderr }
}

/** Polls `path` until it answers 200; fails early if the process dies. */
export const waitUntilReady = async (server: ServerProcess, path: string, headers: Record<string, string> = {}) => {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`${server.name} exited during start-up (${server.child.exitCode ?? server.child.signalCode}):\n${server.stderrTail()}`)
    }
    try {
      const response = await fetch(server.baseUrl + path, { headers })
      await response.arrayBuffer()
      if (response.status === 200) return
    } catch {
      // not listening yet
    }
    await sleep(200)
  }
  throw new Error(`${server.name} was not ready within 60 s:\n${server.stderrTail()}`)
}

/** SIGTERM, then SIGKILL if it has not exited after 15 s (our server drains for up to 10 s). */
export const stopServer = async (server: ServerProcess) => {
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, "exit")
  child.kill("SIGTERM")
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000)
  try {
    await exited
  } finally {
    clearTimeout(timer)
  }
}
