import { mib } from "./billing.ts"
import { load, type LoadResult } from "./load.ts"
import { currentRssMb, peakRssDuring } from "./memory.ts"
import type { ServerProcess } from "./processes.ts"

/** Sustained load on one read, with the size of its answer and the server's peak memory meanwhile. */
export interface HeavyRead {
  readonly endpoint: string
  readonly result: LoadResult
  readonly responseKb: number
  readonly peakRssMb: number | null
}

export interface HeavyReadFigures {
  readonly firstReportMs: number
  /** Walking every page of the customer-grouped report, one request after another. */
  readonly customerWalk: { readonly pages: number; readonly rows: number; readonly ms: number }
  readonly idleRssMb: number | null
  readonly reads: ReadonlyArray<HeavyRead>
}

const report = (query: string) => `/api/reports/revenue?from=2026-01-01&to=2027-12-31&${query}`

const READS = [
  // 200 invoices of 3-4 lines each, about 390 KB.
  ["GET /api/invoices?limit=200", "/api/invoices?limit=200"],
  ["GET /api/reports/revenue?groupBy=month", report("groupBy=month")],
  ["GET /api/reports/revenue?groupBy=service", report("groupBy=service")],
  ["GET /api/reports/revenue?groupBy=customer", report("groupBy=customer")],
  ["GET /api/reports/revenue?groupBy=customer&limit=200", report("groupBy=customer&limit=200")]
] as const

/**
 * The heavy reads over the billed data (billing.ts): the first revenue report
 * (which refreshes the views), the customer report walked page by page, then
 * sustained load on each read, each on a fresh server (a heap that grew for
 * one read stays grown), with the server's peak memory during it.
 */
export const benchHeavyReads = async (options: {
  readonly startServer: () => Promise<ServerProcess>
  readonly stopServer: (server: ServerProcess) => Promise<void>
  readonly token: string
  readonly connections: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly progress: (message: string) => void
}): Promise<HeavyReadFigures> => {
  let server = await options.startServer()
  const headers = { authorization: `Bearer ${options.token}` }
  const get = async (path: string) => {
    const response = await fetch(server.baseUrl + path, { headers })
    const text = await response.text()
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 600)}`)
    return text
  }
  const idleRssMb = await currentRssMb(server.child.pid)

  const started = performance.now()
  await get(report("groupBy=month"))
  const firstReportMs = performance.now() - started

  const walkStarted = performance.now()
  let pages = 0
  let rows = 0
  let cursor: string | null = null
  do {
    const body = JSON.parse(await get(report(`groupBy=customer&limit=200${cursor === null ? "" : `&cursor=${cursor}`}`))) as {
      readonly rows: ReadonlyArray<unknown>
      readonly nextCursor?: string | null
    }
    pages += 1
    rows += body.rows.length
    cursor = body.nextCursor ?? null
  } while (cursor !== null)
  const customerWalk = { pages, rows, ms: performance.now() - walkStarted }

  const reads: Array<HeavyRead> = []
  for (const [endpoint, path] of READS) {
    await options.stopServer(server)
    server = await options.startServer()
    const responseKb = Buffer.byteLength(await get(path)) / 1024
    const loadOptions = { baseUrl: server.baseUrl, path: () => path, headers, connections: options.connections }
    options.progress(`${endpoint}: ${options.warmupSeconds} s warm-up, ${options.durationSeconds} s measured`)
    await load({ ...loadOptions, durationSeconds: options.warmupSeconds })
    const measured = await peakRssDuring(server.child.pid, () => load({ ...loadOptions, durationSeconds: options.durationSeconds }))
    reads.push({ endpoint, result: measured.result, responseKb, peakRssMb: measured.peakRssMb })
  }
  await options.stopServer(server)
  return { firstReportMs, customerWalk, idleRssMb, reads }
}

export const formatHeavyReads = (figures: HeavyReadFigures) =>
  [
    "",
    `Heavy reads (each on a fresh server, ${mib(figures.idleRssMb)} idle):`,
    `  first revenue report after the runs (refreshes the views): ${figures.firstReportMs.toFixed(0)} ms`,
    `  every page of the customer report (limit 200): ${figures.customerWalk.pages} pages, ` +
    `${figures.customerWalk.rows} rows in ${figures.customerWalk.ms.toFixed(0)} ms`,
    ...figures.reads.map((r) =>
      `  ${r.endpoint.padEnd(52)} ${r.responseKb.toFixed(0).padStart(4)} KB ${r.result.requestsPerSecond.toFixed(0).padStart(6)} req/s  ` +
      `p50 ${r.result.p50Ms.toFixed(1)} ms  p99 ${r.result.p99Ms.toFixed(1)} ms  peak RSS ${mib(r.peakRssMb)}  ` +
      `non-2xx/errors ${r.result.non2xx}/${r.result.errors}`
    )
  ].join("\n")
