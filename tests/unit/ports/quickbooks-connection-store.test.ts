import { memoryPorts } from "../../support/port-suites/memory-ports.ts"
import { quickBooksConnectionStoreSuite } from "../../support/port-suites/quickbooks-connection-store.ts"

quickBooksConnectionStoreSuite("QuickBooksConnectionStore in memory", memoryPorts)
