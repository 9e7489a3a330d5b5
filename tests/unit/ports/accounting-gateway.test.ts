import { Effect, Layer } from "effect"
import { MEMORY_QBO_COMPANY, MemoryAccountingGateway, MemoryAccountingGatewayControl } from "../../../application/testing/index.ts"
import { accountingGatewaySuite, QuickBooksSide } from "../../support/port-suites/accounting-gateway.ts"

// The in-memory QuickBooks the accounting tests run on, held to the same behaviour
// as the live adapter over the fake server (tests/integration/ports/accounting-gateway-fake.test.ts).
const side = Layer.effect(
  QuickBooksSide,
  Effect.map(MemoryAccountingGatewayControl, (books) => QuickBooksSide.of({ addVendor: books.addName, remove: books.remove }))
)

accountingGatewaySuite("AccountingGateway in memory", side.pipe(Layer.provideMerge(MemoryAccountingGateway)), {
  companyName: MEMORY_QBO_COMPANY
})
