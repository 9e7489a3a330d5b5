import { jobExecutionsSuite } from "../../support/port-suites/job-executions.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"

jobExecutionsSuite("JobExecutions on PostgreSQL", sqlPorts())
