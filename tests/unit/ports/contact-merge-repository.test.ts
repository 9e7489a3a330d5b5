import { contactMergeRepositorySuite } from "../../support/port-suites/contact-merge-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

contactMergeRepositorySuite("ContactMergeRepository in memory", memoryPorts)
