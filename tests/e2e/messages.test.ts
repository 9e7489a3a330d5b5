import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { contractClient } from "../support/contract.ts"
import { withServer } from "../support/server-process.ts"

const dataDir = await mkdtemp(join(tmpdir(), "crm-e2e-messages-"))
afterAll(() => rm(dataDir, { recursive: true, force: true }))

const over = (baseUrl: string) => ({
  request: (path: string, init?: RequestInit) => fetch(`${baseUrl}${path}`, init)
})

interface MessageJson {
  readonly id: string
  readonly status: string
  readonly providerId: string | null
}

describe("texting through the server process (sandbox gateway, job engine inside)", () => {
  it("answers 202 with the text queued, and the job engine delivers it once to the sandbox", async () => {
    const exit = await withServer({ DATA_DIR: dataDir, CRM_ADMIN_TOKEN: "" }, async (server) => {
      const token = await server.waitFor("stderr", (err) => /crm_[\w-]{43}/.exec(err)?.[0], 10_000)
      const { request } = await contractClient(over(server.baseUrl), { token })
      const contact = (await request("POST", "/api/contacts", { body: { firstName: "Ann", phone: "(415) 555-2671" } })).body as {
        id: string
      }
      const sent = await request("POST", `/api/contacts/${contact.id}/messages`, {
        body: { body: "Your crack repair is booked" },
        headers: { "idempotency-key": "e2e-text-1" }
      })
      expect(sent.status).toBe(202)
      expect(sent.body).toMatchObject({ status: "queued" })
      const id = (sent.body as MessageJson).id

      // The workflow runs in the background: poll the contact's messages (no fixed sleep).
      let latest: MessageJson | undefined
      for (let i = 0; i < 200 && latest?.status !== "sent"; i++) {
        const page = (await request("GET", `/api/contacts/${contact.id}/messages`)).body as { data: Array<MessageJson> }
        latest = page.data.find((m) => m.id === id)
        if (latest?.status !== "sent") await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(latest).toMatchObject({ status: "sent", providerId: expect.any(String) })

      const recorded = (await request("GET", "/api/sandbox/messages")).body as { data: Array<{ text: string; to: Array<string> }> }
      expect(recorded.data.filter((m) => m.text === "Your crack repair is booked")).toEqual([
        expect.objectContaining({ to: ["+14155552671"] })
      ])
      const conversations = (await request("GET", "/api/conversations")).body as { data: Array<{ contact: { id: string } }> }
      expect(conversations.data.map((c) => c.contact.id)).toEqual([contact.id])
    })
    expect(exit, "the server stops cleanly on SIGTERM").toBe(0)
  }, 120_000)
})
