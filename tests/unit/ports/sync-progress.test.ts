import { memoryPorts } from "../../support/port-suites/memory-ports.ts"
import { syncProgressSuite } from "../../support/port-suites/sync-progress.ts"

syncProgressSuite("SyncProgress in memory", memoryPorts)
