import { Effect, Schema } from "effect"
import { API_INFO } from "../api-info.ts"
import { route } from "../route.ts"

const ApiIndex = Schema.Struct({
  name: Schema.String,
  version: Schema.String,
  links: Schema.Struct({
    docs: Schema.String.annotate({ description: "The API reference, readable offline" }),
    openapi: Schema.String.annotate({ description: "This OpenAPI document" }),
    health: Schema.String
  })
}).annotate({ identifier: "ApiIndex" })

const index: typeof ApiIndex.Type = {
  name: API_INFO.title,
  version: API_INFO.version,
  links: { docs: "/docs", openapi: "/openapi.json", health: "/health" }
}

/** `GET /`: what a new user (or a browser) meets first is a map of the API, not a 404. */
export const rootRoutes = [
  route({
    method: "get",
    path: "/",
    operationId: "apiIndex",
    summary: "What this API is and where its docs are",
    tags: ["Operations"],
    access: "public",
    success: { status: 200, schema: ApiIndex, description: "Name, version and links" },
    problems: [],
    handler: () => Effect.succeed(index)
  })
]
