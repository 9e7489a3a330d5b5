import { sqlPorts } from "../../support/port-suites/sql-ports.ts"
import { syncProgressSuite } from "../../support/port-suites/sync-progress.ts"

syncProgressSuite("SyncProgress on PostgreSQL", sqlPorts())
