import { Schema } from "effect"
import { Cents, MAX_CENTS } from "../billing/money.ts"
import { LocalDate } from "../billing/local-date.ts"
import { ContactId } from "../contact.ts"
import { nullable } from "../contact-input.ts"
import { OptionalText, RequiredText } from "../text.ts"
import { Uuid } from "../uuid.ts"
import { normalizeAddressLine, zip5 } from "./address.ts"

// Stryker disable next-line StringLiteral: brand names exist only in the type system
export const PropertyId = Uuid.pipe(Schema.brand("PropertyId"))
export type PropertyId = typeof PropertyId.Type

// Stryker disable next-line StringLiteral: brand names exist only in the type system
export const PropertyLinkId = Uuid.pipe(Schema.brand("PropertyLinkId"))
export type PropertyLinkId = typeof PropertyLinkId.Type

/** How a contact relates to a house. */
export const PropertyRole = Schema.Literals(["owner", "tenant", "property_manager", "other"])
export type PropertyRole = typeof PropertyRole.Type

/** The house's own address; only line 1 is required. */
export const PropertyAddress = Schema.Struct({
  line1: Schema.String,
  line2: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  state: Schema.NullOr(Schema.String),
  zip: Schema.NullOr(Schema.String)
}).annotate({ identifier: "PropertyAddress" })
export type PropertyAddress = typeof PropertyAddress.Type

/** Where the owner gets mail (often not the house: landlords, estates). */
export const MailingAddress = Schema.Struct({
  line1: Schema.NullOr(Schema.String),
  line2: Schema.NullOr(Schema.String),
  city: Schema.NullOr(Schema.String),
  state: Schema.NullOr(Schema.String),
  zip: Schema.NullOr(Schema.String)
}).annotate({ identifier: "MailingAddress" })
export type MailingAddress = typeof MailingAddress.Type

/** Equity is negative when a house is under water. */
export const SignedCents = Schema.Int.check(Schema.isBetween({ minimum: -MAX_CENTS, maximum: MAX_CENTS })).annotate({
  description: "An amount in cents (USD), may be negative"
})

/** The fields a person (or an import) sets. */
export const PropertyFields = Schema.Struct({
  address: PropertyAddress,
  propertyType: Schema.NullOr(Schema.String),
  apn: Schema.NullOr(Schema.String),
  latitude: Schema.NullOr(Schema.Number),
  longitude: Schema.NullOr(Schema.Number),
  yearBuilt: Schema.NullOr(Schema.Int),
  squareFeet: Schema.NullOr(Schema.Int),
  beds: Schema.NullOr(Schema.Int),
  baths: Schema.NullOr(Schema.Number),
  estimatedValueCents: Schema.NullOr(Schema.Int),
  estimatedEquityCents: Schema.NullOr(Schema.Int),
  estimatedEquityPercent: Schema.NullOr(Schema.Number),
  purchaseDate: Schema.NullOr(Schema.String),
  ownerOccupied: Schema.NullOr(Schema.Boolean),
  listedForSale: Schema.NullOr(Schema.Boolean),
  listingStatus: Schema.NullOr(Schema.String),
  foreclosure: Schema.NullOr(Schema.Boolean),
  mailingAddress: Schema.NullOr(MailingAddress),
  notes: Schema.NullOr(Schema.String)
})
export type PropertyFields = typeof PropertyFields.Type

export const Property = Schema.Struct({
  id: PropertyId,
  ...PropertyFields.fields,
  /** The address normalised for matching (see propertyAddressKey); the ZIP apart. */
  addressKey: Schema.String,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}).annotate({ identifier: "Property" })
export type Property = typeof Property.Type

/** A contact's tie to a property; at most one per pair, at most one primary per property. */
export const PropertyLink = Schema.Struct({
  id: PropertyLinkId,
  propertyId: PropertyId,
  contactId: ContactId,
  role: PropertyRole,
  isPrimary: Schema.Boolean,
  createdAt: Schema.DateTimeUtc
}).annotate({ identifier: "PropertyLink" })
export type PropertyLink = typeof PropertyLink.Type

/**
 * Assessor's parcel numbers are written with varying case and spacing
 * ("123-456-78 ", "abc 12"): one spelling per parcel keeps APN unique and matchable.
 */
export const normalizeApn = (apn: string): string => apn.trim().replace(/\s+/gu, " ").toUpperCase()

export const ZipInput = Schema.String.check(
  Schema.isPattern(/^\d{5}(-?\d{4})?$/u, { message: "Expected a US ZIP code: 5 digits, or ZIP+4" })
).annotate({ examples: ["78701", "78701-1234"] })

const between = (minimum: number, maximum: number) => Schema.isBetween({ minimum, maximum })

export const PropertyAddressInput = Schema.Struct({
  line1: RequiredText(200),
  line2: nullable(OptionalText(100)),
  city: nullable(OptionalText(100)),
  state: nullable(OptionalText(50)),
  zip: nullable(ZipInput)
}).annotate({ identifier: "PropertyAddressInput" })

/** Line 1 may be cleared in a patch only for the mailing address. */
export const MailingAddressInput = Schema.Struct({
  line1: nullable(OptionalText(200)),
  line2: nullable(OptionalText(100)),
  city: nullable(OptionalText(100)),
  state: nullable(OptionalText(50)),
  zip: nullable(OptionalText(20))
}).annotate({ identifier: "MailingAddressInput" })

const editable = {
  propertyType: nullable(OptionalText(100)),
  apn: nullable(OptionalText(60).annotate({ description: "Assessor's parcel number; unique when present (upper-cased)" })),
  latitude: nullable(Schema.Finite.check(between(-90, 90))),
  longitude: nullable(Schema.Finite.check(between(-180, 180))),
  yearBuilt: nullable(Schema.Int.check(between(1600, 2200))),
  squareFeet: nullable(Schema.Int.check(between(0, 10_000_000))),
  beds: nullable(Schema.Int.check(between(0, 1000))),
  baths: nullable(Schema.Finite.check(between(0, 1000)).annotate({ description: "Half baths count 0.5" })),
  estimatedValueCents: nullable(Cents),
  estimatedEquityCents: nullable(SignedCents),
  estimatedEquityPercent: nullable(Schema.Finite.check(between(-10_000, 10_000)).annotate({ description: "Percent, e.g. 42.5" })),
  purchaseDate: nullable(LocalDate),
  ownerOccupied: nullable(Schema.Boolean),
  listedForSale: nullable(Schema.Boolean),
  listingStatus: nullable(OptionalText(100)),
  foreclosure: nullable(Schema.Boolean),
  mailingAddress: nullable(MailingAddressInput),
  notes: nullable(OptionalText(10_000))
}

/** Input of "create a property": the address line 1 is required, the rest optional. */
export const NewProperty = Schema.Struct({ address: PropertyAddressInput, ...editable }).annotate({ identifier: "NewProperty" })
export type NewProperty = typeof NewProperty.Type

/** A JSON merge patch (RFC 7396): addresses merge key by key, `null` clears. */
export const PropertyPatch = Schema.Struct({
  address: Schema.optionalKey(Schema.Struct({
    line1: Schema.optionalKey(RequiredText(200)),
    line2: nullable(OptionalText(100)),
    city: nullable(OptionalText(100)),
    state: nullable(OptionalText(50)),
    zip: nullable(ZipInput)
  }).annotate({ identifier: "PropertyAddressPatch" })),
  ...editable
}).annotate({ identifier: "PropertyPatch" })
export type PropertyPatch = typeof PropertyPatch.Type

const pick = <A>(next: A | undefined, current: A): A => (next === undefined ? current : next)

type AddressPatch = { readonly [K in keyof MailingAddress]?: MailingAddress[K] | undefined }

const mergeMailing = (current: MailingAddress | null, patch: AddressPatch | null | undefined): MailingAddress | null => {
  if (patch === undefined) return current
  if (patch === null) return null
  const base = current ?? { line1: null, line2: null, city: null, state: null, zip: null }
  const merged: MailingAddress = {
    line1: pick(patch.line1, base.line1),
    line2: pick(patch.line2, base.line2),
    city: pick(patch.city, base.city),
    state: pick(patch.state, base.state),
    zip: pick(patch.zip, base.zip)
  }
  return Object.values(merged).every((value) => value === null) ? null : merged
}

export const applyPropertyPatch = (current: PropertyFields, patch: PropertyPatch): PropertyFields => ({
  address: patch.address === undefined ? current.address : {
    line1: pick(patch.address.line1, current.address.line1),
    line2: pick(patch.address.line2, current.address.line2),
    city: pick(patch.address.city, current.address.city),
    state: pick(patch.address.state, current.address.state),
    zip: pick(patch.address.zip, current.address.zip)
  },
  propertyType: pick(patch.propertyType, current.propertyType),
  apn: patch.apn === undefined ? current.apn : patch.apn === null ? null : normalizeApn(patch.apn),
  latitude: pick(patch.latitude, current.latitude),
  longitude: pick(patch.longitude, current.longitude),
  yearBuilt: pick(patch.yearBuilt, current.yearBuilt),
  squareFeet: pick(patch.squareFeet, current.squareFeet),
  beds: pick(patch.beds, current.beds),
  baths: pick(patch.baths, current.baths),
  estimatedValueCents: pick(patch.estimatedValueCents, current.estimatedValueCents),
  estimatedEquityCents: pick(patch.estimatedEquityCents, current.estimatedEquityCents),
  estimatedEquityPercent: pick(patch.estimatedEquityPercent, current.estimatedEquityPercent),
  purchaseDate: pick(patch.purchaseDate, current.purchaseDate),
  ownerOccupied: pick(patch.ownerOccupied, current.ownerOccupied),
  listedForSale: pick(patch.listedForSale, current.listedForSale),
  listingStatus: pick(patch.listingStatus, current.listingStatus),
  foreclosure: pick(patch.foreclosure, current.foreclosure),
  mailingAddress: mergeMailing(current.mailingAddress, patch.mailingAddress),
  notes: pick(patch.notes, current.notes)
})

/** Every property field but the address, unknown: what a new property starts from. */
export const EMPTY_PROPERTY_FIELDS: Omit<PropertyFields, "address"> = {
  propertyType: null,
  apn: null,
  latitude: null,
  longitude: null,
  yearBuilt: null,
  squareFeet: null,
  beds: null,
  baths: null,
  estimatedValueCents: null,
  estimatedEquityCents: null,
  estimatedEquityPercent: null,
  purchaseDate: null,
  ownerOccupied: null,
  listedForSale: null,
  listingStatus: null,
  foreclosure: null,
  mailingAddress: null,
  notes: null
}

export const newPropertyFields = (input: NewProperty): PropertyFields =>
  applyPropertyPatch({
    ...EMPTY_PROPERTY_FIELDS,
    address: { line1: input.address.line1, line2: null, city: null, state: null, zip: null }
  }, input)

/**
 * The match key of a property's address: line 1 and 2 joined and normalised
 * (a unit in either line is the same); the ZIP is matched apart, as `zip5`.
 */
export const propertyAddressKey = (address: PropertyAddress): string =>
  normalizeAddressLine(address.line2 === null ? address.line1 : `${address.line1} ${address.line2}`)

/** The five-digit ZIP a property matches on, or null. */
export const propertyZip5 = (address: PropertyAddress): string | null => zip5(address.zip)

/** A stored property from its fields: the match key follows the address. */
export const withFields = (
  base: { readonly id: PropertyId; readonly createdAt: Property["createdAt"]; readonly updatedAt: Property["updatedAt"] },
  fields: PropertyFields
): Property => ({ id: base.id, ...fields, addressKey: propertyAddressKey(fields.address), createdAt: base.createdAt, updatedAt: base.updatedAt })
