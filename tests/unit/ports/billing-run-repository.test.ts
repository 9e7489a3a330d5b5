import { billingRunRepositorySuite } from "../../support/port-suites/billing-run-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

billingRunRepositorySuite("BillingRunRepository in memory", memoryPorts)
