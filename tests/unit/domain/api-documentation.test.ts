import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { BillingPeriod, Recurring } from "../../../domain/billing/billing-period.ts"
import { CatalogService, NewService, ServicePatch, Unit } from "../../../domain/billing/catalog-service.ts"
import { CustomerService, CustomerServicePatch, NewCustomerService } from "../../../domain/billing/customer-service.ts"
import { Customer, CustomerPatch, NewCustomer, PaymentTermsDays } from "../../../domain/billing/customer.ts"
import { Discount, Percent } from "../../../domain/billing/discount.ts"
import { LineInput } from "../../../domain/billing/document-line.ts"
import { NewInvoice } from "../../../domain/billing/invoice.ts"
import { LocalDate } from "../../../domain/billing/local-date.ts"
import { Cents } from "../../../domain/billing/money.ts"
import { NewPayment } from "../../../domain/billing/payment.ts"
import { Quantity } from "../../../domain/billing/quantity.ts"
import { NewQuote, QuotePatch } from "../../../domain/billing/quote.ts"
import { RatePercent, TaxCode, TaxRate } from "../../../domain/billing/tax-rate.ts"
import { AddressInput, ContactPatch, NewContact } from "../../../domain/contact-input.ts"
import { FieldSource, FieldSources } from "../../../domain/contact-merge.ts"
import { Address, Contact } from "../../../domain/contact.ts"
import { EmailInput } from "../../../domain/email.ts"
import { PhoneInput } from "../../../domain/phone.ts"

// The API reference (/openapi.json, /docs) is generated from these Schemas:
// what they say is what a client reads.
// Read from the JSON Schema itself, never from the Schema's own annotations:
// an annotation the conversion drops (one on a transformation's decoded side,
// or on a check with no JSON Schema form) never reaches a client.
type Documented = { readonly description?: string; readonly examples?: ReadonlyArray<unknown> }
const documentation = (schema: Schema.Top): Documented => {
  const document = Schema.toJsonSchemaDocument(schema)
  const ref = (document.schema as { readonly $ref?: string }).$ref?.replace("#/$defs/", "")
  return (ref === undefined ? document.schema : document.definitions[ref]) as Documented
}

describe("the domain's input Schemas as documented", () => {
  it.each([
    ["PhoneInput", PhoneInput],
    ["EmailInput", EmailInput],
    ["Cents", Cents],
    ["Quantity", Quantity],
    ["Percent", Percent],
    ["TaxCode", TaxCode],
    ["RatePercent", RatePercent],
    ["Unit", Unit],
    ["LocalDate", LocalDate],
    ["BillingPeriod", BillingPeriod]
  ] as const)("%s says what it takes, with examples it accepts", (_, schema) => {
    const { description, examples = [] } = documentation(schema)
    expect(description?.trim()).toBeTruthy()
    expect(examples.length).toBeGreaterThan(0)
    for (const example of examples) {
      expect(Schema.decodeUnknownResult(schema as Schema.Decoder<unknown>)(example)._tag, String(example)).toBe("Success")
    }
  })

  it.each([
    ["Recurring", Recurring],
    ["FieldSource", FieldSource],
    ["PaymentTermsDays", PaymentTermsDays],
    ["Discount", Discount]
  ] as const)("%s says what it means", (_, schema) => {
    expect(documentation(schema).description?.trim()).toBeTruthy()
  })

  it.each([
    ["Quantity", Quantity],
    ["Percent", Percent],
    ["RatePercent", RatePercent]
  ] as const)("%s is documented as a plain JSON number, as it is decoded", (_, schema) => {
    const json = Schema.toJsonSchemaDocument(schema).schema as { readonly type?: unknown; readonly anyOf?: unknown }
    // No "NaN" or "Infinity" strings: the decoder refuses them.
    expect(json.type).toBe("number")
    expect(json.anyOf).toBeUndefined()
  })

  it("names every object the API shows, each name once", () => {
    const named = [
      Address, AddressInput, CatalogService, Contact, ContactPatch, Customer, CustomerPatch, CustomerService,
      CustomerServicePatch, Discount, FieldSources, LineInput, NewContact, NewCustomer, NewCustomerService,
      NewInvoice, NewPayment, NewQuote, NewService, QuotePatch, ServicePatch, TaxRate
    ]
    const names = named.map((schema) => Schema.resolveAnnotations(schema)?.identifier ?? "")
    expect(names.filter((name) => name.trim() === "")).toEqual([])
    expect(new Set(names).size).toBe(named.length)
  })

  it("says what an optional field defaults to", () => {
    const properties = (schema: Schema.Top): Record<string, { readonly description?: string }> => {
      const document = Schema.toJsonSchemaDocument(schema)
      const name = Schema.resolveAnnotations(schema)?.identifier ?? ""
      return (document.definitions[name] as { properties: Record<string, { readonly description?: string }> }).properties
    }
    const documented = (schema: Schema.Top, fields: ReadonlyArray<string>) =>
      fields.filter((field) => (properties(schema)[field]?.description ?? "").trim() === "")
    expect(documented(NewService, ["taxable", "recurring", "active"])).toEqual([])
    expect(documented(LineInput, ["serviceId", "description", "quantity", "unitPriceCents", "taxCode"])).toEqual([])
    expect(documented(NewCustomerService, ["quantity", "unitPriceCents", "startDate"])).toEqual([])
    expect(documented(NewPayment, ["paidAt", "reference"])).toEqual([])
    // The field's own words, not only those of its type.
    expect(properties(LineInput)["quantity"]?.description).toBe("Default 1")
    expect(properties(NewCustomerService)["quantity"]?.description).toBe("Default 1")
    expect(properties(NewCustomerService)["startDate"]?.description).toBe("Default today")
  })
})
