import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import pg from "pg"
import { from as copyFrom } from "pg-copy-streams"
import { postgresCpuMs, processCpuMs } from "./cpu.ts"
import { peakRssDuring } from "./memory.ts"
import type { ServerProcess } from "./processes.ts"

// Issue 9's figures: 100,000 generic rows and 100,000 PropertyRadar rows
// imported through the real server (upload, stored file, the durable import
// job batch by batch), against the same bytes loaded with PostgreSQL COPY
// FROM STDIN into a bare table of text columns: the physical floor of getting
// those rows into the database. Target: at least 50,000 generic rows/s or 25%
// of COPY's rate, whichever is lower.

// BENCH_IMPORT_ROWS: rows a file (e.g. 1000000 for issue 9's memory target);
// BENCH_IMPORT_LAYOUTS: which files, e.g. "generic" (while iterating on one).
const envRows = process.env["BENCH_IMPORT_ROWS"]
const ROWS = envRows === undefined || envRows === "" ? 100_000 : Number(envRows)
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error(`BENCH_IMPORT_ROWS must be a positive integer, got "${envRows}"`)
const LAYOUTS = (process.env["BENCH_IMPORT_LAYOUTS"] ?? "generic,propertyradar").split(",")

export interface ImportFigures {
  readonly layout: string
  readonly rows: number
  readonly megabytes: number
  /** Upload answered (file stored, rows counted). */
  readonly uploadSeconds: number
  /** From the job's start to its end, as the server recorded them. */
  readonly jobSeconds: number
  /** From the first byte of the upload until the import was seen completed. */
  readonly wallSeconds: number
  readonly rowsPerSecond: number
  readonly counts: Record<string, number>
  readonly peakRssMb: number | null
  /** CPU time the server and PostgreSQL spent from upload to completion: the cost, whatever else runs on the machine. */
  readonly serverCpuSeconds: number | null
  readonly postgresCpuSeconds: number | null
  readonly copySeconds: number
  readonly copyRowsPerSecond: number
  /** Import rows/s as a share of COPY's. */
  readonly ratioToCopy: number
}

/** Unique numbers per file: area codes the main seed and the campaign bench (830) do not use. */
const phone = (area: string, i: number) => `(${area}) ${String(2_000_000 + i).slice(0, 3)}-${String(2_000_000 + i).slice(3)}`

const genericCsv = (rows: number) => {
  const lines = ["First Name,Last Name,Phone,Email,Company,Address,City,State,Zip,Tags"]
  for (let i = 0; i < rows; i++) {
    lines.push(`Bench${i},Importer${i},${phone("907", i)},bench${i}@example.com,${i % 4 === 0 ? `Acme ${i}` : ""},` +
      `${i + 1} Elm St,Quincy,MA,02169,"lead, bench"`)
  }
  return Buffer.from(lines.join("\n") + "\n")
}

/**
 * The generic layout's bare minimum, about 40 bytes a row, so a 1,000,000-row
 * file fits the 50 MB upload limit (issue 9's memory target is for such a file).
 */
const genericLeanCsv = (rows: number) => {
  const lines = ["First Name,Last Name,Phone,Email"]
  for (let i = 0; i < rows; i++) lines.push(`B${i},I${i},907${2_000_000 + i},b${i}@x.io`)
  return Buffer.from(lines.join("\n") + "\n")
}

const PROPERTYRADAR_HEADER = "Type,Address,City,State,ZIP,APN,Yr Built,Sq Ft,Beds,Baths,Est Value,Est Equity $,Est Equity %,Owner," +
  "Owner Occ?,Listed for Sale?,Listing Status,Foreclosure?,Purchase Date,Latitude,Longitude,Mail Address,Mail City,Mail State,Mail ZIP," +
  "Primary Name,Primary Mobile Phone1,Primary Email1,Secondary Name,Secondary Mobile Phone1,Secondary Email1"

/** One house and two owners a row, as PropertyRadar exports them (ALL-CAPS names, formatted money). */
const propertyRadarCsv = (rows: number) => {
  const lines = [PROPERTYRADAR_HEADER]
  for (let i = 0; i < rows; i++) {
    const street = `${i + 1} ${["MAIN STREET", "ELM AVENUE", "NORTH OAK ROAD", "WATER ST"][i % 4]}`
    lines.push([
      "SFR", street, "BRAINTREE", "MA", "02184", `BENCH-${String(i).padStart(6, "0")}`, 1950 + (i % 60), `"2,${String(i % 1000).padStart(3, "0")}"`,
      3, 2, `"$${500 + (i % 400)},000"`, `"$${200 + (i % 300)},000"`, 40 + (i % 50), `"OWNER${i},JOHN & MARY"`, i % 2, 0, "", 0, "2017-07-28",
      "42.211216", "-70.987754", street, "BRAINTREE", "MA", "02184",
      `JOHN OWNER${i}`, phone("808", i), `owner${i}@example.com`, `MARY OWNER${i}`, phone("406", i), ""
    ].join(","))
  }
  return Buffer.from(lines.join("\n") + "\n")
}

const seconds = (ms: number) => Math.round(ms / 10) / 100

/** Uploads `bytes` to the server and waits until its import completes; the import's JSON. */
const importThroughServer = async (server: ServerProcess, token: string, name: string, bytes: Buffer) => {
  const started = performance.now()
  const form = new FormData()
  form.append("file", new Blob([new Uint8Array(bytes)]), name)
  const response = await fetch(`${server.baseUrl}/api/imports`, { method: "POST", body: form, headers: { authorization: `Bearer ${token}` } })
  const queued = await response.json() as Record<string, unknown>
  if (response.status !== 202) throw new Error(`upload ${name}: ${response.status} ${JSON.stringify(queued)}`)
  const uploaded = performance.now()
  // Ten minutes per 100,000 rows: a slow machine gets its figures rather than a timeout.
  const deadline = Date.now() + Math.max(600_000, ROWS * 6)
  for (;;) {
    const state = await (await fetch(`${server.baseUrl}/api/imports/${String(queued["id"])}`, { headers: { authorization: `Bearer ${token}` } }))
      .json() as Record<string, unknown>
    if (state["status"] === "completed") {
      return { state, uploadMs: uploaded - started, wallMs: performance.now() - started }
    }
    if (state["status"] === "failed") throw new Error(`import ${name} failed: ${JSON.stringify(state)}`)
    if (Date.now() > deadline) throw new Error(`import ${name} not completed in time: ${JSON.stringify(state)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The same bytes through COPY FROM STDIN into a bare table of text columns (a fresh one each time). */
const copyReference = async (url: string, table: string, header: string, bytes: Buffer) => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const columns = header.split(",").map((_, i) => `c${i} text`).join(", ")
    await client.query(`DROP TABLE IF EXISTS ${table}`)
    await client.query(`CREATE TABLE ${table} (${columns})`)
    const started = performance.now()
    await pipeline(Readable.from([bytes]), client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`)))
    const ms = performance.now() - started
    const loaded = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0)
    await client.query(`DROP TABLE ${table}`)
    return { ms, loaded }
  } finally {
    await client.end()
  }
}

export const benchImports = async (options: {
  readonly url: string
  readonly token: string
  readonly startServer: (name: string) => Promise<ServerProcess>
  readonly stopServer: (server: ServerProcess) => Promise<void>
  readonly progress: (message: string) => void
  readonly postmasterPid?: number | undefined
}): Promise<ReadonlyArray<ImportFigures>> => {
  const figures: Array<ImportFigures> = []
  const files = [
    { layout: "generic", header: "First Name,Last Name,Phone,Email,Company,Address,City,State,Zip,Tags", make: genericCsv },
    { layout: "propertyradar", header: PROPERTYRADAR_HEADER, make: propertyRadarCsv },
    // Only when asked for (BENCH_IMPORT_LAYOUTS=generic-lean), with BENCH_IMPORT_ROWS=1000000.
    { layout: "generic-lean", header: "First Name,Last Name,Phone,Email", make: genericLeanCsv }
  ]
  for (const file of files.filter((f) => LAYOUTS.includes(f.layout))) {
    const bytes = file.make(ROWS)
    // A fresh process per file, so its peak memory is that import's own.
    const server = await options.startServer(`ours (imports, ${file.layout})`)
    options.progress(`importing ${ROWS} ${file.layout} rows (${Math.round(bytes.length / 1e5) / 10} MB) through the server`)
    const cpuBefore = [await processCpuMs(server.child.pid), await postgresCpuMs(options.postmasterPid)] as const
    const { result, peakRssMb } = await peakRssDuring(server.child.pid, () => importThroughServer(server, options.token, `${file.layout}.csv`, bytes))
    const cpuAfter = [await processCpuMs(server.child.pid), await postgresCpuMs(options.postmasterPid)] as const
    const cpuSeconds = (before: number | null, after: number | null) => (before === null || after === null ? null : seconds(after - before))
    await options.stopServer(server)
    const { state } = result
    const jobMs = Date.parse(String(state["finishedAt"])) - Date.parse(String(state["startedAt"]))
    options.progress(`loading the same ${file.layout} rows with COPY`)
    const copy = await copyReference(options.url, `bench_copy_${file.layout.replace(/\W/gu, "_")}`, file.header, bytes)
    if (copy.loaded !== ROWS) throw new Error(`COPY loaded ${copy.loaded} rows, not ${ROWS}`)
    const rowsPerSecond = Math.round(ROWS / (jobMs / 1000))
    const copyRowsPerSecond = Math.round(ROWS / (copy.ms / 1000))
    figures.push({
      layout: file.layout,
      rows: ROWS,
      megabytes: Math.round(bytes.length / 1e5) / 10,
      uploadSeconds: seconds(result.uploadMs),
      jobSeconds: seconds(jobMs),
      wallSeconds: seconds(result.wallMs),
      rowsPerSecond,
      counts: state["counts"] as Record<string, number>,
      peakRssMb,
      serverCpuSeconds: cpuSeconds(cpuBefore[0], cpuAfter[0]),
      postgresCpuSeconds: cpuSeconds(cpuBefore[1], cpuAfter[1]),
      copySeconds: seconds(copy.ms),
      copyRowsPerSecond,
      ratioToCopy: Math.round((rowsPerSecond / copyRowsPerSecond) * 1000) / 1000
    })
  }
  return figures
}

const mib = (value: number | null) => (value === null ? "n/a" : `${Math.round(value)} MiB`)

export const formatImports = (figures: ReadonlyArray<ImportFigures>) =>
  [
    `Imports (${ROWS.toLocaleString("en-US")} rows a file, through the server's import job; COPY FROM STDIN into a bare table as the reference)`,
    ...figures.map((f) =>
      `  ${f.layout}: ${f.rows} rows, ${f.megabytes} MB: upload ${f.uploadSeconds} s, job ${f.jobSeconds} s = ${f.rowsPerSecond} rows/s ` +
      `(wall ${f.wallSeconds} s), server peak RSS ${mib(f.peakRssMb)}, CPU server ${f.serverCpuSeconds ?? "n/a"} s + PostgreSQL ${f.postgresCpuSeconds ?? "n/a"} s; COPY ${f.copySeconds} s = ${f.copyRowsPerSecond} rows/s; ` +
      `import/COPY ${Math.round(f.ratioToCopy * 1000) / 10}%; counts ${JSON.stringify(f.counts)}`
    )
  ].join("\n")
