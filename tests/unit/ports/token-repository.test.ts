import { tokenRepositorySuite } from "../../support/port-suites/token-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

tokenRepositorySuite("TokenRepository in memory", memoryPorts)
