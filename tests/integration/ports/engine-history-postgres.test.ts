import { Layer } from "effect"
import { fastJobTimings, jobEngineLayer } from "../../../adapters/jobs/job-engine.ts"
import { SqlEngineHistory } from "../../../adapters/jobs/sql-engine-history.ts"
import { engineHistorySuite } from "../../support/port-suites/engine-history.ts"
import { testDatabase } from "../../support/test-database.ts"

// Only PostgreSQL holds the engine's history (SqlMessageStorage's tables): the
// use-case tests stub the port, so there is no in-memory layer to hold to it.
engineHistorySuite(
  "EngineHistory on PostgreSQL",
  SqlEngineHistory.pipe(
    Layer.provideMerge(jobEngineLayer({ mode: "single", sharding: fastJobTimings })),
    Layer.provideMerge(testDatabase())
  )
)
