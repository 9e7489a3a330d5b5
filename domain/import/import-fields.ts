import { Schema } from "effect"

/**
 * The fields an import can fill, the left-hand side of a column mapping. A row
 * holds up to two people (PropertyRadar's primary and secondary owner) and one
 * property; `secondary*` fields belong to the second person, `property*` and
 * the property facts to the house, the rest to the first person.
 */
export const IMPORT_FIELDS = [
  // first person
  "fullName", "firstName", "lastName", "phone", "email", "company",
  "street", "street2", "city", "state", "zip", "tags", "notes",
  // second person
  "secondaryFullName", "secondaryFirstName", "secondaryLastName", "secondaryPhone", "secondaryEmail",
  // property
  "propertyStreet", "propertyStreet2", "propertyCity", "propertyState", "propertyZip",
  "apn", "propertyType", "latitude", "longitude", "yearBuilt", "squareFeet", "beds", "baths",
  "estimatedValue", "estimatedEquity", "estimatedEquityPercent", "purchaseDate",
  "ownerOccupied", "listedForSale", "listingStatus", "foreclosure",
  "mailingStreet", "mailingCity", "mailingState", "mailingZip", "propertyNotes"
] as const

export const ImportField = Schema.Literals(IMPORT_FIELDS)
export type ImportField = typeof ImportField.Type

const FIELD_SET: ReadonlySet<string> = new Set(IMPORT_FIELDS)
export const isImportField = (name: string): name is ImportField => FIELD_SET.has(name)

/** Fields that describe the house; any of them mapped and filled makes a property. */
export const PROPERTY_FIELDS: ReadonlyArray<ImportField> = IMPORT_FIELDS.slice(IMPORT_FIELDS.indexOf("propertyStreet"))

/**
 * Which file headers feed each field, in order of preference: the first
 * non-empty cell wins, later ones (a second phone, an e-mail 2) are kept in the
 * contact's notes rather than dropped.
 */
export type ColumnMapping = Readonly<Partial<Record<ImportField, ReadonlyArray<string>>>>
