import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // One PostgreSQL for the whole run; each integration test file gets its own database.
    globalSetup: ["tests/support/global-setup.ts"],
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
})
