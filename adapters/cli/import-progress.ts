/**
 * The progress of `npm run crm -- import FILE`: one line redrawn in place on a
 * terminal, plain lines every few seconds otherwise (a log, CI, a pipe).
 */

export interface ProgressState {
  /** What is going on: "reading" the file, then the import's status. */
  readonly label: string
  readonly done: number
  /** Null while unknown: no bar, no percentage, no time left. */
  readonly total: number | null
  /** Units per second so far; 0 before the first second. */
  readonly rate: number
  readonly unit: "rows" | "bytes"
}

const BAR_WIDTH = 20
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 })
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** 75 -> "1m15s"; 3725 -> "1h02m". */
export const formatDuration = (seconds: number): string => {
  const s = Math.max(0, Math.ceil(seconds))
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
}

/** One line: label, bar, done/total, percentage, rate and time left (each when known). */
export const renderProgress = ({ done, label, rate, total, unit }: ProgressState): string => {
  const amount = (n: number) => (unit === "bytes" ? megabytes(n) : integer.format(n))
  const speed = rate > 0 ? (unit === "bytes" ? `${megabytes(rate)}/s` : `${integer.format(rate)} rows/s`) : "-/s"
  if (total === null || total <= 0) return `${label} ${amount(done)}${unit === "rows" ? " rows" : ""}, ${speed}`
  const fraction = Math.min(1, done / total)
  const filled = Math.floor(fraction * BAR_WIDTH)
  const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`
  const left = rate > 0 ? `, ${formatDuration(Math.max(0, total - done) / rate)} left` : ""
  const of = unit === "bytes" ? `${megabytes(done).replace(" MB", "")}/${megabytes(total)}` : `${integer.format(done)}/${integer.format(total)} rows`
  return `${label} ${bar} ${of} (${Math.floor(fraction * 100)}%), ${speed}${left}`
}

/** Redraws at most this often on a terminal. */
const TTY_EVERY_MS = 200
/** A plain line at most this often elsewhere. */
export const PLAIN_EVERY_MS = 5000

/**
 * Writes progress lines: on a terminal the line is redrawn in place (carriage
 * return, then erase to the end of the line); elsewhere a new line is written
 * only every PLAIN_EVERY_MS, so a log of an hour-long import stays short.
 */
export const progressPrinter = (options: { readonly tty: boolean; readonly write: (text: string) => void }) => {
  let last = Number.NEGATIVE_INFINITY
  const line = (state: ProgressState) => (options.tty ? `\r${renderProgress(state)}\u001b[K` : `${renderProgress(state)}\n`)
  return {
    update: (state: ProgressState, nowMs: number): void => {
      if (nowMs - last < (options.tty ? TTY_EVERY_MS : PLAIN_EVERY_MS)) return
      last = nowMs
      options.write(line(state))
    },
    /** The final state, always written; ends the redrawn line. */
    finish: (state: ProgressState): void => options.write(options.tty ? `${line(state)}\n` : line(state))
  }
}

/** Units per second between two points; 0 until time has passed. */
export const rateOf = (done: number, doneAtStart: number, elapsedMs: number): number =>
  elapsedMs > 0 ? ((done - doneAtStart) * 1000) / elapsedMs : 0
