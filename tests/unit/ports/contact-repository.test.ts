import { contactRepositorySuite } from "../../support/port-suites/contact-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

contactRepositorySuite("ContactRepository in memory", memoryPorts)
