import { existsSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { contractClient } from "../support/contract.ts"
import { withServer } from "../support/server-process.ts"

const dataDir = await mkdtemp(join(tmpdir(), "crm-e2e-"))
afterAll(() => rm(dataDir, { recursive: true, force: true }))

const over = (baseUrl: string) => ({
  request: (path: string, init?: RequestInit) => fetch(`${baseUrl}${path}`, init)
})

describe("the server process on an embedded database", () => {
  it("starts, prints a first admin token, merges and undoes over HTTP, stops on SIGTERM and keeps its data", async () => {
    let token = ""
    let secondaryId = ""
    const firstExit = await withServer({ DATA_DIR: dataDir, LOG_LEVEL: "Info", CRM_ADMIN_TOKEN: "" }, async (first) => {
      token = await first.waitFor("stderr", (err) => /crm_[\w-]{43}/.exec(err)?.[0], 10_000)
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

      // Log lines are written in batches, so the request's line may come a moment after the response.
      const requestLog = await first.waitFor("stdout", (out) =>
        out.split("\n").slice(0, -1)
          .map((line) => JSON.parse(line) as { message: string; annotations: Record<string, unknown> })
          .find((l) => l.message === "http request" && l.annotations["path"] === `/api/contacts/${primaryId}/merge`), 5_000)
      expect(requestLog.annotations).toMatchObject({ method: "POST", status: 200, requestId: expect.any(String), durationMs: expect.any(Number) })
      expect(first.stdout()).not.toContain(token)
    })
    expect(firstExit, "the first server stops cleanly on SIGTERM").toBe(0)
    expect(existsSync(join(dataDir, "pg", "postmaster.pid")), "PostgreSQL stopped with the server").toBe(false)

    const secondExit = await withServer({ DATA_DIR: dataDir, CRM_ADMIN_TOKEN: "" }, async (second) => {
      const again = await fetch(`${second.baseUrl}/api/contacts/${secondaryId}`, { headers: { authorization: `Bearer ${token}` } })
      expect(again.status).toBe(200)
      expect(await again.json()).toMatchObject({ id: secondaryId, firstName: "Annie", status: "active" })
      // Start-up output is all written by the time a request is answered.
      expect(second.stderr()).not.toContain("First admin API token")
    })
    expect(secondExit, "the second server stops cleanly on SIGTERM").toBe(0)
  }, 120_000)
})
