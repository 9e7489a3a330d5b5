import { quoteRepositorySuite } from "../../support/port-suites/quote-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

quoteRepositorySuite("QuoteRepository in memory", memoryPorts)
