import { Schema } from "effect"
import type { LinkedProperty } from "../../application/ports/property-repository.ts"
import type { PropertyDetails } from "../../application/properties/properties.ts"
import { type Property, type PropertyLink, PropertyRole } from "../../domain/property/property.ts"
import { Uuid } from "../../domain/uuid.ts"
import { iso, Timestamp } from "./json-views.ts"

// Property response bodies: plain JSON Schemas and their builders (see json-views.ts).

const Text = Schema.NullOr(Schema.String)

export const PropertyAddressJson = Schema.Struct({
  line1: Schema.String,
  line2: Text,
  city: Text,
  state: Text,
  zip: Text
}).annotate({ identifier: "PropertyAddress" })

export const MailingAddressJson = Schema.Struct({
  line1: Text,
  line2: Text,
  city: Text,
  state: Text,
  zip: Text
}).annotate({ identifier: "MailingAddress" })

const Cents = Schema.NullOr(Schema.Int.annotate({ description: "Cents (USD)" }))

export const PropertyJson = Schema.Struct({
  id: Uuid,
  address: PropertyAddressJson,
  addressKey: Schema.String.annotate({ description: "The address as imports match it (normalised line 1 and 2; ZIP apart)" }),
  propertyType: Text,
  apn: Text.annotate({ description: "Assessor's parcel number, unique when present" }),
  latitude: Schema.NullOr(Schema.Number),
  longitude: Schema.NullOr(Schema.Number),
  yearBuilt: Schema.NullOr(Schema.Int),
  squareFeet: Schema.NullOr(Schema.Int),
  beds: Schema.NullOr(Schema.Int),
  baths: Schema.NullOr(Schema.Number),
  estimatedValueCents: Cents,
  estimatedEquityCents: Cents,
  estimatedEquityPercent: Schema.NullOr(Schema.Number),
  purchaseDate: Text.annotate({ description: "YYYY-MM-DD" }),
  ownerOccupied: Schema.NullOr(Schema.Boolean),
  listedForSale: Schema.NullOr(Schema.Boolean),
  listingStatus: Text,
  foreclosure: Schema.NullOr(Schema.Boolean),
  mailingAddress: Schema.NullOr(MailingAddressJson),
  notes: Text,
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotate({ identifier: "Property" })
export type PropertyJson = typeof PropertyJson.Type

export const propertyJson = (p: Property): PropertyJson => ({
  id: p.id,
  address: { ...p.address },
  addressKey: p.addressKey,
  propertyType: p.propertyType,
  apn: p.apn,
  latitude: p.latitude,
  longitude: p.longitude,
  yearBuilt: p.yearBuilt,
  squareFeet: p.squareFeet,
  beds: p.beds,
  baths: p.baths,
  estimatedValueCents: p.estimatedValueCents,
  estimatedEquityCents: p.estimatedEquityCents,
  estimatedEquityPercent: p.estimatedEquityPercent,
  purchaseDate: p.purchaseDate,
  ownerOccupied: p.ownerOccupied,
  listedForSale: p.listedForSale,
  listingStatus: p.listingStatus,
  foreclosure: p.foreclosure,
  mailingAddress: p.mailingAddress === null ? null : { ...p.mailingAddress },
  notes: p.notes,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt)
})

export const PropertyLinkJson = Schema.Struct({
  id: Uuid,
  propertyId: Uuid,
  contactId: Uuid,
  role: PropertyRole,
  isPrimary: Schema.Boolean.annotate({ description: "At most one contact per property is primary" }),
  createdAt: Timestamp
}).annotate({ identifier: "PropertyLink" })
export type PropertyLinkJson = typeof PropertyLinkJson.Type

export const propertyLinkJson = (link: PropertyLink): PropertyLinkJson => ({
  id: link.id,
  propertyId: link.propertyId,
  contactId: link.contactId,
  role: link.role,
  isPrimary: link.isPrimary,
  createdAt: iso(link.createdAt)
})

export const PropertyDetailsJson = Schema.Struct({
  ...PropertyJson.fields,
  contacts: Schema.Array(PropertyLinkJson).annotate({ description: "The linked contacts, primary first" })
}).annotate({ identifier: "PropertyDetails" })

export const propertyDetailsJson = (details: PropertyDetails): typeof PropertyDetailsJson.Type => ({
  ...propertyJson(details.property),
  contacts: details.links.map(propertyLinkJson)
})

export const ContactPropertyJson = Schema.Struct({
  role: PropertyRole,
  isPrimary: Schema.Boolean,
  linkedAt: Timestamp,
  property: PropertyJson
}).annotate({ identifier: "ContactProperty" })

export const contactPropertyJson = (row: LinkedProperty): typeof ContactPropertyJson.Type => ({
  role: row.link.role,
  isPrimary: row.link.isPrimary,
  linkedAt: iso(row.link.createdAt),
  property: propertyJson(row.property)
})
