import { memoryPorts } from "../../support/port-suites/memory-ports.ts"
import { webhookEventStoreSuite } from "../../support/port-suites/webhook-event-store.ts"

webhookEventStoreSuite("WebhookEventStore in memory", memoryPorts)
