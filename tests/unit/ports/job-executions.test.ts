import { jobExecutionsSuite } from "../../support/port-suites/job-executions.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

jobExecutionsSuite("JobExecutions in memory", memoryPorts)
