import { customerServiceRepositorySuite } from "../../support/port-suites/customer-service-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

customerServiceRepositorySuite("CustomerServiceRepository in memory", memoryPorts)
