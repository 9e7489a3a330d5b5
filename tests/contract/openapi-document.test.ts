import { Validator } from "@seriousme/openapi-schema-validator"
import { describe, expect, it } from "vitest"
import { API_INFO } from "../../adapters/http/app.ts"
import { openApiDocument } from "../../adapters/http/openapi.ts"
import { routes } from "../../adapters/http/routes/index.ts"

const document = openApiDocument(routes, API_INFO)

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(document))
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([])
    expect(validator.version).toBe("3.1")
  })

  it("documents every route with a unique operationId, auth and problem responses", () => {
    const operations = Object.values(document["paths"] as Record<string, Record<string, Record<string, unknown>>>)
      .flatMap((methods) => Object.values(methods))
    expect(operations).toHaveLength(routes.length)
    expect(new Set(operations.map((op) => op["operationId"])).size).toBe(routes.length)
    for (const operation of operations) {
      const responses = operation["responses"] as Record<string, { content?: Record<string, unknown> }>
      expect(responses["500"]?.content?.["application/problem+json"]).toBeDefined()
    }
  })

  it("refuses unknown fields in request bodies, as the decoder does", () => {
    const schemas = (document["components"] as { schemas: Record<string, { additionalProperties?: boolean }> }).schemas
    expect(schemas["NewContact"]?.additionalProperties).toBe(false)
    expect(schemas["ContactPatch"]?.additionalProperties).toBe(false)
  })
})
