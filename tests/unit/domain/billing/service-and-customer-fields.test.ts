import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { applyServicePatch, NewService, newServiceFields, ServicePatch } from "../../../../domain/billing/catalog-service.ts"
import { applyCustomerPatch, CustomerPatch, NewCustomer, newCustomerFields } from "../../../../domain/billing/customer.ts"

const CONTACT_ID = "0190a0b0-0000-7000-8000-0000000000c1"

describe("catalogue services", () => {
  const newService = (input: object) => newServiceFields(Schema.decodeUnknownSync(NewService)(input))
  // Built inside each test, so what is measured is the code under test at that moment.
  const crackInjection = () => newService({ name: "Crack injection", unit: "linear_foot", unitPriceCents: 1500 })

  it("defaults a new service to taxable, not recurring, active and without description", () => {
    expect(crackInjection()).toStrictEqual({
      name: "Crack injection", description: null, unit: "linear_foot", unitPriceCents: 1500,
      taxable: true, recurring: "none", active: true
    })
  })

  it("keeps what a new service says, false included", () => {
    expect(newService({
      name: "Inspection", description: "Yearly", unit: "each", unitPriceCents: 0, taxable: false, recurring: "yearly", active: false
    })).toStrictEqual({
      name: "Inspection", description: "Yearly", unit: "each", unitPriceCents: 0, taxable: false, recurring: "yearly", active: false
    })
  })

  it("patches only the fields sent, and clears the description with null", () => {
    const service = crackInjection()
    const patch = (input: object) => applyServicePatch(service, Schema.decodeUnknownSync(ServicePatch)(input))
    expect(patch({})).toStrictEqual(service)
    expect(patch({ name: "Epoxy injection", unit: "hour", unitPriceCents: 0, taxable: false, recurring: "monthly", active: false }))
      .toStrictEqual({ ...service, name: "Epoxy injection", unit: "hour", unitPriceCents: 0, taxable: false, recurring: "monthly", active: false })
    const described = patch({ description: "Per foot of crack" })
    expect(described.description).toBe("Per foot of crack")
    expect(applyServicePatch(described, Schema.decodeUnknownSync(ServicePatch)({}))).toStrictEqual(described)
    expect(applyServicePatch(described, Schema.decodeUnknownSync(ServicePatch)({ description: null })).description).toBeNull()
  })
})

describe("customers", () => {
  const newCustomer = (input: object) => newCustomerFields(Schema.decodeUnknownSync(NewCustomer)(input))
  const acme = () => newCustomer({ companyName: "Acme Foundations" })

  it("defaults a new customer to 30-day terms, taxed, with nothing else set", () => {
    expect(acme()).toStrictEqual({
      companyName: "Acme Foundations", legalBusinessName: null, email: null, phone: null, billingAddress: null,
      primaryContactId: null, taxExempt: false, paymentTermsDays: 30
    })
  })

  it("keeps a customer's phone as E.164 and refuses an extension on it", () => {
    expect(newCustomer({ companyName: "Acme", phone: "(415) 555-2671" }).phone).toBe("+14155552671")
    expect(() => newCustomer({ companyName: "Acme", phone: "(415) 555-2671 ext 12" })).toThrow(
      "Customers keep no extension; put it on the contact"
    )
  })

  it("patches only the fields sent; null clears", () => {
    const customer = acme()
    const patch = (current: typeof customer, input: object) => applyCustomerPatch(current, Schema.decodeUnknownSync(CustomerPatch)(input))
    const full = patch(customer, {
      companyName: "Acme Ltd", legalBusinessName: "Acme Foundations LLC", email: "AP@Acme.example", phone: "212 736 5000",
      billingAddress: { street: "1 Main St" }, primaryContactId: CONTACT_ID, taxExempt: true, paymentTermsDays: 0
    })
    expect(full).toStrictEqual({
      companyName: "Acme Ltd", legalBusinessName: "Acme Foundations LLC", email: "ap@acme.example", phone: "+12127365000",
      billingAddress: { street: "1 Main St", city: null, state: null, postalCode: null },
      primaryContactId: CONTACT_ID, taxExempt: true, paymentTermsDays: 0
    })
    expect(patch(full, {})).toStrictEqual(full)
    expect(patch(full, { legalBusinessName: null, email: null, phone: null, billingAddress: null, primaryContactId: null }))
      .toStrictEqual({ ...full, legalBusinessName: null, email: null, phone: null, billingAddress: null, primaryContactId: null })
  })
})
