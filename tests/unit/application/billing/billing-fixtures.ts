import { Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import { Catalog } from "../../../../application/billing/catalog.ts"
import { CustomerServices } from "../../../../application/billing/customer-services.ts"
import { Customers } from "../../../../application/billing/customers.ts"
import { Invoices } from "../../../../application/billing/invoices.ts"
import { NewService, ServicePatch } from "../../../../domain/billing/catalog-service.ts"
import { CustomerPatch, NewCustomer } from "../../../../domain/billing/customer.ts"
import { CustomerServicePatch, NewCustomerService } from "../../../../domain/billing/customer-service.ts"
import { NewInvoice } from "../../../../domain/billing/invoice.ts"
import { NewPayment } from "../../../../domain/billing/payment.ts"
import { NewQuote, QuotePatch } from "../../../../domain/billing/quote.ts"

// Inputs as the HTTP adapter would hand them over: decoded by the domain's schemas.
export const newCustomer = Schema.decodeUnknownSync(NewCustomer)
export const customerPatch = Schema.decodeUnknownSync(CustomerPatch)
export const newService = Schema.decodeUnknownSync(NewService)
export const servicePatch = Schema.decodeUnknownSync(ServicePatch)
export const newCustomerService = Schema.decodeUnknownSync(NewCustomerService)
export const customerServicePatch = Schema.decodeUnknownSync(CustomerServicePatch)
export const newQuote = Schema.decodeUnknownSync(NewQuote)
export const quotePatch = Schema.decodeUnknownSync(QuotePatch)
export const newInvoice = Schema.decodeUnknownSync(NewInvoice)
export const newPayment = Schema.decodeUnknownSync(NewPayment)

export const page = { limit: 50, after: undefined }

/** Sets the TestClock to an ISO instant. */
export const setNow = (iso: string) => TestClock.setTime(Date.parse(iso))

export const DAY_MS = 86_400_000

/** A customer with default terms (30 days) unless given. */
export const aCustomer = (companyName: string, extra: Record<string, unknown> = {}) =>
  Customers.use((customers) => customers.create(newCustomer({ companyName, ...extra })))

/** A catalogue service; one-off, taxable, $100 unless given. */
export const aService = (name: string, extra: Record<string, unknown> = {}) =>
  Catalog.use((catalog) => catalog.create(newService({ name, unit: "each", unitPriceCents: 10_000, ...extra })))

/** A customer's purchase of a service. */
export const aPurchase = (customerId: string, serviceId: string, extra: Record<string, unknown> = {}) =>
  CustomerServices.use((purchases) => purchases.create(newCustomerService({ customerId, serviceId, ...extra })))

/** A draft invoice of free-text lines at the given prices (untaxed). */
export const aDraftInvoice = (customerId: string, prices: ReadonlyArray<number>) =>
  Invoices.use((invoices) =>
    invoices.create(newInvoice({
      customerId,
      lines: prices.map((unitPriceCents, index) => ({ description: `Work ${index + 1}`, unitPriceCents }))
    })))

/** An issued invoice of free-text lines at the given prices (untaxed). */
export const anIssuedInvoice = (customerId: string, prices: ReadonlyArray<number>, issueDate?: string) =>
  Effect.gen(function*() {
    const draft = yield* aDraftInvoice(customerId, prices)
    return yield* (yield* Invoices).issue(draft.id, issueDate)
  })
