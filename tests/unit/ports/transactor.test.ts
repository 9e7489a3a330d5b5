import { transactorSuite } from "../../support/port-suites/transactor.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

transactorSuite("Transactor and DatabaseHealth in memory", memoryPorts)
