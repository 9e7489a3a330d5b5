import { taxRateRepositorySuite } from "../../support/port-suites/tax-rate-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

taxRateRepositorySuite("TaxRateRepository in memory", memoryPorts)
