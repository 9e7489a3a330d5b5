import { Schema } from "effect"
import { Address, ContactId } from "../contact.ts"
import { AddressInput, applyAddress, nullable } from "../contact-input.ts"
import { Email, EmailInput } from "../email.ts"
import { E164, type NormalizedPhone, PhoneInput } from "../phone.ts"
import { OptionalText, RequiredText } from "../text.ts"
import { IdInput, Uuid } from "../uuid.ts"

// Stryker disable next-line StringLiteral: brand names exist only in the type system (no error message or JSON Schema shows them)
export const CustomerId = Uuid.pipe(Schema.brand("CustomerId"))
export type CustomerId = typeof CustomerId.Type

export const CustomerStatus = Schema.Literals(["active", "archived"])
export type CustomerStatus = typeof CustomerStatus.Type

export const DEFAULT_PAYMENT_TERMS_DAYS = 30

export const PaymentTermsDays = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 365 })).annotate({
  description: "Days from an invoice's issue date to its due date"
})

/** The fields a person edits. */
export const CustomerFields = Schema.Struct({
  companyName: Schema.String,
  legalBusinessName: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Email),
  phone: Schema.NullOr(E164),
  billingAddress: Schema.NullOr(Address),
  primaryContactId: Schema.NullOr(ContactId),
  taxExempt: Schema.Boolean,
  paymentTermsDays: Schema.Int
})
export type CustomerFields = typeof CustomerFields.Type

/** A billed party: who invoices are addressed to. */
export const Customer = Schema.Struct({
  id: CustomerId,
  ...CustomerFields.fields,
  status: CustomerStatus,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}).annotate({ identifier: "Customer" })
export type Customer = typeof Customer.Type

/** Customers keep one phone; an extension belongs on the contact. */
const CustomerPhone = PhoneInput.check(
  Schema.makeFilter((phone: NormalizedPhone) => phone.extension === null ? undefined : "Customers keep no extension; put it on the contact")
)

const editable = {
  legalBusinessName: nullable(OptionalText(200)),
  email: nullable(EmailInput),
  phone: nullable(CustomerPhone),
  billingAddress: nullable(AddressInput),
  primaryContactId: nullable(IdInput(ContactId)),
  taxExempt: Schema.optionalKey(Schema.Boolean),
  paymentTermsDays: Schema.optionalKey(PaymentTermsDays)
}

export const NewCustomer = Schema.Struct({ companyName: RequiredText(200), ...editable })
  .annotate({ identifier: "NewCustomer" })
export type NewCustomer = typeof NewCustomer.Type

/** A JSON merge patch (RFC 7396); `status` archives or restores. */
export const CustomerPatch = Schema.Struct({
  companyName: Schema.optionalKey(RequiredText(200)),
  ...editable,
  status: Schema.optionalKey(CustomerStatus)
}).annotate({ identifier: "CustomerPatch" })
export type CustomerPatch = typeof CustomerPatch.Type

const pick = <A>(next: A | undefined, current: A): A => next === undefined ? current : next

export const applyCustomerPatch = (current: CustomerFields, patch: CustomerPatch): CustomerFields => ({
  companyName: pick(patch.companyName, current.companyName),
  legalBusinessName: pick(patch.legalBusinessName, current.legalBusinessName),
  email: pick(patch.email, current.email),
  phone: patch.phone === undefined ? current.phone : patch.phone?.e164 ?? null,
  billingAddress: applyAddress(current.billingAddress, patch.billingAddress),
  primaryContactId: pick(patch.primaryContactId, current.primaryContactId),
  taxExempt: pick(patch.taxExempt, current.taxExempt),
  paymentTermsDays: pick(patch.paymentTermsDays, current.paymentTermsDays)
})

export const newCustomerFields = (input: NewCustomer): CustomerFields =>
  applyCustomerPatch({
    companyName: input.companyName,
    legalBusinessName: null,
    email: null,
    phone: null,
    billingAddress: null,
    primaryContactId: null,
    taxExempt: false,
    paymentTermsDays: DEFAULT_PAYMENT_TERMS_DAYS
  }, input)

