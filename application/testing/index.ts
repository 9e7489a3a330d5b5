import { Effect, Layer } from "effect"
import { WorkflowEngine } from "effect/workflow"
import { DatabaseHealth } from "../ports/database-health.ts"
import { MemoryBillingRunRepository } from "./memory-billing-run-repository.ts"
import { MemoryCallRepository } from "./memory-call-repository.ts"
import { MemoryCampaignRepository } from "./memory-campaign-repository.ts"
import { MemoryContactListRepository } from "./memory-contact-list-repository.ts"
import { MemoryContactMergeRepository } from "./memory-contact-merge-repository.ts"
import { MemoryContactReferences } from "./memory-contact-references.ts"
import { MemoryContactRepository } from "./memory-contact-repository.ts"
import { MemoryCustomerRepository } from "./memory-customer-repository.ts"
import { MemoryCustomerServiceRepository } from "./memory-customer-service-repository.ts"
import { MemoryIdempotencyStore } from "./memory-idempotency-store.ts"
import { MemoryImportFiles } from "./memory-import-files.ts"
import { MemoryImportRepository } from "./memory-import-repository.ts"
import { MemoryJobExecutions } from "./memory-job-executions.ts"
import { MemoryInvoiceRepository } from "./memory-invoice-repository.ts"
import { MemoryMessageRepository } from "./memory-message-repository.ts"
import { MemorySmsGateway } from "./memory-sms-gateway.ts"
import { MemoryOptOutLog } from "./memory-opt-out-log.ts"
import { MemoryPropertyRepository } from "./memory-property-repository.ts"
import { MemoryQuoteRepository } from "./memory-quote-repository.ts"
import { MemoryReportRepository } from "./memory-report-repository.ts"
import { MemoryServiceRepository } from "./memory-service-repository.ts"
import { MemoryStore } from "./memory-store.ts"
import { MemorySyncProgress } from "./memory-sync-progress.ts"
import { MemoryTaxRateRepository, MemoryTaxRateTable } from "./memory-tax-rates.ts"
import { MemoryTokenRepository } from "./memory-token-repository.ts"
import { MemoryTransactor } from "./memory-transactor.ts"
import { MemoryWebhookEventStore } from "./memory-webhook-event-store.ts"
import { MemoryQuickBooksConnectionStore } from "./memory-quickbooks-connection-store.ts"
import { MemoryAccountingMappings } from "./memory-accounting-mappings.ts"
import { MemoryAccountingSyncLog } from "./memory-accounting-sync-log.ts"
import { UseCases } from "../use-cases.ts"
import { AccountingSyncOff } from "../accounting/accounting-sync-live.ts"
import { QuickBooksOff } from "../accounting/quickbooks-off.ts"
import { QuickBooksPullWorkflowLayer } from "../accounting/pull-workflow.ts"
import { PushWorkflowsLayer } from "../accounting/push-workflows.ts"
import { SyncAllWorkflowLayer } from "../accounting/sync-all.ts"
import { SendTextWorkflowLayer } from "../messaging/send-text-workflow.ts"
import { WebhookWorkflowLayer } from "../messaging/webhook-workflow.ts"
import { TestIds } from "./test-ids.ts"
import { ImportWorkflowLayer } from "../imports/import-workflow.ts"
import { RevertImportWorkflowLayer } from "../imports/import-revert.ts"

export * from "./memory-store.ts"
export { testUuid, TestIds } from "./test-ids.ts"
export { MemorySmsGateway, MemorySmsGatewayControl, TEST_BUSINESS_NUMBER } from "./memory-sms-gateway.ts"
export { MemoryMessageRepository } from "./memory-message-repository.ts"
export { MemoryCampaignRepository } from "./memory-campaign-repository.ts"
export { MemoryQuickBooksConnectionStore } from "./memory-quickbooks-connection-store.ts"
export { MemoryAccountingMappings } from "./memory-accounting-mappings.ts"
export { MemoryAccountingSyncLog } from "./memory-accounting-sync-log.ts"
export {
  MEMORY_QBO_COMPANY,
  MemoryAccountingGateway,
  MemoryAccountingGatewayControl,
  type GatewayCall,
  type GatewayFailure
} from "./memory-accounting-gateway.ts"
export { MEMORY_QBO_REALM, MemoryQuickBooksOAuth, MemoryQuickBooksOAuthControl, type OAuthFailure } from "./memory-quickbooks-oauth.ts"
export { FixedRecipientTimeZone, TEST_AREA_CODE_ZONES } from "./fixed-recipient-time-zone.ts"

/** A database that is always up. */
export const HealthyDatabase = Layer.succeed(DatabaseHealth, DatabaseHealth.of({ ping: Effect.void }))

/** The billing ports and the tax-rate table, in memory. */
export const MemoryBillingPorts = Layer.mergeAll(
  MemoryCustomerRepository,
  MemoryServiceRepository,
  MemoryCustomerServiceRepository,
  MemoryQuoteRepository,
  MemoryInvoiceRepository,
  MemoryBillingRunRepository,
  MemoryReportRepository,
  MemoryTaxRateRepository,
  MemoryTaxRateTable
)

/** Every port, in memory, plus fixed ids; the MemoryStore stays reachable for assertions. */
export const TestPorts = Layer.mergeAll(
  MemoryContactRepository,
  MemoryContactMergeRepository,
  MemoryContactReferences,
  MemoryTokenRepository,
  MemoryIdempotencyStore,
  MemoryJobExecutions,
  MemoryTransactor,
  MemoryMessageRepository,
  MemorySmsGateway,
  // Use cases start workflows; TestApplication registers them (TestWorkflows).
  WorkflowEngine.layerMemory,
  MemoryOptOutLog,
  MemoryPropertyRepository,
  MemorySyncProgress,
  MemoryWebhookEventStore,
  MemoryCallRepository,
  MemoryCampaignRepository,
  MemoryContactListRepository,
  MemoryImportRepository,
  MemoryImportFiles,
  MemoryQuickBooksConnectionStore,
  MemoryAccountingMappings,
  MemoryAccountingSyncLog,
  MemoryBillingPorts,
  // QuickBooks off: billing announces changes to nobody (tests of the push provide the live layer).
  AccountingSyncOff,
  // Not configured: settings off, gateway and OAuth refuse (QuickBooks tests provide their own).
  QuickBooksOff
).pipe(Layer.provideMerge(MemoryStore.layer), Layer.merge(TestIds), Layer.merge(HealthyDatabase))

/**
 * The workflows, on the in-memory engine (effect/workflow's layerMemory) in
 * unit tests; adapters/jobs/workflows.ts registers them with the real engine.
 */
export const TestWorkflows = Layer.mergeAll(
  SendTextWorkflowLayer,
  WebhookWorkflowLayer,
  ImportWorkflowLayer,
  RevertImportWorkflowLayer,
  QuickBooksPullWorkflowLayer,
  PushWorkflowsLayer,
  SyncAllWorkflowLayer
)

/** Every use case, still needing its ports: provide {@link TestPorts}, or ports with a fault injected. */
export { UseCases } from "../use-cases.ts"
/** The application's use cases over {@link TestPorts}; time comes from Effect's Clock (TestClock in tests). */
export const TestApplication = TestWorkflows.pipe(Layer.provideMerge(UseCases), Layer.provideMerge(TestPorts))
