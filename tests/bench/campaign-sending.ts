import { setTimeout as sleep } from "node:timers/promises"
import { Result } from "effect"
import pg from "pg"
import { parseTemplate, renderTemplate, templateValues } from "../../domain/campaigns/template.ts"
import { checkSmsLength } from "../../domain/messaging/sms-segments.ts"
import { daytimeArea } from "../support/daytime-area.ts"
import { FAKE_API_KEY, FAKE_NUMBER, startFakeOpenPhone } from "../support/fake-openphone.ts"
import { postgresCpuMs, processCpuMs } from "./cpu.ts"
import type { ServerProcess } from "./processes.ts"

// Issue 10's sending figures: rendering and segmenting 100,000 texts in
// process, and what the send workflow costs per text on the real engine
// (server process, SingleRunner) with the fake OpenPhone in this process.

const RENDERS = 100_000
const TAG = "campaign-send-bench"

export interface RenderFigures {
  readonly messages: number
  readonly ms: number
  readonly perSecond: number
  readonly ucs2: number
  readonly segments: number
  readonly heapDeltaMb: number
}

export interface CampaignSendFigures {
  readonly recipients: number
  readonly sent: number
  readonly seconds: number
  readonly messagesPerSecond: number
  /** Server CPU per text from the start to the last text sent, its idle CPU (engine polling) taken out. */
  readonly serverCpuMsPerMessage: number | null
  readonly postgresCpuMsPerMessage: number | null
}

export interface CampaignSendingFigures {
  readonly render: RenderFigures
  readonly send: CampaignSendFigures
}

const FIRST = ["James", "Mary", "José", "Aisha", "Wei", "Olivia", "Zoë", "Robert"]
const CITIES = ["Austin", "Dallas", null, "Houston"]

/** Parse once, then render and segment 100,000 recipients (about one in eight UCS-2, through a name). */
export const benchRender = (): RenderFigures => {
  const parsed = parseTemplate("Hi {first_name}, {company|your crew} in {city|town}: spring crack sealing from {business_name}? Reply STOP to opt out")
  if (Result.isFailure(parsed)) throw new Error(String(parsed.failure))
  const heapBefore = process.memoryUsage().heapUsed
  const start = performance.now()
  let ucs2 = 0
  let segments = 0
  for (let i = 0; i < RENDERS; i++) {
    const values = templateValues({
      firstName: FIRST[i % FIRST.length] ?? null,
      lastName: null,
      company: i % 3 === 0 ? `Acme ${i}` : null,
      city: CITIES[i % CITIES.length] ?? null,
      propertyAddress: null,
      businessName: "Attack-a-Crack"
    })
    const text = renderTemplate(parsed.success, values)
    if (Result.isFailure(text)) continue
    const counted = checkSmsLength(text.success)
    if (Result.isFailure(counted)) continue
    segments += counted.success.segments
    if (counted.success.encoding === "UCS-2") ucs2++
  }
  const ms = performance.now() - start
  return {
    messages: RENDERS,
    ms: Math.round(ms),
    perSecond: Math.round(RENDERS / (ms / 1000)),
    ucs2,
    segments,
    heapDeltaMb: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1048576)
  }
}

const per = (value: number | null, count: number) => (value === null ? null : value / count)
const delta = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before)

export const benchCampaignSending = async (options: {
  readonly url: string
  readonly token: string
  readonly recipients: number
  readonly startServer: (name: string, env: Record<string, string>) => Promise<ServerProcess>
  readonly stopServer: (server: ServerProcess) => Promise<void>
  readonly postmasterPid: number | undefined
  readonly progress: (message: string) => void
}): Promise<CampaignSendingFigures> => {
  options.progress(`render and segment ${RENDERS} texts`)
  const render = benchRender()

  // The window closes a few minutes from now in the recipients' zone: with
  // 10,000 a day, spreading then leaves gaps of a few ms, so the figure is
  // the engine's cost, not the pacing.
  const area = daytimeArea(4)
  const fake = await startFakeOpenPhone()
  const client = new pg.Client({ connectionString: options.url })
  await client.connect()
  const count = async (text: string, values: ReadonlyArray<unknown> = []) =>
    Number((await client.query<{ n: string }>(text, [...values])).rows[0]?.n ?? 0)
  try {
    await client.query(`
      INSERT INTO contacts (id, first_name, phone, tags, created_at, updated_at)
      SELECT gen_random_uuid(), 'Bench' || n, '+1${area.area}' || lpad((5000000 + n)::text, 7, '0'), ARRAY['${TAG}'], now(), now()
      FROM generate_series(1, ${options.recipients}) AS n`)
    const server = await options.startServer("ours (campaign sends)", {
      OPENPHONE_API_KEY: FAKE_API_KEY,
      OPENPHONE_API_URL: fake.url,
      OPENPHONE_FROM: FAKE_NUMBER.number,
      OPENPHONE_REQUESTS_PER_SECOND: "1000",
      BUSINESS_TIMEZONE: area.zone
    })
    const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" }
    const idleBefore = await processCpuMs(server.child.pid)
    await sleep(3_000)
    const idleRate = per(delta(idleBefore, await processCpuMs(server.child.pid)), 3)
    options.progress(`campaign sends: ${options.recipients} recipients`)
    const created = await fetch(`${server.baseUrl}/api/campaigns`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        name: "Send bench",
        variants: [{ template: "Hi {first_name}, spring crack sealing slots are open this week" }],
        audience: { tags: [TAG] },
        dailyLimit: 10_000,
        quietHours: area.quietHours
      })
    })
    if (created.status !== 201) throw new Error(`POST /api/campaigns: ${created.status} ${await created.text()}`)
    const { id } = (await created.json()) as { id: string }
    const start = performance.now()
    const [serverBefore, pgBefore] = [await processCpuMs(server.child.pid), await postgresCpuMs(options.postmasterPid)]
    const started = await fetch(`${server.baseUrl}/api/campaigns/${id}/start`, { method: "POST", headers })
    if (started.status !== 200) throw new Error(`start: ${started.status} ${await started.text()}`)
    const done = `SELECT count(*) AS n FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
      WHERE r.campaign_id = $1 AND m.status IN ('sent', 'failed')`
    const deadline = Date.now() + 600_000
    while ((await count(done, [id])) < options.recipients) {
      if (Date.now() > deadline) throw new Error("campaign sends: not finished within 10 minutes")
      await sleep(100)
    }
    const seconds = (performance.now() - start) / 1000
    const [serverAfter, pgAfter] = [await processCpuMs(server.child.pid), await postgresCpuMs(options.postmasterPid)]
    const sent = await count(
      `SELECT count(*) AS n FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = $1 AND m.status = 'sent'`,
      [id]
    )
    await options.stopServer(server)
    const serverCpu = delta(serverBefore, serverAfter)
    return {
      render,
      send: {
        recipients: options.recipients,
        sent,
        seconds: Math.round(seconds * 10) / 10,
        messagesPerSecond: Math.round((options.recipients / seconds) * 10) / 10,
        serverCpuMsPerMessage: serverCpu === null || idleRate === null ? null : (serverCpu - idleRate * seconds) / options.recipients,
        postgresCpuMsPerMessage: per(delta(pgBefore, pgAfter), options.recipients)
      }
    }
  } finally {
    await client.end()
    await fake.close()
  }
}

const fixed = (value: number | null, digits = 1) => (value === null ? "unknown" : value.toFixed(digits))

export const formatCampaignSending = ({ render, send }: CampaignSendingFigures) =>
  [
    `Campaign texts: ${render.messages} rendered and segmented in ${render.ms} ms (${render.perSecond}/s, ` +
    `${render.ucs2} UCS-2, ${render.segments} segments, heap +${render.heapDeltaMb} MiB)`,
    `  campaign sends (engine + fake OpenPhone): ${send.sent}/${send.recipients} sent in ${send.seconds} s ` +
    `(${send.messagesPerSecond}/s); CPU per text: server ${fixed(send.serverCpuMsPerMessage)} ms, ` +
    `PostgreSQL ${fixed(send.postgresCpuMsPerMessage)} ms`
  ].join("\n")
