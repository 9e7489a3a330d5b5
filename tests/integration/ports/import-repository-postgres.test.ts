import { importRepositorySuite } from "../../support/port-suites/import-repository.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"

importRepositorySuite("ImportRepository on PostgreSQL", sqlPorts())
