import { describe, expect, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import {
  CustomerService,
  CustomerServicePatch,
  CustomerServiceStatus,
  NewCustomerService
} from "../../../../domain/billing/customer-service.ts"

const PURCHASE_ID = "0190a0b0-0000-7000-8000-0000000000d1"
const CUSTOMER_ID = "0190a0b0-0000-7000-8000-0000000000b1"
const SERVICE_ID = "0190a0b0-0000-7000-8000-0000000000a1"

describe("a purchase's status", () => {
  it("is active, paused or cancelled, nothing else", () => {
    for (const status of ["active", "paused", "cancelled"]) {
      expect(Schema.decodeUnknownSync(CustomerServiceStatus)(status)).toBe(status)
      expect(Schema.decodeUnknownSync(CustomerServicePatch)({ status })).toStrictEqual({ status })
    }
    for (const status of ["", "ended", "Active"]) {
      expect(() => Schema.decodeUnknownSync(CustomerServiceStatus)(status)).toThrow()
    }
  })
})

describe("a purchase as the API shows it", () => {
  const purchase = {
    id: PURCHASE_ID, customerId: CUSTOMER_ID, serviceId: SERVICE_ID, quantity: 2.5, unitPriceCents: 1500,
    discount: { type: "percent", percent: 10 }, startDate: "2026-11-01", endDate: null, status: "paused",
    createdAt: DateTime.makeUnsafe("2026-11-01T08:00:00Z"), updatedAt: DateTime.makeUnsafe("2026-11-02T09:30:00Z")
  }

  it("decodes whole, and drops what it does not know", () => {
    expect(Schema.decodeUnknownSync(CustomerService)({ ...purchase, companyName: "Acme" })).toStrictEqual(purchase)
  })

  it("refuses a missing field, an unknown status or a field of the wrong type", () => {
    const { customerId: _customerId, ...orphan } = purchase
    expect(() => Schema.decodeUnknownSync(CustomerService)(orphan)).toThrow()
    expect(() => Schema.decodeUnknownSync(CustomerService)({ ...purchase, status: "ended" })).toThrow()
    expect(() => Schema.decodeUnknownSync(CustomerService)({ ...purchase, startDate: "2026-13-01" })).toThrow()
  })
})

describe("a new purchase", () => {
  it("documents that the price defaults to the catalogue's and is kept", () => {
    const document = Schema.toJsonSchemaDocument(NewCustomerService)
    const properties = (document.definitions["NewCustomerService"] as { properties: Record<string, { description?: string }> })
      .properties
    expect(properties["unitPriceCents"]?.description).toBe("Default: the catalogue price now; kept when the catalogue changes")
  })
})

describe("a purchase patch", () => {
  it("decodes the fields sent, and drops what it does not know", () => {
    const patch = { quantity: 3, unitPriceCents: 0, discount: { type: "none" }, startDate: "2026-12-01", endDate: null }
    expect(Schema.decodeUnknownSync(CustomerServicePatch)({ ...patch, customerId: CUSTOMER_ID })).toStrictEqual(patch)
  })

  it("refuses a field of the wrong kind", () => {
    expect(() => Schema.decodeUnknownSync(CustomerServicePatch)({ quantity: 0 })).toThrow()
    expect(() => Schema.decodeUnknownSync(CustomerServicePatch)({ unitPriceCents: -1 })).toThrow()
    expect(() => Schema.decodeUnknownSync(CustomerServicePatch)({ endDate: "tomorrow" })).toThrow()
    expect(() => Schema.decodeUnknownSync(CustomerServicePatch)({ status: "ended" })).toThrow()
  })
})
