import { reportRepositorySuite } from "../../support/port-suites/report-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

reportRepositorySuite("ReportRepository in memory", memoryPorts)
