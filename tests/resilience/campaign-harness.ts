import { call, type FreshDatabase, waitFor } from "./harness.ts"

export { daytimeArea } from "../support/daytime-area.ts"

// Shared by the campaign resilience tests: contacts in a zone where it is
// day now, a campaign over them created and started through the API, and
// the per-recipient outcome read from the database.

/** `count` contacts tagged `tag`, numbers +1 <area> 555-xxxx from 1000, created `parallel` at a time; their first names are unique. */
export const createTaggedContacts = async (baseUrl: string, options: {
  readonly count: number
  readonly area: string
  readonly tag: string
  readonly parallel?: number
}) => {
  let next = 0
  const workers = Array.from({ length: options.parallel ?? 8 }, async () => {
    while (next < options.count) {
      const i = next++
      const answer = await call(baseUrl, "POST", "/api/contacts", {
        firstName: `Recipient${i}`,
        phone: `+1${options.area}555${String(1000 + i).padStart(4, "0")}`,
        tags: [options.tag]
      })
      if (answer.status !== 201) throw new Error(`contact ${i}: ${JSON.stringify(answer)}`)
    }
  })
  await Promise.all(workers)
}

/** Creates the campaign over the tag and starts it; its id. */
export const startCampaign = async (baseUrl: string, options: {
  readonly tag: string
  readonly template: string
  readonly quietHours: { readonly start: string; readonly end: string }
}) => {
  const created = await call(baseUrl, "POST", "/api/campaigns", {
    name: `Resilience ${options.tag}`,
    variants: [{ template: options.template }],
    audience: { tags: [options.tag] },
    dailyLimit: 10_000,
    quietHours: options.quietHours
  })
  const id = created.body?.["id"]
  if (created.status !== 201 || typeof id !== "string") throw new Error(`create campaign: ${JSON.stringify(created)}`)
  const started = await call(baseUrl, "POST", `/api/campaigns/${id}/start`)
  if (started.status !== 200) throw new Error(`start campaign: ${JSON.stringify(started)}`)
  return id
}

/** Recipients by shown status: their own until queued, then their message's. */
export const recipientCounts = async (db: FreshDatabase, campaignId: string) => {
  const rows = await db.query<{ status: string; n: string }>(
    `SELECT CASE WHEN r.status = 'queued' THEN m.status ELSE r.status END AS status, count(*) AS n
       FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
      WHERE r.campaign_id = $1 GROUP BY 1`,
    [campaignId]
  )
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>
}

const FINAL = new Set(["sent", "delivered", "undelivered", "failed", "skipped"])

/** Waits until every recipient of the campaign is final (sent, delivered, undelivered, failed or skipped). */
export const everyRecipientFinal = (db: FreshDatabase, campaignId: string, total: number, timeoutMs: number, logs: () => string) =>
  waitFor("every recipient final", async () => {
    const counts = await recipientCounts(db, campaignId)
    const final = Object.entries(counts).filter(([status]) => FINAL.has(status)).reduce((sum, [, n]) => sum + n, 0)
    return final === total ? counts : undefined
  }, {
    timeoutMs,
    everyMs: 1000,
    describe: async () => `${JSON.stringify(await recipientCounts(db, campaignId))}\n${logs()}`
  })
