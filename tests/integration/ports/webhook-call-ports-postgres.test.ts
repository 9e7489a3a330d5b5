import { callRepositorySuite } from "../../support/port-suites/call-repository.ts"
import { sqlPorts } from "../../support/port-suites/sql-ports.ts"
import { webhookEventStoreSuite } from "../../support/port-suites/webhook-event-store.ts"

// The webhook and call suites the in-memory layers pass (tests/unit/ports), on PostgreSQL.
const ports = sqlPorts()

webhookEventStoreSuite("WebhookEventStore on PostgreSQL", ports)
callRepositorySuite("CallRepository on PostgreSQL", ports)
