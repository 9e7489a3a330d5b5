import { existsSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { contractClient } from "../support/contract.ts"
import { startServer } from "../support/server-process.ts"

const dataDir = await mkdtemp(join(tmpdir(), "crm-e2e-"))
afterAll(() => rm(dataDir, { recursive: true, force: true }))

const eventually = async <A>(find: () => A | undefined, timeoutMs = 5_000): Promise<A> => {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const found = find()
    if (found !== undefined) return found
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error("not found in time")
}

const over = (baseUrl: string) => ({
  request: (path: string, init?: RequestInit) => fetch(`${baseUrl}${path}`, init)
})

describe("the server process on an embedded database", () => {
  it("starts, prints a first admin token, merges and undoes over HTTP, stops on SIGTERM and keeps its data", async () => {
    const first = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: "Info", CRM_ADMIN_TOKEN: "" })
    let token = ""
    let secondaryId = ""
    try {
      token = /crm_[\w-]{43}/.exec(first.stderr())?.[0] ?? ""
      expect(token, first.stderr()).not.toBe("")
      const { request } = await contractClient(over(first.baseUrl), { token })

      const ann = await request("POST", "/api/contacts", { body: { firstName: "Ann", phone: "(415) 555-2671", tags: ["vip"] } })
      const annie = await request("POST", "/api/contacts", {
        body: { firstName: "Annie", lastName: "Lee", email: "annie@example.com", tags: ["lead"] },
        headers: { "idempotency-key": "e2e-annie" }
      })
      expect([ann.status, annie.status]).toEqual([201, 201])
      const primaryId = (ann.body as { id: string }).id
      secondaryId = (annie.body as { id: string }).id

      const byPhone = await request("GET", `/api/contacts?phone=${encodeURIComponent("415.555.2671")}`)
      expect((byPhone.body as { data: Array<{ id: string }> }).data.map((c) => c.id)).toEqual([primaryId])

      const merged = await request("POST", `/api/contacts/${primaryId}/merge`, { body: { secondaryId } })
      expect(merged.status).toBe(200)
      const result = merged.body as { merge: { id: string }; primary: { lastName: string; tags: Array<string> } }
      expect(result.primary).toMatchObject({ lastName: "Lee", tags: ["vip", "lead"] })

      const undone = await request("POST", `/api/merges/${result.merge.id}/undo`)
      expect(undone.status).toBe(200)
      expect(undone.body).toMatchObject({ primary: { lastName: null, tags: ["vip"] }, secondary: { status: "active" } })

      // Log lines are written in batches, so the request's line may take a moment.
      const requestLog = await eventually(() =>
        first.stdout().trim().split("\n")
          .map((line) => JSON.parse(line) as { message: string; annotations: Record<string, unknown> })
          .find((l) => l.message === "http request" && l.annotations["path"] === `/api/contacts/${primaryId}/merge`))
      expect(requestLog.annotations).toMatchObject({ method: "POST", status: 200, requestId: expect.any(String), durationMs: expect.any(Number) })
      expect(first.stdout()).not.toContain(token)
    } finally {
      expect(await first.stop()).toBe(0)
    }
    expect(existsSync(join(dataDir, "pg", "postmaster.pid")), "PostgreSQL stopped with the server").toBe(false)

    const second = await startServer({ DATA_DIR: dataDir, CRM_ADMIN_TOKEN: "" })
    try {
      expect(second.stderr()).not.toContain("First admin API token")
      const again = await fetch(`${second.baseUrl}/api/contacts/${secondaryId}`, { headers: { authorization: `Bearer ${token}` } })
      expect(again.status).toBe(200)
      expect(await again.json()).toMatchObject({ id: secondaryId, firstName: "Annie", status: "active" })
    } finally {
      expect(await second.stop()).toBe(0)
    }
  }, 120_000)
})
