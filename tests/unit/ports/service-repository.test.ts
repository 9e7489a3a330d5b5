import { serviceRepositorySuite } from "../../support/port-suites/service-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

serviceRepositorySuite("ServiceRepository in memory", memoryPorts)
