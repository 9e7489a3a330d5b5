import { DateTime, Effect, Schema } from "effect"
import { ContactId } from "../../domain/contact.ts"
import {
  type Property,
  PropertyId,
  type PropertyLink,
  PropertyLinkId,
  PropertyRole,
  propertyZip5
} from "../../domain/property/property.ts"
import { Int8 } from "./billing-row.ts"

const Text = Schema.NullOr(Schema.String)

const PropertyRow = Schema.Struct({
  id: PropertyId,
  address_line1: Schema.String,
  address_line2: Text,
  city: Text,
  state: Text,
  zip: Text,
  address_key: Schema.String,
  property_type: Text,
  apn: Text,
  latitude: Schema.NullOr(Schema.Number),
  longitude: Schema.NullOr(Schema.Number),
  year_built: Schema.NullOr(Schema.Int),
  square_feet: Schema.NullOr(Schema.Int),
  beds: Schema.NullOr(Schema.Int),
  baths: Schema.NullOr(Schema.Number),
  estimated_value_cents: Schema.NullOr(Int8),
  estimated_equity_cents: Schema.NullOr(Int8),
  estimated_equity_percent: Schema.NullOr(Schema.Number),
  purchase_date: Text,
  owner_occupied: Schema.NullOr(Schema.Boolean),
  listed_for_sale: Schema.NullOr(Schema.Boolean),
  listing_status: Text,
  foreclosure: Schema.NullOr(Schema.Boolean),
  mailing_line1: Text,
  mailing_line2: Text,
  mailing_city: Text,
  mailing_state: Text,
  mailing_zip: Text,
  notes: Text,
  created_at: Schema.Date,
  updated_at: Schema.Date
})
type PropertyRow = typeof PropertyRow.Type

/** The columns a SELECT reads, with `p.` as the table alias; the date comes as text, YYYY-MM-DD. */
export const PROPERTY_COLUMNS = Object.keys(PropertyRow.fields)
  .map((name) => (name === "purchase_date" ? "p.purchase_date::text AS purchase_date" : `p.${name}`))
  .join(", ")

const propertyFromRow = (row: PropertyRow): Property => ({
  id: row.id,
  address: { line1: row.address_line1, line2: row.address_line2, city: row.city, state: row.state, zip: row.zip },
  propertyType: row.property_type,
  apn: row.apn,
  latitude: row.latitude,
  longitude: row.longitude,
  yearBuilt: row.year_built,
  squareFeet: row.square_feet,
  beds: row.beds,
  baths: row.baths,
  estimatedValueCents: row.estimated_value_cents,
  estimatedEquityCents: row.estimated_equity_cents,
  estimatedEquityPercent: row.estimated_equity_percent,
  purchaseDate: row.purchase_date,
  ownerOccupied: row.owner_occupied,
  listedForSale: row.listed_for_sale,
  listingStatus: row.listing_status,
  foreclosure: row.foreclosure,
  mailingAddress: row.mailing_line1 === null && row.mailing_line2 === null && row.mailing_city === null &&
      row.mailing_state === null && row.mailing_zip === null
    ? null
    : { line1: row.mailing_line1, line2: row.mailing_line2, city: row.mailing_city, state: row.mailing_state, zip: row.mailing_zip },
  notes: row.notes,
  addressKey: row.address_key,
  createdAt: DateTime.fromDateUnsafe(row.created_at),
  updatedAt: DateTime.fromDateUnsafe(row.updated_at)
})

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(PropertyRow))
export const decodeProperties = (rows: ReadonlyArray<unknown>) => Effect.map(decodeRows(rows), (list) => list.map(propertyFromRow))

/**
 * Each written column with its PostgreSQL type and its value as JSON, so a
 * batch travels as one typed recordset, whatever its size.
 */
export const WRITTEN_COLUMNS: ReadonlyArray<readonly [string, string, (p: Property) => unknown]> = [
  ["id", "uuid", (p) => p.id],
  ["address_line1", "text", (p) => p.address.line1],
  ["address_line2", "text", (p) => p.address.line2],
  ["city", "text", (p) => p.address.city],
  ["state", "text", (p) => p.address.state],
  ["zip", "text", (p) => p.address.zip],
  ["address_key", "text", (p) => p.addressKey],
  ["zip5", "text", (p) => propertyZip5(p.address)],
  ["property_type", "text", (p) => p.propertyType],
  ["apn", "text", (p) => p.apn],
  ["latitude", "float8", (p) => p.latitude],
  ["longitude", "float8", (p) => p.longitude],
  ["year_built", "int4", (p) => p.yearBuilt],
  ["square_feet", "int4", (p) => p.squareFeet],
  ["beds", "int4", (p) => p.beds],
  ["baths", "float8", (p) => p.baths],
  ["estimated_value_cents", "int8", (p) => p.estimatedValueCents],
  ["estimated_equity_cents", "int8", (p) => p.estimatedEquityCents],
  ["estimated_equity_percent", "float8", (p) => p.estimatedEquityPercent],
  ["purchase_date", "date", (p) => p.purchaseDate],
  ["owner_occupied", "bool", (p) => p.ownerOccupied],
  ["listed_for_sale", "bool", (p) => p.listedForSale],
  ["listing_status", "text", (p) => p.listingStatus],
  ["foreclosure", "bool", (p) => p.foreclosure],
  ["mailing_line1", "text", (p) => p.mailingAddress?.line1 ?? null],
  ["mailing_line2", "text", (p) => p.mailingAddress?.line2 ?? null],
  ["mailing_city", "text", (p) => p.mailingAddress?.city ?? null],
  ["mailing_state", "text", (p) => p.mailingAddress?.state ?? null],
  ["mailing_zip", "text", (p) => p.mailingAddress?.zip ?? null],
  ["notes", "text", (p) => p.notes],
  ["created_at", "timestamptz", (p) => DateTime.formatIso(p.createdAt)],
  ["updated_at", "timestamptz", (p) => DateTime.formatIso(p.updatedAt)]
]

const LinkRow = Schema.Struct({
  id: PropertyLinkId,
  property_id: PropertyId,
  contact_id: ContactId,
  role: PropertyRole,
  is_primary: Schema.Boolean,
  created_at: Schema.Date
})
type LinkRow = typeof LinkRow.Type

/**
 * A link reads as primary when it is, or when the primary link of a contact
 * merged into its contact stayed behind that contact (a merge keeps the
 * primary's own link to a property both had): the person is still the primary.
 */
const EFFECTIVE_PRIMARY = "(l.is_primary OR EXISTS (SELECT 1 FROM contact_properties h JOIN contacts hc ON hc.id = h.contact_id " +
  "WHERE h.property_id = l.property_id AND h.is_primary AND hc.merged_into_id = l.contact_id))"

export const LINK_COLUMNS = `l.id, l.property_id, l.contact_id, l.role, ${EFFECTIVE_PRIMARY} AS is_primary, l.created_at`

const linkFromRow = (row: LinkRow): PropertyLink => ({
  id: row.id,
  propertyId: row.property_id,
  contactId: row.contact_id,
  role: row.role,
  isPrimary: row.is_primary,
  createdAt: DateTime.fromDateUnsafe(row.created_at)
})

const decodeLinkRows = Schema.decodeUnknownEffect(Schema.Array(LinkRow))
export const decodeLinks = (rows: ReadonlyArray<unknown>) => Effect.map(decodeLinkRows(rows), (list) => list.map(linkFromRow))

/** A property with one link's columns, renamed `link_*` (see LINKED_COLUMNS). */
const LinkedRow = Schema.Struct({
  ...PropertyRow.fields,
  link_id: PropertyLinkId,
  link_contact_id: ContactId,
  link_role: PropertyRole,
  link_is_primary: Schema.Boolean,
  link_created_at: Schema.Date
})

export const LINKED_COLUMNS = `${PROPERTY_COLUMNS}, l.id AS link_id, l.contact_id AS link_contact_id, l.role AS link_role, ` +
  `${EFFECTIVE_PRIMARY} AS link_is_primary, l.created_at AS link_created_at`

const decodeLinkedRows = Schema.decodeUnknownEffect(Schema.Array(LinkedRow))
export const decodeLinked = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeLinkedRows(rows), (list) =>
    list.map((row) => ({
      property: propertyFromRow(row),
      link: linkFromRow({
        id: row.link_id,
        property_id: row.id,
        contact_id: row.link_contact_id,
        role: row.link_role,
        is_primary: row.link_is_primary,
        created_at: row.link_created_at
      })
    })))
