import { Effect, Layer } from "effect"
import { DatabaseHealth } from "../ports/database-health.ts"
import { MemoryBillingRunRepository } from "./memory-billing-run-repository.ts"
import { MemoryContactMergeRepository } from "./memory-contact-merge-repository.ts"
import { MemoryContactReferences } from "./memory-contact-references.ts"
import { MemoryContactRepository } from "./memory-contact-repository.ts"
import { MemoryCustomerRepository } from "./memory-customer-repository.ts"
import { MemoryCustomerServiceRepository } from "./memory-customer-service-repository.ts"
import { MemoryIdempotencyStore } from "./memory-idempotency-store.ts"
import { MemoryInvoiceRepository } from "./memory-invoice-repository.ts"
import { MemoryQuoteRepository } from "./memory-quote-repository.ts"
import { MemoryReportRepository } from "./memory-report-repository.ts"
import { MemoryServiceRepository } from "./memory-service-repository.ts"
import { MemoryStore } from "./memory-store.ts"
import { MemoryTaxRateRepository, MemoryTaxRateTable } from "./memory-tax-rates.ts"
import { MemoryTokenRepository } from "./memory-token-repository.ts"
import { MemoryTransactor } from "./memory-transactor.ts"
import { UseCases } from "../use-cases.ts"
import { TestIds } from "./test-ids.ts"

export * from "./memory-store.ts"
export { testUuid, TestIds } from "./test-ids.ts"

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
  MemoryTransactor,
  MemoryBillingPorts
).pipe(Layer.provideMerge(MemoryStore.layer), Layer.merge(TestIds), Layer.merge(HealthyDatabase))

/** Every use case, still needing its ports: provide {@link TestPorts}, or ports with a fault injected. */
export { UseCases } from "../use-cases.ts"
/** The application's use cases over {@link TestPorts}; time comes from Effect's Clock (TestClock in tests). */
export const TestApplication = UseCases.pipe(Layer.provideMerge(TestPorts))
