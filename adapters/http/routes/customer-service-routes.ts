import { Effect, Schema } from "effect"
import { CustomerServices } from "../../../application/billing/customer-services.ts"
import { ServiceId } from "../../../domain/billing/catalog-service.ts"
import { CustomerId } from "../../../domain/billing/customer.ts"
import {
  CustomerServiceId,
  CustomerServicePatch,
  CustomerServiceStatus,
  NewCustomerService
} from "../../../domain/billing/customer-service.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { CustomerServiceJson, customerServiceJson } from "../billing-json.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Customer services"]
const ById = Schema.Struct({ id: IdInput(CustomerServiceId) })
const nextCursor = encodeCursor(CustomerServiceId)

const ListQuery = pageQuery(CustomerServiceId, {
  customerId: Schema.optionalKey(IdInput(CustomerId)),
  serviceId: Schema.optionalKey(IdInput(ServiceId)),
  status: Schema.optionalKey(CustomerServiceStatus)
})

export const customerServiceRoutes = [
  route({
    method: "post",
    path: "/api/customer-services",
    operationId: "createCustomerService",
    summary: "Sell a service to a customer",
    description: "`unitPriceCents` defaults to the catalogue price now and keeps that value when the catalogue changes. " +
      "An unknown or archived customer, or an unknown or inactive service, is a 422 naming the field.",
    tags,
    access: "staff",
    body: NewCustomerService,
    success: { status: 201, schema: CustomerServiceJson, description: "The purchase", location: "/api/customer-services/{id}" },
    problems: [],
    handler: ({ body }) => Effect.map(CustomerServices.use((purchases) => purchases.create(body)), customerServiceJson)
  }),
  route({
    method: "get",
    path: "/api/customer-services",
    operationId: "listCustomerServices",
    summary: "List purchases",
    description: "Filter by customer, service and status; in creation order.",
    tags,
    access: "staff",
    query: ListQuery,
    success: { status: 200, schema: PageOf(CustomerServiceJson, "CustomerServicePage"), description: "A page of purchases" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* CustomerServices).list(
          { customerId: query.customerId, serviceId: query.serviceId, status: query.status },
          pageRequest(query)
        )
        return { data: page.items.map(customerServiceJson), nextCursor: nextCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/customer-services/{id}",
    operationId: "getCustomerService",
    summary: "Get a purchase",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: CustomerServiceJson, description: "The purchase, with the customer's and service's names" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(CustomerServices.use((purchases) => purchases.get(params.id)), customerServiceJson)
  }),
  route({
    method: "patch",
    path: "/api/customer-services/{id}",
    operationId: "updateCustomerService",
    summary: "Change a purchase",
    description: "A JSON merge patch; pause or cancel with `status`.",
    tags,
    access: "staff",
    params: ById,
    body: CustomerServicePatch,
    success: { status: 200, schema: CustomerServiceJson, description: "The changed purchase" },
    problems: ["not-found"],
    handler: ({ body, params }) =>
      Effect.map(CustomerServices.use((purchases) => purchases.update(params.id, body)), customerServiceJson)
  }),
  route({
    method: "delete",
    path: "/api/customer-services/{id}",
    operationId: "deleteCustomerService",
    summary: "Delete a purchase",
    description: "Only one no invoice has billed; cancel the others (409).",
    tags,
    access: "staff",
    params: ById,
    success: { status: 204, description: "Deleted" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => CustomerServices.use((purchases) => purchases.remove(params.id))
  })
]
