import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { join } from "node:path"

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
  readonly stdout: () => string
  readonly stderr: () => string
  /** Sends SIGTERM and resolves with the exit code. */
  readonly stop: () => Promise<number | null>
}

const waitForReady = async (baseUrl: string, child: ChildProcess, logs: () => string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${logs()}`)
    const ready = await fetch(`${baseUrl}/ready`).then((r) => r.ok, () => false)
    if (ready) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${logs()}`)
}

/** Starts `npm start`'s program (adapters/http/main.ts) as a real process with the given environment. */
export const startServer = async (env: Record<string, string>): Promise<ServerProcess> => {
  const port = await freePort()
  const environment: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port) }
  delete environment["DATABASE_URL"]
  if (env["DATABASE_URL"] !== undefined) environment["DATABASE_URL"] = env["DATABASE_URL"]
  const child = spawn(process.execPath, [join(import.meta.dirname, "../../adapters/http/main.ts")], {
    env: environment,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  let err = ""
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()))
  const baseUrl = `http://127.0.0.1:${port}`
  await waitForReady(baseUrl, child, () => out + err, 60_000)
  return {
    baseUrl,
    stdout: () => out,
    stderr: () => err,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode)
        child.once("exit", (code) => resolve(code))
        child.kill("SIGTERM")
      })
  }
}
