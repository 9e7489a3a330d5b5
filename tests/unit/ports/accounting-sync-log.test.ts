import { accountingSyncLogSuite } from "../../support/port-suites/accounting-sync-log.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

accountingSyncLogSuite("AccountingSyncLog in memory", memoryPorts)
