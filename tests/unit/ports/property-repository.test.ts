import { memoryPorts } from "../../support/port-suites/memory-ports.ts"
import { propertyRepositorySuite } from "../../support/port-suites/property-repository.ts"

propertyRepositorySuite("PropertyRepository in memory", memoryPorts)
