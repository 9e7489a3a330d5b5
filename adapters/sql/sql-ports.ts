import { Layer } from "effect"
import { SqlBillingRunRepository } from "./sql-billing-run-repository.ts"
import { SqlCallRepository } from "./sql-call-repository.ts"
import { SqlCampaignRepository } from "./sql-campaign-repository.ts"
import { SqlCustomerRepository } from "./sql-customer-repository.ts"
import { SqlCustomerServiceRepository } from "./sql-customer-service-repository.ts"
import { SqlInvoiceRepository } from "./sql-invoice-repository.ts"
import { SqlQuoteRepository } from "./sql-quote-repository.ts"
import { SqlReportRepository } from "./sql-report-repository.ts"
import { SqlServiceRepository } from "./sql-service-repository.ts"
import { SqlTaxRateRepository } from "./sql-tax-rate-repository.ts"
import { SqlTaxRateTable } from "./sql-tax-rate-table.ts"
import { SqlContactListRepository } from "./sql-contact-list-repository.ts"
import { SqlContactMergeRepository } from "./sql-contact-merge-repository.ts"
import { SqlContactReferences } from "./sql-contact-references.ts"
import { SqlContactRepository } from "./sql-contact-repository.ts"
import { SqlDatabaseHealth } from "./sql-database-health.ts"
import { SqlIdempotencyStore } from "./sql-idempotency-store.ts"
import { SqlImportRepository } from "./sql-import-repository.ts"
import { ImportFilesLive } from "../import/import-files-layer.ts"
import { SqlJobExecutions } from "./sql-job-executions.ts"
import { SqlMessageRepository } from "./sql-message-repository.ts"
import { SqlOptOutLog } from "./sql-opt-out-log.ts"
import { SqlPropertyRepository } from "./sql-property-repository.ts"
import { SqlSyncProgress } from "./sql-sync-progress.ts"
import { SqlTokenRepository } from "./sql-token-repository.ts"
import { SqlTransactor } from "./sql-transactor.ts"
import { SqlWebhookEventStore } from "./sql-webhook-event-store.ts"
import { SqlQuickBooksConnectionStore } from "./sql-quickbooks-connection-store.ts"
import { SqlAccountingMappings } from "./sql-accounting-mappings.ts"
import { SqlAccountingSyncLog } from "./sql-accounting-sync-log.ts"

/** Every port PostgreSQL implements; needs a PgClient (and its SqlClient). */
export const SqlPorts = Layer.mergeAll(
  SqlContactRepository,
  SqlContactMergeRepository,
  SqlContactReferences,
  SqlTokenRepository,
  SqlIdempotencyStore,
  SqlJobExecutions,
  SqlTransactor,
  SqlMessageRepository,
  SqlOptOutLog,
  SqlPropertyRepository,
  SqlDatabaseHealth,
  SqlCustomerRepository,
  SqlServiceRepository,
  SqlCustomerServiceRepository,
  SqlQuoteRepository,
  SqlInvoiceRepository,
  SqlBillingRunRepository,
  SqlReportRepository,
  SqlTaxRateTable,
  SqlTaxRateRepository,
  SqlSyncProgress,
  SqlWebhookEventStore,
  SqlCallRepository,
  SqlCampaignRepository,
  SqlContactListRepository,
  SqlImportRepository,
  SqlQuickBooksConnectionStore,
  SqlAccountingMappings,
  SqlAccountingSyncLog,
  // Not SQL, but every composition of the SQL ports needs the file reader the imports use.
  ImportFilesLive
)
