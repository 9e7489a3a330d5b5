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

  it("names every component meaningfully, once: no generated _1, _2 suffixes", () => {
    const names = Object.keys((document["components"] as { schemas: Record<string, unknown> }).schemas)
    expect(names.filter((name) => /_\d+$/.test(name))).toEqual([])
  })

  it("marks a request body optional when every field in it is", () => {
    const paths = document["paths"] as Record<string, Record<string, { requestBody?: { required: boolean } }>>
    expect(paths["/api/invoices/{id}/issue"]?.["post"]?.requestBody?.required).toBe(false)
    expect(paths["/api/contacts"]?.["post"]?.requestBody?.required).toBe(true)
  })
  it("carries the field descriptions and examples the domain Schemas give", () => {
    type Property = { readonly description?: string; readonly examples?: ReadonlyArray<unknown>; readonly type?: unknown }
    const schemas = (document["components"] as { schemas: Record<string, { properties?: Record<string, Property>; anyOf?: ReadonlyArray<{ properties?: Record<string, Property> }> }> }).schemas
    const line = schemas["LineInput"]?.properties ?? {}
    expect(line["serviceId"]?.description).toMatch(/catalogue service/)
    expect(line["description"]?.description).toMatch(/Required without serviceId/)
    expect(line["quantity"]?.description).toBe("Default 1")
    const rate = schemas["TaxRateInput"]?.properties?.["ratePercent"]
    expect(rate?.description).toMatch(/percent/)
    expect(rate?.examples).toEqual([8.875])
    expect(rate?.type).toBe("number")
    const percent = schemas["Discount"]?.anyOf?.find((branch) => branch.properties?.["percent"] !== undefined)?.properties?.["percent"]
    expect(percent?.description).toMatch(/percentage/)
    expect(percent?.examples).toEqual([10, 12.5])
  })
})
