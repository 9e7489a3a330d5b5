import { invoiceRepositorySuite } from "../../support/port-suites/invoice-repository.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

invoiceRepositorySuite("InvoiceRepository in memory", memoryPorts)
