import { contactReferencesSuite } from "../../support/port-suites/contact-references.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

contactReferencesSuite("ContactReferences in memory", memoryPorts)
