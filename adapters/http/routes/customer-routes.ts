import { Effect, Schema } from "effect"
import { Customers } from "../../../application/billing/customers.ts"
import { CustomerId, CustomerPatch, CustomerStatus, NewCustomer } from "../../../domain/billing/customer.ts"
import { ContactId } from "../../../domain/contact.ts"
import { EmailInput } from "../../../domain/email.ts"
import { PhoneInput } from "../../../domain/phone.ts"
import { noNul } from "../../../domain/text.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { CustomerJson, customerJson } from "../billing-json.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { route } from "../route.ts"
import { pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Customers"]
const ById = Schema.Struct({ id: IdInput(CustomerId) })
const nextCursor = encodeCursor(CustomerId)

const ListQuery = pageQuery(CustomerId, {
  q: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(200), noNul).annotate({ description: "Words to find in names, email and phone" })),
  status: Schema.optionalKey(Schema.Union([CustomerStatus, Schema.Literal("all")]).annotate({ description: "Default active" })),
  phone: Schema.optionalKey(PhoneInput),
  email: Schema.optionalKey(EmailInput),
  primaryContactId: Schema.optionalKey(IdInput(ContactId))
})

export const customerRoutes = [
  route({
    method: "post",
    path: "/api/customers",
    operationId: "createCustomer",
    summary: "Create a customer",
    description: "A billed party. `paymentTermsDays` (default 30) sets invoices' due dates; `primaryContactId` must " +
      "name an existing, unmerged contact (merging contacts later moves the reference).",
    tags,
    access: "staff",
    body: NewCustomer,
    success: { status: 201, schema: CustomerJson, description: "The new customer", location: "/api/customers/{id}" },
    problems: [],
    handler: ({ body }) => Effect.map(Customers.use((customers) => customers.create(body)), customerJson)
  }),
  route({
    method: "get",
    path: "/api/customers",
    operationId: "listCustomers",
    summary: "Search and list customers",
    description: "In creation order. `phone` and `email` are normalised before matching, so `(415) 555-2671` finds " +
      "+14155552671 and `Office@Example.com` finds office@example.com; every filter given must match.",
    tags,
    access: "staff",
    query: ListQuery,
    success: { status: 200, schema: PageOf(CustomerJson, "CustomerPage"), description: "A page of customers" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const page = yield* (yield* Customers).list({
          q: query.q,
          status: query.status,
          phone: query.phone?.e164,
          email: query.email,
          primaryContactId: query.primaryContactId
        }, pageRequest(query))
        return { data: page.items.map(customerJson), nextCursor: nextCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/customers/{id}",
    operationId: "getCustomer",
    summary: "Get a customer",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: CustomerJson, description: "The customer" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Customers.use((customers) => customers.get(params.id)), customerJson)
  }),
  route({
    method: "patch",
    path: "/api/customers/{id}",
    operationId: "updateCustomer",
    summary: "Change, archive or restore a customer",
    description: "A JSON merge patch (RFC 7396). `status: archived` is refused (409) while an issued invoice is unpaid.",
    tags,
    access: "staff",
    params: ById,
    body: CustomerPatch,
    success: { status: 200, schema: CustomerJson, description: "The changed customer" },
    problems: ["not-found", "conflict"],
    handler: ({ body, params }) => Effect.map(Customers.use((customers) => customers.update(params.id, body)), customerJson)
  }),
  route({
    method: "delete",
    path: "/api/customers/{id}",
    operationId: "deleteCustomer",
    summary: "Delete a customer",
    description: "Only a customer without purchases, quotes or invoices; archive the others (409).",
    tags,
    access: "staff",
    params: ById,
    success: { status: 204, description: "Deleted" },
    problems: ["not-found", "conflict"],
    handler: ({ params }) => Customers.use((customers) => customers.remove(params.id))
  })
]
