import { contactListRepositorySuite } from "../../support/port-suites/contact-list-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

contactListRepositorySuite("ContactListRepository in memory", memoryPorts)
