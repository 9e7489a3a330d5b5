import pg from "pg"
import { currentRssMb, peakRssDuring } from "./memory.ts"
import type { ServerProcess } from "./processes.ts"

// Issue 10's figure: the estimate of a campaign whose audience is 100,000
// contacts (target under 1 s), on the real server and PostgreSQL: the audience
// read in one statement, opt-outs in one, then rendered and segmented in process.

const AUDIENCE = 100_000
const TAG = "campaign-bench"
const RUNS = 5

export interface CampaignFigures {
  readonly audience: number
  readonly recipients: number
  /** Each GET /estimate, in order; the first pays for the cold plan and caches. */
  readonly estimateMs: ReadonlyArray<number>
  readonly medianMs: number
  readonly idleRssMb: number | null
  readonly peakRssMb: number | null
}

/** 100,000 tagged contacts with distinct numbers (area code 830, which the main seed does not use). */
const SEED_AUDIENCE = `
  INSERT INTO contacts (id, first_name, last_name, phone, company, address_city, tags, created_at, updated_at)
  SELECT gen_random_uuid(),
    (ARRAY['James', 'Mary', 'Robert', 'Patricia', 'José', 'Aisha', 'Wei', 'Olivia'])[1 + n % 8],
    CASE WHEN n % 5 <> 0 THEN (ARRAY['Smith', 'Garcia', 'Nguyen', 'Patel', 'Kim'])[1 + n % 5] END,
    '+1830' || lpad((2000000 + n)::text, 7, '0'),
    CASE WHEN n % 3 = 0 THEN 'Acme ' || n END,
    CASE WHEN n % 7 <> 0 THEN (ARRAY['Austin', 'Dallas', 'Houston'])[1 + n % 3] END,
    ARRAY['${TAG}'], now(), now()
  FROM generate_series(1, ${AUDIENCE}) AS n`

export const benchCampaigns = async (options: {
  readonly url: string
  readonly server: ServerProcess
  readonly token: string
  readonly progress: (message: string) => void
}): Promise<CampaignFigures> => {
  const { server, token } = options
  options.progress(`seeding a ${AUDIENCE}-contact campaign audience`)
  const client = new pg.Client({ connectionString: options.url })
  await client.connect()
  try {
    await client.query(SEED_AUDIENCE)
    await client.query("VACUUM ANALYZE contacts")
  } finally {
    await client.end()
  }
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" }
  const created = await fetch(`${server.baseUrl}/api/campaigns`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: "Bench",
      // One GSM-7 and one UCS-2 variant (the é), fallbacks for the names some contacts lack.
      variants: [
        { template: "Hi {first_name}, {company|your crew} in {city|town}: spring crack sealing from {business_name}?" },
        { template: "Hé {first_name} {last_name|there}: sealing slots open this week" }
      ],
      audience: { tags: [TAG] }
    })
  })
  if (created.status !== 201) throw new Error(`POST /api/campaigns: ${created.status} ${await created.text()}`)
  const { id } = (await created.json()) as { id: string }
  const idleRssMb = await currentRssMb(server.child.pid)
  options.progress(`estimating it ${RUNS} times`)
  const { result, peakRssMb } = await peakRssDuring(server.child.pid, async () => {
    const times: Array<number> = []
    let recipients = 0
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now()
      const response = await fetch(`${server.baseUrl}/api/campaigns/${id}/estimate`, { headers })
      const body = (await response.json()) as { recipients: number }
      times.push(performance.now() - start)
      if (response.status !== 200) throw new Error(`GET estimate: ${response.status} ${JSON.stringify(body)}`)
      recipients = body.recipients
    }
    return { times, recipients }
  })
  const sorted = [...result.times].sort((a, b) => a - b)
  return {
    audience: AUDIENCE,
    recipients: result.recipients,
    estimateMs: result.times.map(Math.round),
    medianMs: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    idleRssMb,
    peakRssMb
  }
}

const mib = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(0)} MiB`)

export const formatCampaigns = (figures: CampaignFigures): string =>
  [
    `Campaign estimate (${figures.audience} contacts, ${figures.recipients} recipients; target < 1000 ms)`,
    `  GET /api/campaigns/{id}/estimate: median ${figures.medianMs} ms (runs: ${figures.estimateMs.join(", ")} ms)`,
    `  server RSS: ${mib(figures.idleRssMb)} before, peak ${mib(figures.peakRssMb)} while estimating`
  ].join("\n")
