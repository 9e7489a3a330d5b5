import { Effect, Layer } from "effect"
import { ApiTokens } from "../auth/api-tokens.ts"
import { ContactMerges } from "../contacts/contact-merges.ts"
import { Contacts } from "../contacts/contacts.ts"
import { DatabaseHealth } from "../ports/database-health.ts"
import { MemoryContactMergeRepository } from "./memory-contact-merge-repository.ts"
import { MemoryContactReferences } from "./memory-contact-references.ts"
import { MemoryContactRepository } from "./memory-contact-repository.ts"
import { MemoryIdempotencyStore } from "./memory-idempotency-store.ts"
import { MemoryStore } from "./memory-store.ts"
import { MemoryTokenRepository } from "./memory-token-repository.ts"
import { MemoryTransactor } from "./memory-transactor.ts"
import { TestIds } from "./test-ids.ts"

export * from "./memory-store.ts"
export { testUuid, TestIds } from "./test-ids.ts"

/** A database that is always up. */
export const HealthyDatabase = Layer.succeed(DatabaseHealth, DatabaseHealth.of({ ping: Effect.void }))

/** Every port, in memory, plus fixed ids; the MemoryStore stays reachable for assertions. */
export const TestPorts = Layer.mergeAll(
  MemoryContactRepository,
  MemoryContactMergeRepository,
  MemoryContactReferences,
  MemoryTokenRepository,
  MemoryIdempotencyStore,
  MemoryTransactor
).pipe(Layer.provideMerge(MemoryStore.layer), Layer.merge(TestIds), Layer.merge(HealthyDatabase))

/** The application's use cases over {@link TestPorts}; time comes from Effect's Clock (TestClock in tests). */
export const TestApplication = Layer.mergeAll(Contacts.layer, ContactMerges.layer, ApiTokens.layer).pipe(
  Layer.provideMerge(TestPorts)
)
