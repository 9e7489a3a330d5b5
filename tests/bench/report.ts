import type { LoadResult } from "./load.ts"

/** Ours must serve at least this share of the baseline's requests per second. */
export const TARGET_RATIO = 0.8

export interface EndpointResult {
  readonly endpoint: string
  readonly ours: LoadResult
  readonly baseline: LoadResult
}

export interface Environment {
  readonly node: string
  readonly cpus: number
  readonly cpuModel: string
  readonly durationSeconds: number
  readonly warmupSeconds: number
  readonly connections: number
  readonly rows: number
}

const valid = (result: LoadResult) => result.non2xx === 0 && result.errors === 0

export const ratioOf = (result: EndpointResult) => result.ours.requestsPerSecond / result.baseline.requestsPerSecond

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")
}

/** The plain-text report printed to stdout. */
export const formatReport = (environment: Environment, results: ReadonlyArray<EndpointResult>) => {
  const e = environment
  const lines = [
    `node ${e.node}, ${e.cpus} CPUs (${e.cpuModel})`,
    `${e.rows} contacts, ${e.connections} connections, ${e.durationSeconds} s per run after ${e.warmupSeconds} s warm-up`,
    ""
  ]
  const rows = results.flatMap((r) =>
    (["ours", "baseline"] as const).map((server) => {
      const result = r[server]
      return [
        r.endpoint,
        server,
        result.requestsPerSecond.toFixed(0),
        result.p50Ms.toFixed(1),
        result.p99Ms.toFixed(1),
        `${result.non2xx}/${result.errors}${valid(result) ? "" : "  INVALID"}`
      ]
    })
  )
  lines.push(table(["endpoint", "server", "req/s", "p50 ms", "p99 ms", "non-2xx/errors"], rows), "")
  for (const r of results) {
    const ratio = ratioOf(r)
    const verdict = !valid(r.ours) || !valid(r.baseline)
      ? "INVALID (a run had non-2xx responses or errors)"
      : ratio >= TARGET_RATIO
      ? `meets target >= ${TARGET_RATIO}`
      : `BELOW target ${TARGET_RATIO}`
    lines.push(`${r.endpoint}: ours/baseline req/s = ${ratio.toFixed(2)}  ${verdict}`)
  }
  return lines.join("\n")
}

/** The same figures for reports/bench.json. */
export const jsonReport = (environment: Environment, results: ReadonlyArray<EndpointResult>) => ({
  date: new Date().toISOString(),
  environment,
  targetRatio: TARGET_RATIO,
  results: results.map((r) => ({
    ...r,
    ratio: ratioOf(r),
    valid: valid(r.ours) && valid(r.baseline),
    meetsTarget: valid(r.ours) && valid(r.baseline) && ratioOf(r) >= TARGET_RATIO
  }))
})
