import { assert, describe, it } from "@effect/vitest"
import {
  formatDuration,
  PLAIN_EVERY_MS,
  progressPrinter,
  type ProgressState,
  rateOf,
  renderProgress
} from "../../../adapters/cli/import-progress.ts"

const rows = (done: number, total: number | null, rate: number): ProgressState => ({ label: "running", done, total, rate, unit: "rows" })

describe("import progress", () => {
  it("renders rows done of the total, the rate and the time left", () => {
    assert.strictEqual(
      renderProgress(rows(12_345, 50_000, 3_210.4)),
      "running [####----------------] 12,345/50,000 rows (24%), 3,210 rows/s, 12s left"
    )
    assert.strictEqual(
      renderProgress(rows(50_000, 50_000, 4_000)),
      "running [####################] 50,000/50,000 rows (100%), 4,000 rows/s, 0s left"
    )
    // No rate yet: no time left either.
    assert.strictEqual(renderProgress(rows(0, 1_000_000, 0)), "running [--------------------] 0/1,000,000 rows (0%), -/s")
    // Total not known: no bar.
    assert.strictEqual(renderProgress(rows(800, null, 400)), "running 800 rows, 400 rows/s")
  })

  it("renders the file being read in megabytes", () => {
    const mb = 1024 * 1024
    assert.strictEqual(
      renderProgress({ label: "reading", done: 10 * mb, total: 40 * mb, rate: 5 * mb, unit: "bytes" }),
      "reading [#####---------------] 10.0/40.0 MB (25%), 5.0 MB/s, 6s left"
    )
  })

  it("formats durations and rates", () => {
    assert.deepStrictEqual([0, 9.2, 75, 3599, 3725].map(formatDuration), ["0s", "10s", "1m15s", "59m59s", "1h02m"])
    assert.strictEqual(rateOf(1_500, 500, 2_000), 500)
    assert.strictEqual(rateOf(10, 0, 0), 0)
  })

  it("redraws one line in place on a terminal", () => {
    const written: Array<string> = []
    const printer = progressPrinter({ tty: true, write: (text) => written.push(text) })
    printer.update(rows(1, 10, 1), 0)
    printer.update(rows(2, 10, 1), 100) // too soon after the last redraw
    printer.update(rows(5, 10, 1), 300)
    printer.finish(rows(10, 10, 1))
    assert.deepStrictEqual(written, [
      "\rrunning [##------------------] 1/10 rows (10%), 1 rows/s, 9s left\u001b[K",
      "\rrunning [##########----------] 5/10 rows (50%), 1 rows/s, 5s left\u001b[K",
      "\rrunning [####################] 10/10 rows (100%), 1 rows/s, 0s left\u001b[K\n"
    ])
  })

  it("writes a plain line every few seconds when not on a terminal", () => {
    const written: Array<string> = []
    const printer = progressPrinter({ tty: false, write: (text) => written.push(text) })
    for (let ms = 0; ms <= 2 * PLAIN_EVERY_MS; ms += 500) printer.update(rows(ms, 20_000, 1000), ms)
    printer.finish(rows(20_000, 20_000, 1000))
    assert.deepStrictEqual(written.map((line) => line.slice(0, line.indexOf(" rows"))), [
      "running [--------------------] 0/20,000",
      "running [#####---------------] 5,000/20,000",
      "running [##########----------] 10,000/20,000",
      "running [####################] 20,000/20,000"
    ])
    assert.isTrue(written.every((line) => line.endsWith("\n") && !line.includes("\r")))
  })
})
