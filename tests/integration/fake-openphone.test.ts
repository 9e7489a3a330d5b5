import { spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { afterEach, describe, expect, it } from "vitest"
import { FAKE_API_KEY, FAKE_NUMBER, type FakeOpenPhone, startFakeOpenPhone } from "../support/fake-openphone.ts"

// The fake provider itself: the resilience and contract tests lean on what it
// promises (it fails before recording, repeats a seeded run, counts the pace).
const started: Array<FakeOpenPhone> = []
const start = async (options: Parameters<typeof startFakeOpenPhone>[0] = {}) => {
  const fake = await startFakeOpenPhone(options)
  started.push(fake)
  return fake
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()))
})

const send = (url: string, content = "hello", init: RequestInit = {}) =>
  fetch(`${url}/v1/messages`, {
    method: "POST",
    headers: { authorization: FAKE_API_KEY, "content-type": "application/json" },
    body: JSON.stringify({ content, from: FAKE_NUMBER.id, to: ["+15125550150"] }),
    ...init
  })

describe("fake OpenPhone", () => {
  it("fails before recording: a refused send is never received", async () => {
    const fake = await start()
    fake.fail({ mode: { kind: "status", status: 500 }, times: 1 })
    expect((await send(fake.url, "first try")).status).toBe(500)
    const accepted = await send(fake.url, "second try")
    expect(accepted.status).toBe(202)
    expect(((await accepted.json()) as { data: { id: string } }).data.id).toMatch(/^AC/)
    expect(fake.received().map((m) => m.text)).toEqual(["second try"])
    expect(fake.stats()).toMatchObject({ requests: 2, sends: 2, received: 1, byStatus: { "500": 1, "202": 1 } })
  })

  it("a seeded failure ratio fails the same sends every run, at about the ratio", async () => {
    const statuses = async () => {
      const fake = await start({ failureRatio: { ratio: 0.3, seed: 42 } })
      const result: Array<number> = []
      for (let i = 0; i < 60; i++) result.push((await send(fake.url, `m${i}`)).status)
      return result
    }
    const [first, second] = [await statuses(), await statuses()]
    expect(first).toEqual(second)
    const failures = first.filter((s) => s === 500).length
    expect(failures).toBeGreaterThan(8)
    expect(failures).toBeLessThan(30)
  })

  it("a hang takes the request and never answers, recording nothing", async () => {
    const fake = await start()
    fake.fail({ mode: { kind: "hang" }, times: 1 })
    await expect(send(fake.url, "lost", { signal: AbortSignal.timeout(200) })).rejects.toThrow()
    expect(fake.received()).toEqual([])
    fake.fail({ mode: { kind: "slow", millis: 50 }, times: 1 })
    expect((await send(fake.url, "late")).status).toBe(202)
    expect(fake.received().map((m) => m.text)).toEqual(["late"])
  })

  it("counts the most requests in any second, and can enforce the provider's limit with 429 and Retry-After", async () => {
    const fake = await start({ enforceRateLimit: 10 })
    const answers = await Promise.all(Array.from({ length: 14 }, (_, i) => send(fake.url, `burst ${i}`)))
    const limited = answers.filter((a) => a.status === 429)
    expect(limited).toHaveLength(4)
    expect(limited[0]?.headers.get("retry-after")).toBe("1")
    expect(fake.stats().maxPerSecond).toBe(14)
    expect(fake.received()).toHaveLength(10)
  })

  it("refuses a Bearer token as the real API does (the raw key is the scheme)", async () => {
    const fake = await start()
    const answer = await fetch(`${fake.url}/v1/phone-numbers`, { headers: { authorization: `Bearer ${FAKE_API_KEY}` } })
    expect(answer.status).toBe(401)
  })

  it("runs as its own process, printing its URL and taking orders over /__fake", async () => {
    const child = spawn(process.execPath, ["tests/support/fake-openphone-main.ts"], {
      env: { ...process.env, FAKE_OPENPHONE_FAILURE_RATIO: "1", FAKE_OPENPHONE_SEED: "7", FAKE_OPENPHONE_FAILURE_STATUS: "503" },
      stdio: ["ignore", "pipe", "inherit"]
    })
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve))
      const { url } = JSON.parse(line) as { url: string }
      expect((await send(url)).status).toBe(503)
      await fetch(`${url}/__fake/faults`, { method: "POST", body: JSON.stringify({ failureRatio: null }) })
      expect((await send(url)).status).toBe(202)
      const stats = await (await fetch(`${url}/__fake/stats`)).json()
      expect(stats).toMatchObject({ requests: 2, sends: 2, received: 1 })
      const messages = await (await fetch(`${url}/__fake/messages`)).json()
      expect(messages).toHaveLength(1)
    } finally {
      child.kill("SIGTERM")
    }
  })
})
