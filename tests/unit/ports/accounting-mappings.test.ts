import { accountingMappingsSuite } from "../../support/port-suites/accounting-mappings.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

accountingMappingsSuite("AccountingMappings in memory", memoryPorts)
