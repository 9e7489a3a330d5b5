import { defineConfig } from "vitest/config"

// Stryker's test run (`npm run mutation`): the domain's own unit tests, pure
// and fast, with no PostgreSQL global setup. Use-case and HTTP tests are left
// out on purpose: a domain rule must be pinned down by a domain test, and
// they would make each run of a Schema mutant several times longer.
export default defineConfig({
  test: {
    include: ["tests/unit/domain/**/*.test.ts"],
    // One module graph for all files of a run: the tests share no state, and
    // importing Effect once instead of per file makes each mutant's run several
    // times cheaper. Stryker still reloads the modules for mutants of
    // module-level code (Schemas).
    isolate: false,
    testTimeout: 30_000
  }
})
