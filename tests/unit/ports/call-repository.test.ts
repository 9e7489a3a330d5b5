import { callRepositorySuite } from "../../support/port-suites/call-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

callRepositorySuite("CallRepository in memory", memoryPorts)
