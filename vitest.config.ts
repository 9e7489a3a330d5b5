import { defineConfig } from "vitest/config"
import type { TestProjectInlineConfiguration } from "vitest/config"

/** One Vitest project per tier, named after its folder under tests/. */
const tier = (name: string, test: NonNullable<TestProjectInlineConfiguration["test"]> = {}): TestProjectInlineConfiguration => ({
  extends: true,
  test: { name, include: [`tests/${name}/**/*.test.ts`], ...test }
})

export default defineConfig({
  test: {
    // reports/vitest.json is what .ci/run counts; the tier reporter prints a line per tier.
    reporters: ["default", "json", "./tests/support/tier-reporter.ts"],
    outputFile: { json: "reports/vitest.json" },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Vitest's default on 2 cores is one worker; integration and e2e files
    // spend much of their time waiting on PostgreSQL and child processes.
    maxWorkers: 3,
    projects: [
      // In-memory tests build their layers per test and keep no module state,
      // so one module cache can serve every file: importing Effect once per
      // worker, not once per file, is most of this tier's time.
      tier("unit", { isolate: false }),
      // One PostgreSQL for the whole run; each integration test file gets its
      // own database, so files can share a worker's module cache too.
      tier("integration", { isolate: false, globalSetup: ["tests/support/global-setup.ts"] }),
      tier("contract"),
      tier("e2e")
    ],
    // `npm test` turns coverage on (--coverage); a single file run does not.
    coverage: {
      provider: "v8",
      include: ["domain/**/*.ts", "application/**/*.ts", "adapters/**/*.ts"],
      exclude: [
        // In-memory test doubles shipped for library users, not production code.
        "application/testing/**",
        // Entry points (npm start, npm run crm) only wire layers and run the
        // process. The e2e tests run them as child processes, which in-process
        // V8 coverage cannot see; the modules they wire are covered in-process.
        "adapters/**/main.ts",
        "adapters/**/*-main.ts"
      ],
      // tests/support/tier-reporter.ts prints the summary; coverage/coverage-summary.json has it per file.
      reporter: ["json-summary"],
      thresholds: {
        lines: 90,
        "domain/**": { lines: 95 },
        "application/**": { lines: 90 }
      }
    }
  }
})
