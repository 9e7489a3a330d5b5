import { layer, type Vitest } from "@effect/vitest"
import type { Layer } from "effect"
import type { BillingRunRepository } from "../../../application/ports/billing-run-repository.ts"
import type { CallRepository } from "../../../application/ports/call-repository.ts"
import type { CampaignRepository } from "../../../application/ports/campaign-repository.ts"
import type { ContactListRepository } from "../../../application/ports/contact-list-repository.ts"
import type { ContactMergeRepository } from "../../../application/ports/contact-merge-repository.ts"
import type { ContactReferences } from "../../../application/ports/contact-references.ts"
import type { ContactRepository } from "../../../application/ports/contact-repository.ts"
import type { CustomerRepository } from "../../../application/ports/customer-repository.ts"
import type { CustomerServiceRepository } from "../../../application/ports/customer-service-repository.ts"
import type { DatabaseHealth } from "../../../application/ports/database-health.ts"
import type { IdempotencyStore } from "../../../application/ports/idempotency-store.ts"
import type { ImportRepository } from "../../../application/ports/import-repository.ts"
import type { InvoiceRepository } from "../../../application/ports/invoice-repository.ts"
import type { JobExecutions } from "../../../application/ports/job-executions.ts"
import type { MessageRepository } from "../../../application/ports/message-repository.ts"
import type { OptOutLog } from "../../../application/ports/opt-out-log.ts"
import type { PropertyRepository } from "../../../application/ports/property-repository.ts"
import type { QuoteRepository } from "../../../application/ports/quote-repository.ts"
import type { ReportRepository } from "../../../application/ports/report-repository.ts"
import type { ServiceRepository } from "../../../application/ports/service-repository.ts"
import type { SyncProgress } from "../../../application/ports/sync-progress.ts"
import type { TaxRateRepository } from "../../../application/ports/tax-rate-repository.ts"
import type { TokenRepository } from "../../../application/ports/token-repository.ts"
import type { Transactor } from "../../../application/ports/transactor.ts"
import type { WebhookEventStore } from "../../../application/ports/webhook-event-store.ts"
import type { AccountingMappings } from "../../../application/ports/accounting-mappings.ts"
import type { AccountingSyncLog } from "../../../application/ports/accounting-sync-log.ts"
import type { QuickBooksConnectionStore } from "../../../application/ports/quickbooks-connection-store.ts"
import type { TaxRateTable } from "../../../domain/billing/tax-rate.ts"

/** Every port a storage layer implements; a suite sets rows up through the ports only, so it runs on any of them. */
export type Ports =
  | ContactRepository
  | ContactMergeRepository
  | ContactReferences
  | TokenRepository
  | IdempotencyStore
  | CustomerRepository
  | ServiceRepository
  | CustomerServiceRepository
  | QuoteRepository
  | InvoiceRepository
  | BillingRunRepository
  | ReportRepository
  | TaxRateRepository
  | TaxRateTable
  | Transactor
  | JobExecutions
  | MessageRepository
  | OptOutLog
  | PropertyRepository
  | SyncProgress
  | WebhookEventStore
  | CallRepository
  | CampaignRepository
  | ContactListRepository
  | ImportRepository
  | QuickBooksConnectionStore
  | AccountingMappings
  | AccountingSyncLog
  | DatabaseHealth

/** Builds the storage under test: the in-memory ports, or the PostgreSQL ones on a fresh database. */
export type MakePorts = () => Layer.Layer<Ports>

/**
 * One describe block over one storage instance. Its tests share it, and on
 * PostgreSQL the other suites of the file share the database too, so each
 * test works on rows of its own (fresh ids, its own names, periods and years)
 * and never assumes an empty table. Test services (TestClock) are left out:
 * the database's pool must see real time.
 */
export const portSuite = (name: string, makePorts: MakePorts, body: (it: Vitest.MethodsNonLive<Ports>) => void) =>
  layer(makePorts(), { timeout: 120_000, excludeTestServices: true })(name, body)
