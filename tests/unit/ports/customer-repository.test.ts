import { customerRepositorySuite } from "../../support/port-suites/customer-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

customerRepositorySuite("CustomerRepository in memory", memoryPorts)
