import { idempotencyStoreSuite } from "../../support/port-suites/idempotency-store.ts"
import { memoryPorts } from "../../support/port-suites/memory-ports.ts"

idempotencyStoreSuite("IdempotencyStore in memory", memoryPorts)
