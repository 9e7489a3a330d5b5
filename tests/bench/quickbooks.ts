import { randomBytes } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import { Effect, Redacted } from "effect"
import pg from "pg"
import { runMigrations } from "../../adapters/sql/migrate.ts"
import { pgClientLayer } from "../../adapters/sql/sql-client.ts"
import { type CreatedTwice, type FakeQuickBooksStats, startFakeQuickBooks } from "../support/fake-quickbooks.ts"
import { currentRssMb, peakRssDuring } from "./memory.ts"
import type { ServerProcess } from "./processes.ts"
import { quickBooksEnv } from "../support/fake-quickbooks/server-env.ts"

// Issue 11's figure: a first full sync of a year of invoices to QuickBooks
// Online (the fake, in this process, answering 429 as Intuit does beyond 500
// requests a minute or 10 in flight per company), through the real server:
// OAuth connect, POST /api/integrations/quickbooks/sync, the job engine's
// push jobs. Intuit's limits set the pace; what counts is staying within them
// and creating nothing twice.

/** Ten invoices a customer, as a year of mostly monthly billing gives. */
const INVOICES_PER_CUSTOMER = 10
const MAX_CUSTOMERS = 250
const PER_MINUTE = 500
const IN_FLIGHT = 10
const PER_SECOND = 10

// A handful of catalogue services: monthly plans, a rental (untaxed), per-foot work.
const SERVICES = [
  { name: "Crack monitoring", unit: "month", unitPriceCents: 4999, taxable: true, recurring: "monthly" },
  { name: "Sump pump service plan", unit: "month", unitPriceCents: 2999, taxable: true, recurring: "monthly" },
  { name: "Moisture sensor rental", unit: "each", unitPriceCents: 1500, taxable: false, recurring: "monthly" },
  { name: "Foundation inspection", unit: "each", unitPriceCents: 15000, taxable: true, recurring: "quarterly" },
  { name: "Crack injection", unit: "linear_foot", unitPriceCents: 3450, taxable: true },
  { name: "Wall anchor install", unit: "each", unitPriceCents: 62500, taxable: true }
] as const

const NAMES = ["Garcia", "Nguyen", "Patel", "Kim", "Brown", "Lopez", "Wilson", "Anderson", "Martinez", "Lee", "Davis", "Smith", "Johnson"]
const KINDS = ["Homes", "Property Management", "Builders", "Realty", "Residence", "Apartments", "HOA"]
const CITIES = ["Austin", "Round Rock", "Dallas", "Houston", "San Antonio"]

export interface QuickBooksFigures {
  readonly invoices: number
  readonly customers: number
  readonly services: number
  readonly seedSeconds: number
  /** From POST /sync until every invoice had its QuickBooks twin. */
  readonly syncSeconds: number
  readonly invoicesPerMinute: number
  readonly created: Readonly<Record<string, number>>
  readonly stats: FakeQuickBooksStats
  /** Seconds into the sync at which the busiest 1 s window began (a burst at the start or spread through it). */
  readonly busiestSecondAt: number
  /** API requests by method and entity, e.g. `POST invoice 2500`. */
  readonly requestsByKind: Readonly<Record<string, number>>
  readonly maxPerMinute: number
  readonly maxInFlight: number
  /** Most push jobs running at once (sampled each second). */
  readonly maxRunningJobs: number
  readonly createdTwice: ReadonlyArray<CreatedTwice>
  readonly failedLogEntries: number
  readonly idleRssMb: number | null
  readonly peakRssMb: number | null
}

const two = (n: number) => String(n).padStart(2, "0")

const companyName = (n: number) =>
  `${NAMES[n % NAMES.length]} ${KINDS[n % KINDS.length]} ${Math.floor(n / (NAMES.length * KINDS.length)) + 1}`

/** A customer; one in 40 has an earlier one's company name (QuickBooks DisplayNames are unique: a suffix or a link). */
const customerBody = (n: number) => {
  return {
    companyName: n % 40 === 39 ? companyName(n - 20) : companyName(n),
    email: n % 6 === 0 ? null : `billing${n}@${NAMES[n % NAMES.length]!.toLowerCase()}-example.com`,
    phone: n % 4 === 0 ? null : `(512) 4${two(n % 100)}-${String(1000 + n).slice(-4)}`,
    billingAddress: n % 5 === 0 ? null : {
      street: `${100 + n} ${["Oak St", "Main St", "Cedar Ave", "Lamar Blvd"][n % 4]}`,
      city: CITIES[n % CITIES.length]!,
      state: "TX",
      postalCode: String(78700 + (n % 100))
    },
    taxExempt: n % 10 === 0,
    paymentTermsDays: 15 + (n % 3) * 15
  }
}

/**
 * An invoice's lines: one to three catalogue lines with whole and decimal
 * quantities (12.125 feet), some with a discount, now and then a line with
 * no service (a trip charge) and a document discount.
 */
const invoiceBody = (i: number, customerId: string, serviceIds: ReadonlyArray<string>) => {
  const lines: Array<Record<string, unknown>> = []
  const count = 1 + (i % 3)
  for (let k = 0; k < count; k++) {
    const s = (i + k * 2) % serviceIds.length
    const quantity = SERVICES[s]?.unit === "linear_foot" ? 4 + ((i * 7 + k) % 40) + ((i + k) % 8) / 8 : 1 + ((i + k) % 3)
    lines.push({
      serviceId: serviceIds[s],
      quantity,
      ...(i % 7 === k ? { discount: { type: "percent", percent: 10 } } : {}),
      ...(i % 11 === k ? { discount: { type: "fixed", amountCents: 500 } } : {})
    })
  }
  if (i % 9 === 0) lines.push({ description: "Trip charge", unitPriceCents: 4500, quantity: 1, taxCode: null })
  return {
    customerId,
    lines,
    ...(i % 13 === 0 ? { discount: { type: "fixed", amountCents: 1000 } } : {}),
    notes: i % 5 === 0 ? `Work order ${10_000 + i}` : null
  }
}

/**
 * A database of its own on the same PostgreSQL: the sync pushes every
 * customer and invoice it finds, so the billing part's 7,500 must not be there.
 */
const freshDatabase = async (url: string, name: string) => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`)
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  const target = new URL(url)
  target.pathname = `/${name}`
  await Effect.runPromise(runMigrations.pipe(Effect.provide(pgClientLayer(Redacted.make(target.toString()), 2))))
  return target.toString()
}

/** Runs `work` over 0..count-1 with `width` at a time. */
const pool = async (count: number, width: number, work: (i: number) => Promise<void>) => {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await work(next++)
  }))
}

export const benchQuickBooks = async (options: {
  readonly url: string
  readonly token: string
  readonly invoices: number
  readonly startServer: (name: string, env: Record<string, string>) => Promise<ServerProcess>
  readonly stopServer: (server: ServerProcess) => Promise<void>
  readonly progress: (message: string) => void
}): Promise<QuickBooksFigures> => {
  const { invoices } = options
  const customers = Math.max(1, Math.min(MAX_CUSTOMERS, Math.ceil(invoices / INVOICES_PER_CUSTOMER)))
  const databaseUrl = await freshDatabase(options.url, "crm_bench_quickbooks")
  const fake = await startFakeQuickBooks({ enforceLimits: { perMinute: PER_MINUTE, perSecond: PER_SECOND, concurrent: IN_FLIGHT } })
  try {
    const server = await options.startServer("ours (QuickBooks)", {
      DATABASE_URL: databaseUrl,
      ...quickBooksEnv(fake, randomBytes(32).toString("hex"))
    })
    const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" }
    const call = async <A>(method: string, path: string, expected: number, body?: unknown): Promise<A> => {
      const response = await fetch(server.baseUrl + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
      const text = await response.text()
      if (response.status !== expected) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 600)}`)
      return (text === "" ? undefined : JSON.parse(text)) as A
    }

    // Seeded through the API before connecting, so nothing is pushed until the sync.
    options.progress(`seeding ${customers} customers, ${SERVICES.length} services and ${invoices} issued invoices`)
    const seedStart = performance.now()
    const serviceIds: Array<string> = []
    for (const service of SERVICES) serviceIds.push((await call<{ id: string }>("POST", "/api/services", 201, service)).id)
    const customerIds: Array<string> = new Array<string>(customers)
    await pool(customers, 8, async (n) => {
      customerIds[n] = (await call<{ id: string }>("POST", "/api/customers", 201, customerBody(n))).id
    })
    await pool(invoices, 8, async (i) => {
      const customerId = customerIds[i % customers]!
      const draft = await call<{ id: string }>("POST", "/api/invoices", 201, invoiceBody(i, customerId, serviceIds))
      // Spread over the year, about one a month per customer.
      const month = 1 + (Math.floor(i / customers) % 11)
      await call("POST", `/api/invoices/${draft.id}/issue`, 200, { issueDate: `2026-${two(month)}-${two(1 + (i % 28))}` })
      if ((i + 1) % 500 === 0) options.progress(`  ${i + 1} invoices issued`)
    })
    const seedSeconds = (performance.now() - seedStart) / 1000

    // Connect as a person would: our authorize URL, Intuit's consent redirect, our callback.
    options.progress("connecting through the OAuth flow")
    const { authorizeUrl } = await call<{ authorizeUrl: string }>("GET", "/api/integrations/quickbooks/connect", 200)
    const consent = await fetch(authorizeUrl, { redirect: "manual" })
    const location = consent.headers.get("location")
    if (consent.status !== 302 || location === null) throw new Error(`authorize: ${consent.status} ${await consent.text()}`)
    const callback = await fetch(`${server.baseUrl}/integrations/quickbooks/callback${new URL(location).search}`)
    const page = await callback.text()
    if (callback.status !== 200 || !page.includes("Connected to")) throw new Error(`callback: ${callback.status} ${page.slice(0, 400)}`)
    const status = () => call<{ connected: boolean; lastError: string | null; mapped: { invoices: number } }>("GET", "/api/integrations/quickbooks", 200)
    if (!(await status()).connected) throw new Error("the callback page said connected, the status does not")

    const failedEntries = async () =>
      (await call<{ data: ReadonlyArray<unknown> }>("GET", "/api/integrations/quickbooks/sync-log?outcome=failed&limit=5", 200)).data

    const idleRssMb = await currentRssMb(server.child.pid)
    options.progress(`full sync of ${invoices} invoices (Intuit's limits: ${PER_MINUTE}/min, ${PER_SECOND}/s, ${IN_FLIGHT} in flight)`)
    const syncStart = performance.now()
    const syncStartedAt = fake.now()
    // Push jobs started and not yet finished: QUICKBOOKS_SYNC_MAX_RUNNING should bound them (plus a page).
    const jobsDb = new pg.Client({ connectionString: databaseUrl })
    await jobsDb.connect()
    let maxRunningJobs = 0
    const runningJobs = async () => {
      const { rows } = await jobsDb.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM job_executions WHERE status = 'running' AND kind LIKE 'accounting.push-%'"
      )
      maxRunningJobs = Math.max(maxRunningJobs, rows[0]?.n ?? 0)
      return rows[0]?.n ?? 0
    }
    const { result: syncSeconds, peakRssMb } = await peakRssDuring(server.child.pid, async () => {
      await call("POST", "/api/integrations/quickbooks/sync", 202)
      // Limits: each invoice is one create at 500 a minute, plus customers and items; a stall means something is stuck.
      let last = -1
      let lastChange = performance.now()
      let lastReport = 0
      for (;;) {
        const now = await status()
        const running = await runningJobs()
        if (now.mapped.invoices >= invoices) return (performance.now() - syncStart) / 1000
        if (now.mapped.invoices !== last) {
          last = now.mapped.invoices
          lastChange = performance.now()
        }
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now()
          const s = fake.stats()
          options.progress(`  ${now.mapped.invoices}/${invoices} invoices mapped, ${s.apiRequests} requests, ${s.throttled} throttled, ${running} push jobs running`)
        }
        // Throttled requests wait 60 s; three minutes without progress is not that.
        if (performance.now() - lastChange > 180_000) {
          throw new Error(`the sync stalled at ${last}/${invoices} invoices (last error: ${now.lastError ?? "none"}); ` +
            `failed: ${JSON.stringify(await failedEntries()).slice(0, 1500)}`)
        }
        await sleep(1000)
      }
    }).finally(() => jobsDb.end())
    const stats = fake.stats()
    const requestsByKind: Record<string, number> = {}
    const arrivals = fake.apiRequests().map((r) => r.at).sort((a, b) => a - b)
    let busiest = { count: 0, at: arrivals[0] ?? 0 }
    for (let start = 0, end = 0; end < arrivals.length; end++) {
      while (arrivals[end]! - arrivals[start]! >= 1000) start++
      if (end - start + 1 > busiest.count) busiest = { count: end - start + 1, at: arrivals[start]! }
    }
    for (const request of fake.apiRequests()) {
      const kind = `${request.method} ${/^\/v3\/company\/[^/]+\/([^/]+)/u.exec(request.path)?.[1] ?? request.path} ${request.status ?? "cut"}`
      requestsByKind[kind] = (requestsByKind[kind] ?? 0) + 1
    }
    const failed = await failedEntries()
    await options.stopServer(server)
    return {
      invoices,
      customers,
      services: SERVICES.length,
      seedSeconds,
      syncSeconds,
      invoicesPerMinute: invoices / (syncSeconds / 60),
      created: fake.counts(),
      stats,
      requestsByKind,
      busiestSecondAt: (busiest.at - syncStartedAt) / 1000,
      maxPerMinute: stats.maxPerMinuteByRealm[fake.realmId] ?? 0,
      maxInFlight: stats.maxInFlight,
      maxRunningJobs,
      createdTwice: fake.createdTwice(),
      failedLogEntries: failed.length,
      idleRssMb,
      peakRssMb
    }
  } finally {
    await fake.close()
  }
}

const maxPerSecond = (figures: QuickBooksFigures) => Object.values(figures.stats.maxPerSecondByRealm)[0] ?? 0

/** The run is worthless if QuickBooks would have refused part of it or holds something twice. */
export const checkQuickBooks = (figures: QuickBooksFigures) => {
  const problems = [
    figures.maxPerMinute > PER_MINUTE ? `${figures.maxPerMinute} requests in one 60 s window (limit ${PER_MINUTE})` : undefined,
    maxPerSecond(figures) > PER_SECOND ? `${maxPerSecond(figures)} requests in one second (limit ${PER_SECOND})` : undefined,
    figures.maxInFlight > IN_FLIGHT ? `${figures.maxInFlight} requests in flight (limit ${IN_FLIGHT})` : undefined,
    figures.stats.throttled > 0 ? `${figures.stats.throttled} throttled answers` : undefined,
    figures.createdTwice.length > 0 ? `created twice: ${JSON.stringify(figures.createdTwice).slice(0, 1000)}` : undefined,
    figures.created["Invoice"] !== figures.invoices ? `${figures.created["Invoice"]} invoices in QuickBooks, expected ${figures.invoices}` : undefined,
    figures.created["Customer"] !== figures.customers ? `${figures.created["Customer"]} customers in QuickBooks, expected ${figures.customers}` : undefined
  ].filter((p) => p !== undefined)
  if (problems.length > 0) throw new Error(`QuickBooks bench: ${problems.join("; ")}\n${formatQuickBooks(figures)}`)
}

const mib = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(0)} MiB`)

export const formatQuickBooks = (f: QuickBooksFigures): string =>
  [
    "",
    `QuickBooks full sync (fake QuickBooks enforcing ${PER_MINUTE} requests/min, ${PER_SECOND}/s and ${IN_FLIGHT} in flight)`,
    `  seeded through the API: ${f.customers} customers, ${f.services} services, ${f.invoices} issued invoices in ${f.seedSeconds.toFixed(0)} s`,
    `  sync: ${f.invoices} invoices mapped in ${f.syncSeconds.toFixed(1)} s (${f.invoicesPerMinute.toFixed(0)} invoices/min); ` +
    `in QuickBooks: ${Object.entries(f.created).map(([k, v]) => `${v} ${k}`).join(", ")}`,
    `  requests: ${f.stats.requests} (${f.stats.apiRequests} API; by status ${JSON.stringify(f.stats.byStatus)}), ` +
    `max ${f.maxPerMinute} in any 60 s, max ${f.maxInFlight} in flight, max ${maxPerSecond(f)} in any 1 s (${f.busiestSecondAt.toFixed(1)} s into the sync)`,
    `  API requests by method, entity and status: ${Object.entries(f.requestsByKind).map(([k, v]) => `${k}: ${v}`).join(", ")}`,
    `  throttled answers: ${f.stats.throttled}; requestid replays: ${f.stats.replayed}; created twice: ${f.createdTwice.length === 0 ? "none" : JSON.stringify(f.createdTwice)}; ` +
    `failed sync-log entries: ${f.failedLogEntries}`,
    `  server RSS: ${mib(f.idleRssMb)} before the sync, peak ${mib(f.peakRssMb)} during it; at most ${f.maxRunningJobs} push jobs running`
  ].join("\n")
