import { Effect, Schema } from "effect"
import { Catalog } from "../../../application/billing/catalog.ts"
import { NewService, ServiceId, ServicePatch } from "../../../domain/billing/catalog-service.ts"
import { noNul } from "../../../domain/text.ts"
import { IdInput } from "../../../domain/uuid.ts"
import { ServiceJson, serviceJson, ServiceRemovalJson, serviceRemovalJson } from "../billing-json.ts"
import { encodeCursor, PageOf } from "../cursor.ts"
import { route } from "../route.ts"
import { BooleanQuery, pageQuery, pageRequest } from "./page-query.ts"

const tags = ["Service catalogue"]
const ById = Schema.Struct({ id: IdInput(ServiceId) })
const nextCursor = encodeCursor(ServiceId)

const ListQuery = pageQuery(ServiceId, {
  q: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(200), noNul).annotate({ description: "Words in the name" })),
  active: Schema.optionalKey(BooleanQuery.annotate({ description: "Only active (true) or inactive (false) services; default both" }))
})

export const serviceRoutes = [
  route({
    method: "post",
    path: "/api/services",
    operationId: "createService",
    summary: "Add a service to the catalogue",
    description: "`name` is unique among active services (409). `recurring` services are billed by billing runs.",
    tags,
    access: "staff",
    body: NewService,
    success: { status: 201, schema: ServiceJson, description: "The new service", location: "/api/services/{id}" },
    problems: ["conflict"],
    handler: ({ body }) => Effect.map(Catalog.use((catalog) => catalog.create(body)), serviceJson)
  }),
  route({
    method: "get",
    path: "/api/services",
    operationId: "listServices",
    summary: "List the catalogue",
    tags,
    access: "staff",
    query: ListQuery,
    success: { status: 200, schema: PageOf(ServiceJson, "ServicePage"), description: "A page of services" },
    problems: [],
    handler: ({ query }) =>
      Effect.gen(function*() {
        const active = query.active === undefined ? undefined : query.active === "true"
        const page = yield* (yield* Catalog).list({ q: query.q, active }, pageRequest(query))
        return { data: page.items.map(serviceJson), nextCursor: nextCursor(page.next) }
      })
  }),
  route({
    method: "get",
    path: "/api/services/{id}",
    operationId: "getService",
    summary: "Get a service",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: ServiceJson, description: "The service" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Catalog.use((catalog) => catalog.get(params.id)), serviceJson)
  }),
  route({
    method: "patch",
    path: "/api/services/{id}",
    operationId: "updateService",
    summary: "Change a service",
    description: "A JSON merge patch. A new price applies to new purchases and lines; existing purchases keep theirs.",
    tags,
    access: "staff",
    params: ById,
    body: ServicePatch,
    success: { status: 200, schema: ServiceJson, description: "The changed service" },
    problems: ["not-found", "conflict"],
    handler: ({ body, params }) => Effect.map(Catalog.use((catalog) => catalog.update(params.id, body)), serviceJson)
  }),
  route({
    method: "delete",
    path: "/api/services/{id}",
    operationId: "deleteService",
    summary: "Delete or deactivate a service",
    description: "An unused service is deleted; one that purchases, quotes or invoices name is deactivated instead, never deleted.",
    tags,
    access: "staff",
    params: ById,
    success: { status: 200, schema: ServiceRemovalJson, description: "What happened, and the service" },
    problems: ["not-found"],
    handler: ({ params }) => Effect.map(Catalog.use((catalog) => catalog.remove(params.id)), serviceRemovalJson)
  })
]
