import { describe, expect, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import { Customer, CustomerFields, CustomerPatch, CustomerStatus } from "../../../../domain/billing/customer.ts"

const CUSTOMER_ID = "0190a0b0-0000-7000-8000-0000000000b1"
const CONTACT_ID = "0190a0b0-0000-7000-8000-0000000000c1"

const fields = {
  companyName: "Acme Foundations",
  legalBusinessName: "Acme Foundations LLC",
  email: "billing@acme.example",
  phone: "+14155552671",
  billingAddress: { street: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701" },
  primaryContactId: CONTACT_ID,
  taxExempt: false,
  paymentTermsDays: 30
}

describe("a customer's status", () => {
  it("is active or archived, nothing else", () => {
    expect(Schema.decodeUnknownSync(CustomerStatus)("active")).toBe("active")
    expect(Schema.decodeUnknownSync(CustomerStatus)("archived")).toBe("archived")
    for (const status of ["", "deleted", "Active"]) {
      expect(() => Schema.decodeUnknownSync(CustomerStatus)(status)).toThrow()
    }
  })

  it("archives or restores through a patch", () => {
    expect(Schema.decodeUnknownSync(CustomerPatch)({ status: "archived" })).toStrictEqual({ status: "archived" })
    expect(Schema.decodeUnknownSync(CustomerPatch)({ status: "active" })).toStrictEqual({ status: "active" })
    expect(() => Schema.decodeUnknownSync(CustomerPatch)({ status: "gone" })).toThrow()
  })
})

describe("a customer's editable fields", () => {
  it("decode whole, and drop what they do not know", () => {
    expect(Schema.decodeUnknownSync(CustomerFields)({ ...fields, extra: true })).toStrictEqual(fields)
  })

  it("refuse a missing field or one of the wrong type", () => {
    const { companyName: _companyName, ...nameless } = fields
    expect(() => Schema.decodeUnknownSync(CustomerFields)(nameless)).toThrow()
    expect(() => Schema.decodeUnknownSync(CustomerFields)({ ...fields, taxExempt: "no" })).toThrow()
    expect(() => Schema.decodeUnknownSync(CustomerFields)({ ...fields, paymentTermsDays: 1.5 })).toThrow()
  })
})

describe("a customer as the API shows it", () => {
  const customer = {
    id: CUSTOMER_ID, ...fields, status: "active",
    createdAt: DateTime.makeUnsafe("2026-11-01T08:00:00Z"), updatedAt: DateTime.makeUnsafe("2026-11-02T09:30:00Z")
  }

  it("decodes whole, and drops what it does not know", () => {
    expect(Schema.decodeUnknownSync(Customer)({ ...customer, internal: 1 })).toStrictEqual(customer)
  })

  it("refuses a missing field, an unknown status or a field of the wrong type", () => {
    const { companyName: _companyName, ...nameless } = customer
    expect(() => Schema.decodeUnknownSync(Customer)(nameless)).toThrow()
    const { id: _id, ...idless } = customer
    expect(() => Schema.decodeUnknownSync(Customer)(idless)).toThrow()
    expect(() => Schema.decodeUnknownSync(Customer)({ ...customer, status: "deleted" })).toThrow()
    expect(() => Schema.decodeUnknownSync(Customer)({ ...customer, taxExempt: "no" })).toThrow()
  })
})
