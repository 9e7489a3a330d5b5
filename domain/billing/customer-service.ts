import { Schema } from "effect"
import { IdInput, Uuid } from "../uuid.ts"
import { CatalogService, ServiceId } from "./catalog-service.ts"
import { CustomerId } from "./customer.ts"
import { Discount } from "./discount.ts"
import { LocalDate } from "./local-date.ts"
import { Cents } from "./money.ts"
import { Quantity } from "./quantity.ts"

// Stryker disable next-line StringLiteral: brand names exist only in the type system (no error message or JSON Schema shows them)
export const CustomerServiceId = Uuid.pipe(Schema.brand("CustomerServiceId"))
export type CustomerServiceId = typeof CustomerServiceId.Type

export const CustomerServiceStatus = Schema.Literals(["active", "paused", "cancelled"])
export type CustomerServiceStatus = typeof CustomerServiceStatus.Type

/** A customer's purchase of a service, at the price agreed when bought. */
export const CustomerService = Schema.Struct({
  id: CustomerServiceId,
  customerId: CustomerId,
  serviceId: ServiceId,
  quantity: Schema.Number,
  unitPriceCents: Schema.Number,
  discount: Discount,
  startDate: LocalDate,
  endDate: Schema.NullOr(LocalDate),
  status: CustomerServiceStatus,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}).annotate({ identifier: "CustomerService" })
export type CustomerService = typeof CustomerService.Type

/** A purchase with the names a client shows next to it, and the service's schedule. */
export interface CustomerServiceDetails extends CustomerService {
  readonly companyName: string
  readonly serviceName: string
  readonly recurring: CatalogService["recurring"]
}

export const NewCustomerService = Schema.Struct({
  customerId: IdInput(CustomerId),
  serviceId: IdInput(ServiceId),
  quantity: Schema.optionalKey(Quantity.annotate({ description: "Default 1" })),
  unitPriceCents: Schema.optionalKey(Cents.annotate({ description: "Default: the catalogue price now; kept when the catalogue changes" })),
  discount: Schema.optionalKey(Discount),
  startDate: Schema.optionalKey(LocalDate.annotate({ description: "Default today" })),
  endDate: Schema.optionalKey(Schema.NullOr(LocalDate)),
  status: Schema.optionalKey(CustomerServiceStatus)
}).annotate({ identifier: "NewCustomerService" })
export type NewCustomerService = typeof NewCustomerService.Type

/** A JSON merge patch; the customer and the service are fixed at purchase. */
export const CustomerServicePatch = Schema.Struct({
  quantity: Schema.optionalKey(Quantity),
  unitPriceCents: Schema.optionalKey(Cents),
  discount: Schema.optionalKey(Discount),
  startDate: Schema.optionalKey(LocalDate),
  endDate: Schema.optionalKey(Schema.NullOr(LocalDate)),
  status: Schema.optionalKey(CustomerServiceStatus)
}).annotate({ identifier: "CustomerServicePatch" })
export type CustomerServicePatch = typeof CustomerServicePatch.Type
