import { billingRunRepositorySuite } from "../../support/port-suites/billing-run-repository.ts"
import { customerRepositorySuite } from "../../support/port-suites/customer-repository.ts"
import { customerServiceRepositorySuite } from "../../support/port-suites/customer-service-repository.ts"
import { invoiceRepositorySuite } from "../../support/port-suites/invoice-repository.ts"
import { quoteRepositorySuite } from "../../support/port-suites/quote-repository.ts"
import { reportRepositorySuite } from "../../support/port-suites/report-repository.ts"
import { serviceRepositorySuite } from "../../support/port-suites/service-repository.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"
import { taxRateRepositorySuite } from "../../support/port-suites/tax-rate-repository.ts"

// The billing port suites the in-memory layers pass (tests/unit/ports), on
// PostgreSQL (see contact-ports.test.ts).
const ports = sqlPorts()

customerRepositorySuite("CustomerRepository on PostgreSQL", ports)
serviceRepositorySuite("ServiceRepository on PostgreSQL", ports)
customerServiceRepositorySuite("CustomerServiceRepository on PostgreSQL", ports)
quoteRepositorySuite("QuoteRepository on PostgreSQL", ports)
invoiceRepositorySuite("InvoiceRepository on PostgreSQL", ports)
billingRunRepositorySuite("BillingRunRepository on PostgreSQL", ports)
reportRepositorySuite("ReportRepository on PostgreSQL", ports)
taxRateRepositorySuite("TaxRateRepository on PostgreSQL", ports)
