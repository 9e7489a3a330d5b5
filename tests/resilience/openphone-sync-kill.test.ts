import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { FAKE_API_KEY, FAKE_NUMBER, type FakeOpenPhone, fakeOpenPhone } from "../support/fake-openphone.ts"
import { testDatabaseUrl } from "../support/test-database.ts"

const ROOT = join(import.meta.dirname, "../..")

interface SyncProcess {
  readonly child: ChildProcess
  readonly stdout: () => string
  /** Resolves once stdout matches, or rejects when the process ends first. */
  readonly waitFor: (pattern: RegExp) => Promise<void>
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stderr: string }>
}

/**
 * `npm run crm -- openphone sync` as an operator runs it, in a process group
 * of its own so SIGKILL reaches node under npm at once, with no chance to clean up.
 */
const startSync = (env: Record<string, string>): SyncProcess => {
  const child = spawn("npm", ["run", "--silent", "crm", "--", "openphone", "sync"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr }))
  )
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(stdout)) {
          child.stdout!.off("data", check)
          resolve()
        }
      }
      child.stdout!.on("data", check)
      void exited.then(({ code, stderr }) => reject(new Error(`sync exited (${code}) before ${pattern}:\n${stdout}\n${stderr}`)))
      check()
    })
  return { child, stdout: () => stdout, waitFor, exited }
}

const killGroup = (sync: SyncProcess) => {
  if (sync.child.pid !== undefined) process.kill(-sync.child.pid, "SIGKILL")
}

const PARTICIPANTS = Array.from({ length: 40 }, (_, i) => `+1415555${(1000 + i).toString()}`)
const BUSY = PARTICIPANTS[0]!

/** One text from each of 40 strangers, and 150 more from the first: 41 pages of up to 100. */
const seedHistory = (fake: FakeOpenPhone) => {
  const start = Date.UTC(2026, 0, 1)
  PARTICIPANTS.forEach((phone, i) => fake.addIncoming(phone, `hi from ${phone}`, new Date(start + i * 60_000)))
  for (let i = 0; i < 150; i++) fake.addIncoming(BUSY, `busy ${i}`, new Date(start + (100 + i) * 60_000))
  return PARTICIPANTS.length + 150
}

const query = <A extends object>(url: string, f: (sql: PgClient.PgClient) => Effect.Effect<ReadonlyArray<A>, unknown>) =>
  Effect.flatMap(Effect.service(PgClient.PgClient), f).pipe(Effect.provide(pgClientLayer(Redacted.make(url), 1)), Effect.orDie)

describe("openphone sync killed mid-run", () => {
  it.live("a rerun after SIGKILL resumes from the last checkpoint: every message stored once, one lead per number", () =>
    Effect.gen(function*() {
      const url = yield* testDatabaseUrl
      const fake = yield* fakeOpenPhone()
      const total = seedHistory(fake)
      // The default limit of 10 requests a second keeps the 40-odd pages going for seconds: time to kill it mid-run.
      const env = { DATABASE_URL: url, OPENPHONE_API_KEY: FAKE_API_KEY, OPENPHONE_API_URL: fake.url, OPENPHONE_FROM: FAKE_NUMBER.number }

      const first = startSync(env)
      yield* Effect.promise(() => first.waitFor(/^page 8:/m))
      killGroup(first)
      const killed = yield* Effect.promise(() => first.exited)
      assert.isNull(killed.code, `killed, not finished:\n${first.stdout()}`)
      assert.notMatch(first.stdout(), /finished/)
      const [before] = yield* query(url, (sql) => sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM messages`)
      assert.isAbove(before!.n, 0)
      assert.isBelow(before!.n, total)
      const requestsBefore = fake.requests().length

      const second = startSync(env)
      const done = yield* Effect.promise(() => second.exited)
      assert.strictEqual(done.code, 0, `${second.stdout()}\n${done.stderr}`)
      assert.match(second.stdout(), /^Resuming the sync started .*: (\d+) pages and (\d+) messages already stored/m)
      assert.match(second.stdout(), new RegExp(`finished: \\d+ pages, ${total} messages stored, ${PARTICIPANTS.length} conversations, ${PARTICIPANTS.length} contacts created`))

      const [counts] = yield* query(url, (sql) =>
        sql<{ readonly messages: number; readonly providerIds: number; readonly contacts: number; readonly phones: number }>`
          SELECT (SELECT count(*)::int FROM messages) AS messages,
                 (SELECT count(DISTINCT provider_id)::int FROM messages) AS "providerIds",
                 (SELECT count(*)::int FROM contacts) AS contacts,
                 (SELECT count(DISTINCT phone)::int FROM contacts) AS phones`)
      assert.deepStrictEqual(counts, { messages: total, providerIds: total, contacts: PARTICIPANTS.length, phones: PARTICIPANTS.length })

      // Resumed, not restarted: pages committed before the kill were not asked for again. At
      // most the one page in flight when the process died is fetched twice.
      const firstPages = fake.requests().filter((r) =>
        r.path === "/v1/messages" && !r.query.some(([name]) => name === "pageToken")
      )
      assert.isAtMost(firstPages.length, PARTICIPANTS.length + 1)
      const rerunFirstPages = fake.requests().slice(requestsBefore).filter((r) =>
        r.path === "/v1/messages" && !r.query.some(([name]) => name === "pageToken")
      )
      assert.isBelow(rerunFirstPages.length, PARTICIPANTS.length - 6)
    }), { timeout: 180_000 })
})
