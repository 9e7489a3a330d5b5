import type { Reporter, TestModule } from "vitest/node"

/** The layers whose line coverage is printed, as in the thresholds of vitest.config.ts. */
const areas = ["domain/", "application/", "adapters/"] as const

interface LineCounts {
  covered: number
  total: number
}

const metrics = ["lines", "statements", "branches", "functions"] as const
type Metric = typeof metrics[number]

/** The part of istanbul's CoverageMap that v8 coverage hands to reporters. */
interface CoverageMap {
  readonly files: () => ReadonlyArray<string>
  readonly fileCoverageFor: (file: string) => { readonly toSummary: () => Record<Metric, LineCounts> }
}

const isCoverageMap = (value: unknown): value is CoverageMap =>
  typeof value === "object" && value !== null && "files" in value && typeof value.files === "function" &&
  "fileCoverageFor" in value && typeof value.fileCoverageFor === "function"

const percent = ({ covered, total }: LineCounts) => total === 0 ? "n/a" : `${(100 * covered / total).toFixed(1)}%`

interface Tier {
  passed: number
  failed: number
  skipped: number
  start: number
  end: number
}

/**
 * Prints one line per test tier (unit, integration, contract, e2e: the
 * folders under tests/ and the Vitest projects) with its counts and the
 * seconds from its first file's start to its last file's end (tiers share
 * the workers, so their spans overlap), and the line coverage
 * of each layer when coverage ran. The thresholds themselves are enforced by
 * Vitest (coverage.thresholds), which fails the run below them.
 */
export default class TierReporter implements Reporter {
  private readonly tiers = new Map<string, Tier>()
  private coverage: Map<string, LineCounts> | undefined

  onTestModuleEnd(module: TestModule) {
    // The folder under tests/, which is also the Vitest project's name.
    const name = /^tests\/([^/]+)\//.exec(module.relativeModuleId)?.[1] ?? (module.project.name || "other")
    const d = module.diagnostic()
    const end = Date.now()
    // A module's wall time in its worker: environment, harness, imports, setup files and tests.
    const start = end - (d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration)
    const tier = this.tiers.get(name) ?? { passed: 0, failed: 0, skipped: 0, start, end }
    for (const test of module.children.allTests()) {
      const state = test.result().state
      if (state === "passed") tier.passed++
      else if (state === "failed") tier.failed++
      else tier.skipped++
    }
    // A file that fails before its tests run (an import error) counts as a failure.
    if (module.state() === "failed" && module.children.allTests("failed").next().done === true) tier.failed++
    tier.start = Math.min(tier.start, start)
    tier.end = Math.max(tier.end, end)
    this.tiers.set(name, tier)
  }

  onCoverage(coverage: unknown) {
    if (!isCoverageMap(coverage)) return
    const sums = new Map<string, LineCounts>()
    const add = (key: string, counts: LineCounts) => {
      const sum = sums.get(key) ?? { covered: 0, total: 0 }
      sum.covered += counts.covered
      sum.total += counts.total
      sums.set(key, sum)
    }
    for (const file of coverage.files()) {
      const summary = coverage.fileCoverageFor(file).toSummary()
      for (const metric of metrics) add(metric, summary[metric])
      const relative = file.slice(process.cwd().length + 1)
      for (const area of areas.filter((a) => relative.startsWith(a))) add(area, summary.lines)
    }
    this.coverage = sums
  }

  onTestRunEnd() {
    const order = ["unit", "integration", "contract", "e2e"]
    const tiers = [...this.tiers].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    console.log("")
    for (const [name, t] of tiers) {
      const skipped = t.skipped > 0 ? `, ${t.skipped} skipped` : ""
      console.log(`tier ${name.padEnd(11)} ${String(t.passed).padStart(4)} passed, ${t.failed} failed${skipped}, ${((t.end - t.start) / 1000).toFixed(1)} s`)
    }
    const coverage = this.coverage
    if (coverage !== undefined) {
      const show = (keys: ReadonlyArray<string>) =>
        keys.map((key) => `${key.replace("/", "")} ${percent(coverage.get(key) ?? { covered: 0, total: 0 })}`).join(", ")
      console.log(`coverage overall: ${show(metrics)}`)
      console.log(`lines by layer:   ${show(areas)}`)
    }
  }
}
