import { propertyRepositorySuite } from "../../support/port-suites/property-repository.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"

// The suite the in-memory layer passes (tests/unit/ports), on PostgreSQL.
propertyRepositorySuite("PropertyRepository on PostgreSQL", sqlPorts())
