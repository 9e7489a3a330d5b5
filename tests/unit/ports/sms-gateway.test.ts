import { MemorySmsGateway } from "../../../application/testing/memory-sms-gateway.ts"
import { smsGatewaySuite } from "../../support/port-suites/sms-gateway.ts"

// The in-memory stand-in the use-case tests run on, held to the same behaviour
// as the sandbox and the live adapter (tests/integration/ports/sms-gateway-postgres.test.ts).
smsGatewaySuite("SmsGateway in memory", MemorySmsGateway)
