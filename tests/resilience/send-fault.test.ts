import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { NOT_FOUND_AT_PROVIDER } from "../../domain/messaging/reconcile.ts"
import { type FakeOpenPhone, startFakeOpenPhone } from "../support/fake-openphone.ts"
import { type ServerProcess, startServer } from "../support/server-process.ts"
import {
  call,
  createContacts,
  duplicates,
  freshDatabase,
  type FreshDatabase,
  logLines,
  receivedByText,
  serverEnv,
  statusCounts,
  waitFor
} from "./harness.ts"

// Issue 8, section 6, the fault test: 500 one-off texts through the real
// server process, the provider failing 30% of sends (seeded, so a run
// repeats), the process SIGKILLed twice mid-run and restarted. Every text must
// end `sent` or `failed`, none stuck, and the provider must have taken each
// at most once; the database and the provider must agree on which were sent.

const MESSAGES = 500
const CONTACTS = 50
const CONCURRENCY = 8
/** Kill when this many sends were accepted (mid-POSTs), then when the provider has taken this many texts (mid-delivery). */
const FIRST_KILL_AT_ACCEPTED = 150
const SECOND_KILL_AT_RECEIVED = 250
/** Provider calls that may be under way at a kill, and so end in doubt: a handful, not the whole queue. */
const MAX_IN_DOUBT_PER_KILL = 20

let db: FreshDatabase
/** Set by the run: how many texts reconcile gave up as never taken by the provider. */
let givenUp: number | undefined
let fake: FakeOpenPhone
const servers: Array<ServerProcess> = []

beforeAll(async () => {
  db = await freshDatabase()
  fake = await startFakeOpenPhone({ failureRatio: { ratio: 0.3, seed: 8, status: 500 } })
})
afterAll(async () => {
  for (const server of servers) await server.kill()
  await fake.close()
  await db.close()
})

const env = () =>
  serverEnv(db.url, fake, {
    // The limit is tested elsewhere (rate-limit.test.ts); here it only paces the run.
    OPENPHONE_REQUESTS_PER_SECOND: "40"
  })

describe("500 sends, 30% provider failures, two SIGKILLs", () => {
  it("ends every message sent or failed, none sent twice, and the provider agrees with the database", async () => {
    const started = performance.now()
    let current = await startServer(env())
    servers.push(current)
    const contacts = await createContacts(current.baseUrl, CONTACTS)

    // The server in use; while it restarts, senders wait for the next one.
    let restarting: Promise<void> | undefined
    const restart = async () => {
      restarting ??= (async () => {
        await current.kill()
        current = await startServer(env())
        servers.push(current)
      })()
      await restarting
      restarting = undefined
    }

    const body = (i: number) => `Fault test ${i}: your crack inspection is booked (${(i * 7919) % 10007})`
    const accepted = new Map<number, string>()
    let retriedPosts = 0

    /** The message with this text, if a request that lost its answer created it. */
    const createdWith = async (text: string) =>
      (await db.query<{ id: string }>("SELECT id FROM messages WHERE body = $1", [text]))[0]?.id

    const sendOne = async (i: number) => {
      let key = `fault-${i}`
      for (let attempt = 0; attempt < 50; attempt++) {
        await restarting
        const contactId = contacts[i % CONTACTS] ?? ""
        const answer = await call(current.baseUrl, "POST", `/api/contacts/${contactId}/messages`, { body: body(i) }, {
          "idempotency-key": key
        })
        if (answer.status === 202 && typeof answer.body?.["id"] === "string") return void accepted.set(i, answer.body["id"])
        // No answer (killed) or the key's first request died with its process:
        // the database says whether that request created the text.
        retriedPosts++
        const existing = await createdWith(body(i))
        if (existing !== undefined) return void accepted.set(i, existing)
        if (answer.body?.["type"] === "/problems/idempotency-key-in-use") {
          key = `fault-${i}-again-${attempt}` // the claim of a killed request, whose work rolled back
        } else if (answer.status !== 0 && answer.status !== 503) {
          throw new Error(`send ${i}: ${answer.status} ${JSON.stringify(answer.body)}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      throw new Error(`send ${i}: no answer after 50 attempts`)
    }

    let next = 0
    const senders = Array.from({ length: CONCURRENCY }, async () => {
      while (next < MESSAGES) await sendOne(next++)
    })
    const killer = (async () => {
      await waitFor("first kill point", async () => (accepted.size >= FIRST_KILL_AT_ACCEPTED ? true : undefined), {
        timeoutMs: 120_000,
        everyMs: 20
      })
      const firstKill = { accepted: accepted.size, received: fake.received().length }
      await restart()
      await waitFor("second kill point", async () => (fake.received().length >= SECOND_KILL_AT_RECEIVED ? true : undefined), {
        timeoutMs: 180_000,
        everyMs: 20
      })
      const secondKill = { accepted: accepted.size, received: fake.received().length }
      await restart()
      return { firstKill, secondKill }
    })()
    await Promise.all(senders)
    const kills = await killer
    const postsDone = performance.now()

    // Bounded: the reconcile cron runs each minute; in-doubt texts wait for
    // the grace (3 s) and, when the provider never got them, the give-up age (15 s).
    const counts = await waitFor("every message sent or failed", async () => {
      const c = await statusCounts(db)
      const total = Object.values(c).reduce((a, b) => a + b, 0)
      return total === MESSAGES && (c["queued"] ?? 0) === 0 && (c["sending"] ?? 0) === 0 ? c : undefined
    }, { timeoutMs: 240_000, everyMs: 1000, describe: async () => JSON.stringify(await statusCounts(db)) })
    const finished = performance.now()

    const rows = await db.query<{ id: string; body: string; status: string; provider_id: string | null; error: string | null }>(
      "SELECT id, body, status, provider_id, error FROM messages WHERE direction = 'outbound'"
    )
    const received = receivedByText(fake)
    const providerIdOf = new Map(fake.received().filter((m) => m.direction === "outgoing").map((m) => [m.text, m.id]))
    // From the reconcile job's log lines (a killed process may lose its last 50 ms of them).
    const reconcileLines = servers.flatMap((s) => logLines(s.stdout(), "reconciled messages"))
    const total = (field: string) => reconcileLines.reduce((sum, line) => sum + Number(line[field] ?? 0), 0)
    const reconciled = { sent: total("sent"), failed: total("failed"), restarted: total("restarted") }
    const figures = {
      messages: MESSAGES,
      seconds: Math.round((finished - started) / 100) / 10,
      postsSeconds: Math.round((postsDone - started) / 100) / 10,
      sent: counts["sent"] ?? 0,
      failed: counts["failed"] ?? 0,
      duplicates: duplicates(fake).length,
      providerRequests: fake.stats().requests,
      providerStatuses: fake.stats().byStatus,
      retriedPosts,
      kills,
      reconciled,
      failures: Object.entries(Object.groupBy(rows.filter((r) => r.status === "failed"), (r) => (r.error ?? "").slice(0, 60)))
        .map(([error, list]) => `${list?.length ?? 0} x ${error}`)
    }
    process.stdout.write(`send-fault figures: ${JSON.stringify(figures, null, 2)}\n`)

    expect(duplicates(fake), "texts the provider took more than once").toEqual([])
    expect(new Set(rows.map((r) => r.body)).size, "one message per text").toBe(MESSAGES)
    expect(rows.filter((r) => r.status !== "sent" && r.status !== "failed")).toEqual([])
    // The provider took exactly the texts recorded as sent, under the ids recorded.
    const disagreements = rows.filter((r) =>
      r.status === "sent" ? r.provider_id !== providerIdOf.get(r.body) : received.has(r.body)
    )
    expect(disagreements, "messages whose status the provider contradicts").toEqual([])
    const ours = new Set(rows.map((r) => r.body))
    expect([...received.keys()].filter((text) => !ours.has(text)), "texts the provider took that we have no row for").toEqual([])
    givenUp = rows.filter((r) => r.error === NOT_FOUND_AT_PROVIDER).length
  })

  // A kill leaves in doubt only the texts whose provider call was under way,
  // a few per process. Texts still waiting for their turn under the rate
  // limit are not in doubt: failing them (claimed, never sent, then given up
  // by reconcile) loses texts that could simply have been sent after the restart.
  it("gives up only texts whose provider call was under way at a kill", () => {
    expect(givenUp, "the run above did not finish").toBeDefined()
    expect(givenUp, `texts failed as "${NOT_FOUND_AT_PROVIDER}" over both kills`).toBeLessThanOrEqual(MAX_IN_DOUBT_PER_KILL * 2)
  })
})
