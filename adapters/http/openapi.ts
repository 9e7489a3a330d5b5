import { JsonSchema, type Schema, type SchemaAST, SchemaRepresentation } from "effect"
import { Problem, PROBLEM_KINDS, type ProblemKind } from "./problem.ts"
import { acceptsEmptyBody } from "./request-input.ts"
import type { Route } from "./route.ts"

export interface OpenApiInfo {
  readonly title: string
  readonly version: string
  readonly description: string
}

type JsonObject = { [key: string]: unknown }

/** Kinds of problem any route of this shape can answer with, besides its own. */
const implicitProblems = (route: Route): ReadonlyArray<ProblemKind> => {
  const d = route.doc
  const kinds: Array<ProblemKind> = [...d.problems]
  if (d.access !== "public") kinds.push("unauthenticated")
  if (d.access === "admin") kinds.push("forbidden")
  if (d.params !== undefined) kinds.push("not-found")
  // Unknown query parameters are refused on every route.
  kinds.push("validation")
  if (d.body !== undefined) kinds.push("malformed-request", "unsupported-media-type", "payload-too-large")
  if (d.method === "post" && d.access !== "public") {
    kinds.push("malformed-request", "idempotency-key-reused", "idempotency-key-in-use")
  }
  // Every authenticated request reads the database (at least to check its token).
  if (d.access !== "public") kinds.push("unavailable")
  kinds.push("internal")
  return [...new Set(kinds)]
}

const problemResponses = (kinds: ReadonlyArray<ProblemKind>): JsonObject => {
  const byStatus = new Map<number, Array<ProblemKind>>()
  for (const kind of kinds) {
    const status = PROBLEM_KINDS[kind].status
    byStatus.set(status, [...(byStatus.get(status) ?? []), kind])
  }
  return Object.fromEntries(
    [...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, list]) => [String(status), {
      description: list.map((kind) => `${PROBLEM_KINDS[kind].title} (/problems/${kind})`).join("; "),
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } }
    }])
  )
}

const REF = "#/components/schemas/"

const withoutDescription = (schema: unknown): string => {
  if (schema === null || typeof schema !== "object") return JSON.stringify(schema)
  const { description: _, ...rest } = schema as JsonObject
  return JSON.stringify(rest)
}

/**
 * Tidies the component names Effect generates. Effect names the JSON side
 * of a Schema class `<Name>Encoded`; the API's clients only ever see that
 * side, so the document calls it `<Name>`. A Schema re-annotated where it is
 * used (`ContactJson.annotate({ description })`) comes out as a copy named
 * `Contact_1`; such a copy becomes a reference to `Contact` carrying its
 * description, so every component keeps one meaningful name.
 */
const tidyComponents = (generated: Record<string, unknown>) => {
  const renames = new Map<string, string>()
  for (const name of Object.keys(generated)) {
    const short = name.replace(/Encoded$/, "")
    if (short !== name && !(short in generated)) renames.set(name, short)
  }
  const named = (name: string) => renames.get(name) ?? name
  const copies = new Map<string, JsonObject>()
  for (const [name, schema] of Object.entries(generated)) {
    const original = /^(.+)_\d+$/.exec(name)?.[1]
    if (original === undefined || !(original in generated)) continue
    if (withoutDescription(schema) !== withoutDescription(generated[original])) continue
    const description = (schema as JsonObject)["description"]
    copies.set(name, { $ref: `${REF}${named(original)}`, ...(typeof description === "string" ? { description } : {}) })
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite)
    if (value !== null && typeof value === "object") {
      const ref = (value as JsonObject)["$ref"]
      if (typeof ref === "string" && ref.startsWith(REF)) {
        const name = ref.slice(REF.length)
        const copy = copies.get(name)
        if (copy !== undefined && Object.keys(value).length === 1) return copy
        return { ...value, $ref: `${REF}${named(name)}` }
      }
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rewrite(inner)]))
    }
    return value
  }
  return {
    rewrite,
    definitions: Object.fromEntries(
      Object.entries(generated).filter(([name]) => !copies.has(name)).map(([name, schema]) => [named(name), rewrite(schema)])
    )
  }
}

/**
 * The OpenAPI 3.1 document, generated from the very Schemas the routes
 * decode requests and encode responses with. All of them are converted in
 * one pass, so a Schema used by several routes becomes one component.
 */
export const openApiDocument = (routes: ReadonlyArray<Route>, info: OpenApiInfo): JsonObject => {
  const asts: Array<SchemaAST.AST> = [Problem.ast]
  const apply: Array<(schema: JsonObject) => void> = [() => {}]
  const use = (schema: Schema.Top, f: (json: JsonObject) => void) => {
    asts.push(schema.ast)
    apply.push(f)
  }
  const paths: Record<string, Record<string, JsonObject>> = {}

  for (const route of routes) {
    const d = route.doc
    const parameters: Array<JsonObject> = []
    const responses: JsonObject = {}
    const operation: JsonObject = {
      operationId: d.operationId,
      summary: d.summary,
      ...(d.description === undefined ? {} : { description: d.description }),
      tags: d.tags,
      security: d.access === "public" ? [] : [{ bearerAuth: [] }],
      parameters,
      responses
    }
    const addParameters = (location: "path" | "query") => (json: JsonObject) => {
      const properties = (json["properties"] ?? {}) as Record<string, JsonObject>
      const required = new Set((json["required"] ?? []) as Array<string>)
      for (const [name, schema] of Object.entries(properties)) {
        const { description, ...rest } = schema
        parameters.push({
          name,
          in: location,
          required: location === "path" || required.has(name),
          ...(typeof description === "string" ? { description } : {}),
          schema: rest
        })
      }
    }
    if (d.params !== undefined) use(d.params, addParameters("path"))
    if (d.query !== undefined) use(d.query, addParameters("query"))
    for (const header of d.headers ?? []) {
      parameters.push({ name: header.name, in: "header", required: header.required, description: header.description, schema: { type: "string" } })
    }
    if (d.method === "post" && d.access !== "public") {
      parameters.push({
        name: "Idempotency-Key",
        in: "header",
        required: false,
        description: "Makes a retry safe: the same key and body within 24 hours returns the first response unchanged.",
        schema: { type: "string", minLength: 1, maxLength: 255 }
      })
    }
    const body = d.body
    if (body !== undefined) {
      use(body, (schema) => {
        operation["requestBody"] = { required: !acceptsEmptyBody(body), content: { "application/json": { schema } } }
      })
    }
    const success = d.success
    if (success.status === 204) {
      responses["204"] = { description: success.description }
    } else {
      use(success.schema, (schema) => {
        responses[String(success.status)] = {
          description: success.description,
          ...(success.location === undefined
            ? {}
            : { headers: { Location: { description: "URL of the created resource", schema: { type: "string" } } } }),
          content: { [success.contentType ?? "application/json"]: { schema } }
        }
      })
    }
    Object.assign(responses, problemResponses(implicitProblems(route)))
    paths[d.path] = { ...paths[d.path], [d.method]: operation }
  }

  const [first, ...rest] = asts
  const multi = JsonSchema.toMultiDocumentOpenApi3_1(
    SchemaRepresentation.toJsonSchemaMultiDocument(
      SchemaRepresentation.toRepresentations([first!, ...rest]),
      { onExcessProperty: "error" }
    )
  )
  const { definitions, rewrite } = tidyComponents(multi.definitions as Record<string, unknown>)
  multi.schemas.forEach((schema, index) => apply[index]?.(rewrite(schema) as JsonObject))

  return {
    openapi: "3.1.0",
    info,
    servers: [{ url: "/" }],
    tags: [
      { name: "Contacts", description: "People, their duplicates, merges and undo" },
      { name: "Tokens", description: "API tokens (admin)" },
      { name: "Operations", description: "Health and readiness" },
      { name: "Webhooks", description: "Events from OpenPhone, signed with the webhook's key" }
    ],
    paths,
    components: {
      schemas: definitions,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token: `Authorization: Bearer crm_...`" }
      }
    }
  }
}
