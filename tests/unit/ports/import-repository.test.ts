import { importRepositorySuite } from "../../support/port-suites/import-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

importRepositorySuite("ImportRepository in memory", memoryPorts)
