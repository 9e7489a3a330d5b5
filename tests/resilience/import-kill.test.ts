import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeOpenPhone, startFakeOpenPhone } from "../support/fake-openphone.ts"
import { type ServerProcess, startServer } from "../support/server-process.ts"
import { ADMIN_TOKEN, call, freshDatabase, type FreshDatabase, problemLines, serverEnv, waitFor } from "./harness.ts"

// Issue 9, section 4: a 50,000-row import through the real server process,
// SIGKILLed while the import runs, then restarted. The job resumes from its
// last committed batch: every row ends with exactly one outcome, the counts
// add up, and the contacts created are exactly the rows counted `created`
// (a batch replayed after the kill must not create its contacts twice).

const ROWS = 50_000
/** Every INVALID_EVERY-th row has a phone that is not a real number (rejected); every BLANK_EVERY-th has no name and no phone (skipped). */
const INVALID_EVERY = 97
const BLANK_EVERY = 251
const AREA_CODES = ["617", "781", "339", "508", "978"]

/** The generic CSV: unique names and phones (2000000 + i after a Massachusetts area code), a few bad rows. */
const genericCsv = (rows: number) => {
  const lines = ["First Name,Last Name,Phone,Email,City,State,Zip"]
  for (let i = 0; i < rows; i++) {
    if (i % BLANK_EVERY === BLANK_EVERY - 1) lines.push(`,,,,Quincy,MA,02169`)
    else if (i % INVALID_EVERY === INVALID_EVERY - 1) lines.push(`Bad${i},Phone${i},12345,,Quincy,MA,02169`)
    else {
      const phone = `(${AREA_CODES[i % AREA_CODES.length]}) ${String(2_000_000 + i).slice(0, 3)}-${String(2_000_000 + i).slice(3)}`
      lines.push(`Kill${i},Resume${i},${phone},kill${i}@example.com,Quincy,MA,02169`)
    }
  }
  return new TextEncoder().encode(lines.join("\n") + "\n")
}

let db: FreshDatabase
let fake: FakeOpenPhone
const servers: Array<ServerProcess> = []

beforeAll(async () => {
  db = await freshDatabase()
  fake = await startFakeOpenPhone()
})
afterAll(async () => {
  for (const server of servers) await server.kill()
  await fake.close()
  await db.close()
})

const importState = async (baseUrl: string, id: string) => {
  const answer = await call(baseUrl, "GET", `/api/imports/${id}`)
  return answer.status === 200 ? answer.body : undefined
}

describe("a 50,000-row import, the server SIGKILLed mid-import", () => {
  it("resumes after the restart with exactly one outcome per row and no duplicate contacts", async () => {
    const started = performance.now()
    const start = async () => {
      const server = await startServer(serverEnv(db.url, fake))
      servers.push(server)
      return server
    }
    let current = await start()
    const logs = problemLines(servers)

    const form = new FormData()
    form.append("file", new Blob([genericCsv(ROWS)]), "kill-test.csv")
    const response = await fetch(`${current.baseUrl}/api/imports`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      signal: AbortSignal.timeout(60_000)
    })
    const queued = await response.json() as Record<string, unknown>
    expect(response.status, JSON.stringify(queued)).toBe(202)
    expect(queued["totalRows"]).toBe(ROWS)
    const id = String(queued["id"])

    // Kill once some batches are committed and many remain.
    const atKill = await waitFor("the import under way", async () => {
      const state = await importState(current.baseUrl, id)
      const read = Number(state?.["rowsRead"] ?? 0)
      return read > 0 && read < ROWS ? read : undefined
    }, { timeoutMs: 120_000, everyMs: 50, describe: async () => `${JSON.stringify(await importState(current.baseUrl, id))}\n${logs()}` })
    await current.kill()
    const killed = performance.now()
    current = await start()

    const done = await waitFor("the import completed after the restart", async () => {
      const state = await importState(current.baseUrl, id)
      if (state?.["status"] === "failed") throw new Error(`import failed: ${JSON.stringify(state)}`)
      return state?.["status"] === "completed" ? state : undefined
    }, { timeoutMs: 150_000, everyMs: 500, describe: async () => `${JSON.stringify(await importState(current.baseUrl, id))}\n${logs()}` })
    const finished = performance.now()

    const counts = done["counts"] as Record<string, number>
    const rowStats = (await db.query<{ n: string; distinct_rows: string; min_row: number; max_row: number }>(
      "SELECT count(*) AS n, count(DISTINCT row_number) AS distinct_rows, min(row_number) AS min_row, max(row_number) AS max_row FROM import_rows WHERE import_id = $1",
      [id]
    ))[0]
    const byOutcome = Object.fromEntries(
      (await db.query<{ outcome: string; n: string }>("SELECT outcome, count(*) AS n FROM import_rows WHERE import_id = $1 GROUP BY outcome", [id]))
        .map((r) => [r.outcome, Number(r.n)])
    )
    const contacts = (await db.query<{ n: string; phones: string }>(
      "SELECT count(*) AS n, count(DISTINCT phone) AS phones FROM contacts WHERE status = 'active'"
    ))[0]
    const expectedBad = { rejected: 0, skipped: 0 }
    for (let i = 0; i < ROWS; i++) {
      if (i % BLANK_EVERY === BLANK_EVERY - 1) expectedBad.skipped++
      else if (i % INVALID_EVERY === INVALID_EVERY - 1) expectedBad.rejected++
    }
    process.stdout.write(`import-kill figures: ${JSON.stringify({
      rows: ROWS,
      killedAtRowsRead: atKill,
      killedAtSeconds: Math.round((killed - started) / 100) / 10,
      totalSeconds: Math.round((finished - started) / 100) / 10,
      counts,
      byOutcome,
      contacts
    })}\n`)

    // Every row exactly once: 50,000 outcomes, one per row number 2..50,001 (the header is row 1).
    expect(Number(rowStats?.n)).toBe(ROWS)
    expect(Number(rowStats?.distinct_rows)).toBe(ROWS)
    expect([rowStats?.min_row, rowStats?.max_row]).toEqual([2, ROWS + 1])
    // The counts add up and agree with the recorded outcomes.
    expect(done["rowsRead"]).toBe(ROWS)
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(ROWS)
    for (const [outcome, n] of Object.entries(counts)) expect(byOutcome[outcome] ?? 0, outcome).toBe(n)
    expect(counts["rejected"]).toBe(expectedBad.rejected)
    expect(counts["skipped"]).toBe(expectedBad.skipped)
    expect(counts["created"]).toBe(ROWS - expectedBad.rejected - expectedBad.skipped)
    // Contacts: exactly the created ones, one per phone.
    expect(Number(contacts?.n)).toBe(counts["created"])
    expect(Number(contacts?.phones)).toBe(counts["created"])
  })
})
