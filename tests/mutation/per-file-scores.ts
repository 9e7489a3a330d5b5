/**
 * The last step of `npm run mutation`: reads Stryker's JSON report, prints the
 * mutation score of each file and fails when one is below the floor. Stryker's
 * own `thresholds.break` only judges the score of all files together, which a
 * large well-tested file can lift over a weak small one.
 */
import { readFileSync } from "node:fs"
import { Schema } from "effect"

const FLOOR = 85
const REPORT = process.argv[2] ?? "reports/mutation/mutation.json"

const Report = Schema.Struct({
  files: Schema.Record(Schema.String, Schema.Struct({ mutants: Schema.Array(Schema.Struct({ status: Schema.String })) }))
})

const DETECTED = new Set(["Killed", "Timeout"])
const UNDETECTED = new Set(["Survived", "NoCoverage"])

const report = Schema.decodeUnknownSync(Schema.fromJsonString(Report))(readFileSync(REPORT, "utf8"))
const rows = Object.entries(report.files).map(([file, { mutants }]) => {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length
  const total = detected + undetected
  // A file with no valid mutant (only Ignored, CompileError, ...) has nothing to miss.
  return { file, detected, total, score: total === 0 ? 100 : (100 * detected) / total }
}).sort((a, b) => a.file.localeCompare(b.file))

const width = Math.max(...rows.map((row) => row.file.length))
for (const row of rows) {
  const mark = row.score < FLOOR ? "  below the floor" : ""
  console.log(`${row.file.padEnd(width)}  ${row.score.toFixed(2).padStart(6)}%  (${row.detected}/${row.total})${mark}`)
}
const below = rows.filter((row) => row.score < FLOOR)
if (below.length > 0) {
  console.error(`${below.length} file(s) below the ${FLOOR}% mutation score floor`)
  process.exitCode = 1
}
