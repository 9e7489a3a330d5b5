import { defineConfig } from "vitest/config"

/**
 * `npm run test:resilience`: fault injection and multi-process tests (killed
 * processes, two runners, provider storms). They take minutes, not seconds, so
 * they are a tier of their own that `npm test` leaves out; CI runs it after.
 */
export default defineConfig({
  test: {
    name: "resilience",
    include: ["tests/resilience/**/*.test.ts"],
    reporters: ["default", "json", "./tests/support/tier-reporter.ts"],
    outputFile: { json: "reports/vitest-resilience.json" },
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    // Each file starts its own processes and measures them: one at a time on 2 cores.
    maxWorkers: 1,
    fileParallelism: false
  }
})
