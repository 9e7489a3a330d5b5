import { Layer } from "effect"
import { Pricing } from "../../domain/billing/pricing-service.ts"
import { BillingRuns } from "./billing-runs.ts"
import { Catalog } from "./catalog.ts"
import { CustomerServices } from "./customer-services.ts"
import { Customers } from "./customers.ts"
import { Invoices } from "./invoices.ts"
import { Quotes } from "./quotes.ts"
import { Reports } from "./reports.ts"
import { TaxRates } from "./tax-rates.ts"

/**
 * Every billing use case, with the pricing service they share. Needs the
 * billing ports, the TaxRateTable, Transactor, Ids and the ContactRepository.
 */
export const BillingUseCases = Layer.mergeAll(
  Customers.layer,
  Catalog.layer,
  CustomerServices.layer,
  Quotes.layer,
  Invoices.layer,
  BillingRuns.layer,
  Reports.layer,
  TaxRates.layer
).pipe(Layer.provideMerge(Pricing.layer))
