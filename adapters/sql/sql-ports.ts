import { Layer } from "effect"
import { SqlBillingRunRepository } from "./sql-billing-run-repository.ts"
import { SqlCustomerRepository } from "./sql-customer-repository.ts"
import { SqlCustomerServiceRepository } from "./sql-customer-service-repository.ts"
import { SqlInvoiceRepository } from "./sql-invoice-repository.ts"
import { SqlQuoteRepository } from "./sql-quote-repository.ts"
import { SqlReportRepository } from "./sql-report-repository.ts"
import { SqlServiceRepository } from "./sql-service-repository.ts"
import { SqlTaxRateRepository } from "./sql-tax-rate-repository.ts"
import { SqlTaxRateTable } from "./sql-tax-rate-table.ts"
import { SqlContactMergeRepository } from "./sql-contact-merge-repository.ts"
import { SqlContactReferences } from "./sql-contact-references.ts"
import { SqlContactRepository } from "./sql-contact-repository.ts"
import { SqlDatabaseHealth } from "./sql-database-health.ts"
import { SqlIdempotencyStore } from "./sql-idempotency-store.ts"
import { SqlTokenRepository } from "./sql-token-repository.ts"
import { SqlTransactor } from "./sql-transactor.ts"

/** Every port PostgreSQL implements; needs a PgClient (and its SqlClient). */
export const SqlPorts = Layer.mergeAll(
  SqlContactRepository,
  SqlContactMergeRepository,
  SqlContactReferences,
  SqlTokenRepository,
  SqlIdempotencyStore,
  SqlTransactor,
  SqlDatabaseHealth,
  SqlCustomerRepository,
  SqlServiceRepository,
  SqlCustomerServiceRepository,
  SqlQuoteRepository,
  SqlInvoiceRepository,
  SqlBillingRunRepository,
  SqlReportRepository,
  SqlTaxRateTable,
  SqlTaxRateRepository
)
