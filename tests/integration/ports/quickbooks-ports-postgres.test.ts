import { accountingMappingsSuite } from "../../support/port-suites/accounting-mappings.ts"
import { accountingSyncLogSuite } from "../../support/port-suites/accounting-sync-log.ts"
import { quickBooksConnectionStoreSuite } from "../../support/port-suites/quickbooks-connection-store.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"

// The QuickBooks store suites the in-memory layers pass (tests/unit/ports), on PostgreSQL.
const ports = sqlPorts()

quickBooksConnectionStoreSuite("QuickBooksConnectionStore on PostgreSQL", ports)
accountingMappingsSuite("AccountingMappings on PostgreSQL", ports)
accountingSyncLogSuite("AccountingSyncLog on PostgreSQL", ports)
