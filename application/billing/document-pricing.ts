import { Effect, Option } from "effect"
import type { CatalogService, ServiceId } from "../../domain/billing/catalog-service.ts"
import type { Customer, CustomerId } from "../../domain/billing/customer.ts"
import { type Discount, NO_DISCOUNT } from "../../domain/billing/discount.ts"
import type { DocumentLine, DocumentTotals, LineInput, LineTerms } from "../../domain/billing/document-line.ts"
import { Pricing } from "../../domain/billing/pricing-service.ts"
import { DEFAULT_TAX_CODE } from "../../domain/billing/tax-rate.ts"
import { CustomerRepository } from "../ports/customer-repository.ts"
import { ServiceRepository } from "../ports/service-repository.ts"
import { InvalidBillingInput } from "./billing-errors.ts"

export interface PricedLines extends DocumentTotals {
  readonly lines: ReadonlyArray<DocumentLine>
}

/** A line's terms from what the client wrote and the catalogue's defaults. */
const lineTerms = (
  input: LineInput,
  index: number,
  services: ReadonlyMap<string, CatalogService>
): Effect.Effect<LineTerms, InvalidBillingInput> => {
  const fail = (field: string, message: string) => Effect.fail(new InvalidBillingInput({ path: `lines.${index}.${field}`, message }))
  const service = input.serviceId === undefined ? undefined : services.get(input.serviceId)
  if (input.serviceId !== undefined && service === undefined) return fail("serviceId", `No service has id ${input.serviceId}`)
  if (service !== undefined && !service.active) return fail("serviceId", `Service ${service.id} is inactive and cannot be sold`)
  const description = input.description ?? service?.name
  if (description === undefined || description === null) return fail("description", "Required when the line names no service")
  const unitPriceCents = input.unitPriceCents ?? service?.unitPriceCents
  if (unitPriceCents === undefined) return fail("unitPriceCents", "Required when the line names no service")
  return Effect.succeed({
    serviceId: (service?.id ?? null) as ServiceId | null,
    description,
    quantity: input.quantity ?? 1,
    unitPriceCents,
    discount: input.discount ?? NO_DISCOUNT,
    taxCode: input.taxCode === undefined ? (service?.taxable === true ? DEFAULT_TAX_CODE : null) : input.taxCode
  })
}

/**
 * Prices a quote's or an invoice's lines for a customer: fills each line
 * from the catalogue, then lets the pricing service compute every amount.
 */
export const priceLines = Effect.fn("priceLines")(function*(
  inputs: ReadonlyArray<LineInput>,
  documentDiscount: Discount,
  customer: Customer
) {
  const services = yield* ServiceRepository
  const serviceIds = [...new Set(inputs.flatMap((line) => line.serviceId === undefined ? [] : [line.serviceId]))]
  const found = serviceIds.length === 0 ? [] : yield* services.findByIds(serviceIds)
  const byId = new Map(found.map((service) => [service.id as string, service]))
  const terms = yield* Effect.forEach(inputs, (input, index) => lineTerms(input, index, byId))
  return yield* pricedFromTerms(terms, documentDiscount, customer.taxExempt)
})

/** The terms of a priced line. */
export const lineTermsOf = (line: DocumentLine): LineTerms => ({
  serviceId: line.serviceId,
  description: line.description,
  quantity: line.quantity,
  unitPriceCents: line.unitPriceCents,
  discount: line.discount,
  taxCode: line.taxCode
})

/** Prices lines whose terms are settled (copied from another document). */
export const pricedFromTerms = Effect.fn("pricedFromTerms")(function*(
  terms: ReadonlyArray<LineTerms>,
  documentDiscount: Discount,
  taxExempt: boolean
) {
  const pricing = yield* Pricing
  const { priced, rates } = yield* pricing.price({ lines: terms, documentDiscount, taxExempt })
  const lines = terms.map((line, position): DocumentLine => ({
    ...line,
    ...priced.lines[position]!,
    position,
    taxRatePercent: rates[position] ?? null
  }))
  const result: PricedLines = {
    lines,
    subtotalCents: priced.subtotalCents,
    discountCents: priced.discountCents,
    taxCents: priced.taxCents,
    totalCents: priced.totalCents
  }
  return result
})

/** An active customer a document may be made out to; the path names the field for errors. */
export const billableCustomer = Effect.fn("billableCustomer")(function*(id: CustomerId) {
  const customers = yield* CustomerRepository
  const customer = yield* customers.findById(id)
  if (Option.isNone(customer)) return yield* new InvalidBillingInput({ path: "customerId", message: `No customer has id ${id}` })
  if (customer.value.status !== "active") {
    return yield* new InvalidBillingInput({ path: "customerId", message: `Customer ${id} is archived` })
  }
  return customer.value
})
