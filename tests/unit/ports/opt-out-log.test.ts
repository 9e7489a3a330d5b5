import { memoryPorts } from "../../support/port-suites/memory-ports.ts"
import { optOutLogSuite } from "../../support/port-suites/opt-out-log.ts"

optOutLogSuite("OptOutLog in memory", memoryPorts)
