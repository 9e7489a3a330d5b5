import { describe, expect, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import { CatalogService, NewService, ServicePatch, Unit } from "../../../../domain/billing/catalog-service.ts"

const SERVICE_ID = "0190a0b0-0000-7000-8000-0000000000a1"
const UNIT_MESSAGE = "Expected a lower-case unit name such as each, hour, linear_foot"
const decode = <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) => (input: unknown) =>
  Schema.decodeUnknownSync(schema)(input)

describe("a service's unit", () => {
  it("accepts lower-case names with digits and underscores, up to 32 characters", () => {
    for (const unit of ["each", "hour", "linear_foot", "m2", "a", "a".repeat(32)]) {
      expect(decode(Unit)(unit)).toBe(unit)
    }
  })

  it("refuses anything else, saying what a unit looks like", () => {
    for (const unit of ["", "Hour", "2hours", "_each", "a".repeat(33), "linear foot", " each", "each ", "Xeach", "each!", "per hour"]) {
      expect(() => decode(Unit)(unit), unit).toThrow(UNIT_MESSAGE)
    }
  })
})

describe("a catalogue service as the API shows it", () => {
  const createdAt = DateTime.makeUnsafe("2026-11-01T08:00:00Z")
  const updatedAt = DateTime.makeUnsafe("2026-11-02T09:30:00Z")
  const service = {
    id: SERVICE_ID, name: "Crack injection", description: null, unit: "linear_foot", unitPriceCents: 1500,
    taxable: true, recurring: "none", active: true, createdAt, updatedAt
  }

  it("decodes whole, and drops what it does not know", () => {
    expect(decode(CatalogService)({ ...service, internal: "secret" })).toStrictEqual(service)
  })

  it("refuses a service missing a field or with a field of the wrong type", () => {
    const { name: _name, ...nameless } = service
    expect(() => decode(CatalogService)(nameless)).toThrow()
    expect(() => decode(CatalogService)({ ...service, taxable: "yes" })).toThrow()
    expect(() => decode(CatalogService)({ ...service, recurring: "daily" })).toThrow()
  })
})

describe("a new service", () => {
  it("documents that recurring defaults to none", () => {
    const document = Schema.toJsonSchemaDocument(NewService)
    const properties = (document.definitions["NewService"] as { properties: Record<string, { description?: string }> }).properties
    expect(properties["recurring"]?.description).toBe("Default none")
  })
})

describe("a service patch", () => {
  it("decodes the fields sent, and drops what it does not know", () => {
    expect(decode(ServicePatch)({ name: "Epoxy injection", unit: "hour", recurring: "monthly", extra: 1 }))
      .toStrictEqual({ name: "Epoxy injection", unit: "hour", recurring: "monthly" })
  })

  it("refuses a field of the wrong kind", () => {
    expect(() => decode(ServicePatch)({ unit: "Linear Foot" })).toThrow(UNIT_MESSAGE)
    expect(() => decode(ServicePatch)({ unitPriceCents: -1 })).toThrow()
    expect(() => decode(ServicePatch)({ active: "no" })).toThrow()
    expect(() => decode(ServicePatch)({ name: "" })).toThrow()
  })
})
