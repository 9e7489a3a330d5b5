import { setTimeout as sleep } from "node:timers/promises"
import pg from "pg"
import { FAKE_API_KEY, FAKE_NUMBER, startFakeOpenPhone } from "../support/fake-openphone.ts"
import { messageEvent } from "../support/webhook-events.ts"
import { legacySignature, WEBHOOK_KEY_BASE64 } from "../support/webhook-signing.ts"
import { postgresCpuMs, processCpuMs } from "./cpu.ts"
import { load, type LoadResult } from "./load.ts"
import type { ServerProcess } from "./processes.ts"

// Issue 8's figures: webhook ingestion (signed `message.received` events a
// second, p99) and the job engine's cost per text sent (CPU of the server
// process per message, the provider being the fake OpenPhone in this process).

export interface WebhookFigures {
  readonly load: LoadResult
  /** Every event received in the measured run and its warm-up, processed (stored, attached, lead created) by the engine. */
  readonly events: number
  /** From the measured run's start until the engine had processed the last event. */
  readonly processedPerSecond: number
  /** Server CPU for the measured run and the processing it left, per event. */
  readonly serverCpuMsPerEvent: number | null
  readonly postgresCpuMsPerEvent: number | null
}

export interface SendFigures {
  readonly messages: number
  readonly sent: number
  readonly seconds: number
  readonly messagesPerSecond: number
  /** The server's CPU per text from the API request to the recorded outcome, its idle CPU (engine polling) taken out. */
  readonly serverCpuMsPerMessage: number | null
  readonly idleServerCpuMsPerSecond: number | null
  readonly postgresCpuMsPerMessage: number | null
  readonly providerRequests: number
}

export interface MessagingFigures {
  readonly webhooks: WebhookFigures
  /** The same load on a server that runs no jobs (JOB_RUNNER=none, as API replicas next to workers): the accept path alone. */
  readonly webhooksAcceptOnly: LoadResult
  readonly sends: SendFigures
}

export interface MessagingOptions {
  readonly url: string
  readonly token: string
  /** Contact ids whose phones the texts go to and the events come from. */
  readonly contactIds: ReadonlyArray<string>
  readonly startServer: (name: string, env: Record<string, string>) => Promise<ServerProcess>
  readonly stopServer: (server: ServerProcess) => Promise<void>
  readonly postmasterPid: number | undefined
  readonly connections: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  /** How many texts to send (BENCH_SENDS). */
  readonly sends: number
  readonly progress: (message: string) => void
}

const delta = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before)
const per = (total: number | null, count: number) => (total === null || count === 0 ? null : total / count)

const pollUntil = async <A>(what: string, check: () => Promise<A | undefined>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await check()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`)
    await sleep(100)
  }
}

/** Signed `message.received` events from the contacts' numbers, a new event id each. */
const webhookRequests = (phones: ReadonlyArray<string>, runId: string) => {
  let n = 0
  return () => {
    n++
    const at = new Date()
    const body = JSON.stringify(messageEvent("message.received", {
      eventId: `EVbench${runId}${n}`,
      messageId: `ACbench${runId}${n}`,
      from: phones[n % phones.length] ?? "",
      to: FAKE_NUMBER.number,
      text: `Hi, is Thursday still good for the crack repair? (${n})`,
      at: at.toISOString()
    }))
    return {
      method: "POST",
      path: "/webhooks/openphone",
      body,
      headers: { "content-type": "application/json", "openphone-signature": legacySignature(body, at.getTime()) }
    }
  }
}

export const benchMessaging = async (options: MessagingOptions): Promise<MessagingFigures> => {
  const fake = await startFakeOpenPhone()
  const client = new pg.Client({ connectionString: options.url })
  await client.connect()
  try {
    const count = async (query: string, values: ReadonlyArray<unknown> = []) =>
      Number((await client.query<{ n: string }>(query, [...values])).rows[0]?.n ?? 0)
    const { rows } = await client.query<{ phone: string }>("SELECT phone FROM contacts WHERE id = ANY($1::uuid[]) AND phone IS NOT NULL", [
      options.contactIds.slice(0, 1000)
    ])
    const phones = rows.map((r) => r.phone)
    const env = {
      OPENPHONE_API_KEY: FAKE_API_KEY,
      OPENPHONE_API_URL: fake.url,
      OPENPHONE_FROM: FAKE_NUMBER.number,
      OPENPHONE_WEBHOOK_KEY: WEBHOOK_KEY_BASE64
    }

    // Webhooks: the accept path under load, then until the engine has processed them all.
    const webhookServer = await options.startServer("ours (webhooks)", env)
    const requests = webhookRequests(phones, Date.now().toString(36))
    const loadOptions = { baseUrl: webhookServer.baseUrl, path: () => "/webhooks/openphone", request: requests, headers: {}, connections: options.connections }
    options.progress(`webhooks: ${options.warmupSeconds} s warm-up, ${options.durationSeconds} s measured`)
    await load({ ...loadOptions, durationSeconds: options.warmupSeconds })
    const unprocessed = "SELECT count(*) AS n FROM webhook_events WHERE processed_at IS NULL"
    await pollUntil("warm-up events processed", async () => ((await count(unprocessed)) === 0 ? true : undefined), 300_000)
    const webhookStart = performance.now()
    const [serverBefore, pgBefore] = [await processCpuMs(webhookServer.child.pid), await postgresCpuMs(options.postmasterPid)]
    const eventsBefore = await count("SELECT count(*) AS n FROM webhook_events")
    const measured = await load({ ...loadOptions, durationSeconds: options.durationSeconds })
    options.progress("webhooks: waiting for the engine to process every event")
    await pollUntil("every event processed", async () => ((await count(unprocessed)) === 0 ? true : undefined), 300_000)
    const processedSeconds = (performance.now() - webhookStart) / 1000
    const [serverAfter, pgAfter] = [await processCpuMs(webhookServer.child.pid), await postgresCpuMs(options.postmasterPid)]
    const events = (await count("SELECT count(*) AS n FROM webhook_events")) - eventsBefore
    await options.stopServer(webhookServer)
    const webhooks: WebhookFigures = {
      load: measured,
      events,
      processedPerSecond: events / processedSeconds,
      serverCpuMsPerEvent: per(delta(serverBefore, serverAfter), events),
      postgresCpuMsPerEvent: per(delta(pgBefore, pgAfter), events)
    }

    // Sends: the provider limit raised so the engine, not the 10/s pacing, is what is measured.
    const sendServer = await options.startServer("ours (sends)", { ...env, OPENPHONE_REQUESTS_PER_SECOND: "1000" })
    const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" }
    const post = async (contactId: string, body: string) => {
      const response = await fetch(`${sendServer.baseUrl}/api/contacts/${contactId}/messages`, {
        method: "POST",
        headers,
        body: JSON.stringify({ body })
      })
      const text = await response.text()
      if (response.status !== 202) throw new Error(`send: ${response.status} ${text.slice(0, 400)}`)
    }
    // A few texts first: JIT, pool connections, the business number's lookup.
    for (let i = 0; i < 10; i++) await post(options.contactIds[i] ?? "", `Bench warm-up ${i}`)
    const resolved = (prefix: string) =>
      count("SELECT count(*) AS n FROM messages WHERE direction = 'outbound' AND status IN ('sent', 'failed') AND body LIKE $1", [`${prefix}%`])
    await pollUntil("warm-up texts sent", async () => ((await resolved("Bench warm-up")) === 10 ? true : undefined), 120_000)
    // Idle CPU: the engine polls storage and keeps its locks even with nothing to do.
    const idleBefore = await processCpuMs(sendServer.child.pid)
    await sleep(5_000)
    const idleRate = per(delta(idleBefore, await processCpuMs(sendServer.child.pid)), 5)
    const requestsBefore = fake.stats().requests
    options.progress(`sends: ${options.sends} texts`)
    const sendStart = performance.now()
    const [sendServerBefore, sendPgBefore] = [await processCpuMs(sendServer.child.pid), await postgresCpuMs(options.postmasterPid)]
    let next = 0
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (next < options.sends) {
        const i = next++
        await post(options.contactIds[i % options.contactIds.length] ?? "", `Bench send ${i}: your inspection is on Friday at 9`)
      }
    }))
    await pollUntil("every text sent", async () => ((await resolved("Bench send")) === options.sends ? true : undefined), 600_000)
    const seconds = (performance.now() - sendStart) / 1000
    const [sendServerAfter, sendPgAfter] = [await processCpuMs(sendServer.child.pid), await postgresCpuMs(options.postmasterPid)]
    const sent = await count("SELECT count(*) AS n FROM messages WHERE status = 'sent' AND body LIKE 'Bench send%'")
    await options.stopServer(sendServer)
    const serverCpu = delta(sendServerBefore, sendServerAfter)
    const sends: SendFigures = {
      messages: options.sends,
      sent,
      seconds,
      messagesPerSecond: options.sends / seconds,
      serverCpuMsPerMessage: serverCpu === null || idleRate === null ? null : (serverCpu - idleRate * seconds) / options.sends,
      idleServerCpuMsPerSecond: idleRate,
      postgresCpuMsPerMessage: per(delta(sendPgBefore, sendPgAfter), options.sends),
      providerRequests: fake.stats().requests - requestsBefore
    }
    // Last: the events it accepts stay unprocessed (no runner), so no later server may share these tables.
    const acceptOnly = await options.startServer("ours (webhooks, JOB_RUNNER=none)", { ...env, JOB_RUNNER: "none" })
    const acceptOptions = { ...loadOptions, baseUrl: acceptOnly.baseUrl }
    options.progress(`webhooks, accept path only: ${options.warmupSeconds} s warm-up, ${options.durationSeconds} s measured`)
    await load({ ...acceptOptions, durationSeconds: options.warmupSeconds })
    const webhooksAcceptOnly = await load({ ...acceptOptions, durationSeconds: options.durationSeconds })
    await options.stopServer(acceptOnly)
    return { webhooks, webhooksAcceptOnly, sends }
  } finally {
    await client.end()
    await fake.close()
  }
}

const fixed = (value: number | null, digits = 1) => (value === null ? "unknown" : value.toFixed(digits))

export const formatMessaging = (figures: MessagingFigures) => {
  const { sends, webhooks, webhooksAcceptOnly: accept } = figures
  return [
    "",
    "Messaging (fake OpenPhone in the bench process)",
    `  webhooks: ${webhooks.load.requestsPerSecond.toFixed(0)} signed message.received events/s accepted, ` +
    `p50 ${webhooks.load.p50Ms} ms, p99 ${webhooks.load.p99Ms} ms (${webhooks.load.non2xx} non-2xx, ${webhooks.load.errors} errors)`,
    `    processed by the engine: ${webhooks.events} events at ${webhooks.processedPerSecond.toFixed(0)}/s; ` +
    `CPU per event: server ${fixed(webhooks.serverCpuMsPerEvent, 2)} ms, PostgreSQL ${fixed(webhooks.postgresCpuMsPerEvent, 2)} ms`,
    `    accept path alone (JOB_RUNNER=none, processing left to workers): ${accept.requestsPerSecond.toFixed(0)} events/s, ` +
    `p50 ${accept.p50Ms} ms, p99 ${accept.p99Ms} ms (${accept.non2xx} non-2xx, ${accept.errors} errors)`,
    `  sends: ${sends.sent}/${sends.messages} sent in ${sends.seconds.toFixed(1)} s (${sends.messagesPerSecond.toFixed(0)}/s, ` +
    `provider limit raised), ${sends.providerRequests} provider requests`,
    `    CPU per text, API request to recorded outcome: server ${fixed(sends.serverCpuMsPerMessage, 2)} ms ` +
    `(idle ${fixed(sends.idleServerCpuMsPerSecond)} ms/s taken out), PostgreSQL ${fixed(sends.postgresCpuMsPerMessage, 2)} ms`
  ].join("\n")
}
