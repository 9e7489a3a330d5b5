import type { Schema } from "effect"
import type { ContactFields } from "../contact.ts"
import type { PropertyFields } from "../property/property.ts"
import { unionTags } from "../tags.ts"

/** Fields changed by an import: the values before and after, by field name (the revert snapshot). */
export interface FieldChanges {
  readonly before: Record<string, Schema.Json>
  readonly after: Record<string, Schema.Json>
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * An incoming value replaces the current one when the current one is empty,
 * or, with `overwrite`, whenever the file has a value. An empty cell never
 * clears a field.
 */
const take = <A>(current: A | null, incoming: A | null, overwrite: boolean): A | null =>
  incoming === null ? current : current === null || overwrite ? incoming : current

// Field values are strings, numbers, booleans, null, string arrays and flat
// address objects; anything else (undefined) is stored as null.
const toJson = (value: unknown): Schema.Json => {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value
  if (Array.isArray(value)) return value.map(toJson)
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]))
  return null
}

const diff = <F extends object>(current: F, next: F): FieldChanges => {
  const before: Record<string, Schema.Json> = {}
  const after: Record<string, Schema.Json> = {}
  for (const key of Object.keys(next)) {
    const was: unknown = Reflect.get(current, key)
    const now: unknown = Reflect.get(next, key)
    if (!same(was, now)) {
      before[key] = toJson(was)
      after[key] = toJson(now)
    }
  }
  return { before, after }
}

/**
 * A matched contact with a row's values. Phone and email are filled but never
 * replaced, even with `overwrite`: they are how the row matched, and replacing
 * one could take another contact's number. Tags are added, never removed.
 */
export const fillContact = (
  current: ContactFields,
  incoming: ContactFields,
  overwrite: boolean
): { readonly fields: ContactFields; readonly changes: FieldChanges } => {
  const phone = take(current.phone, incoming.phone, false)
  const fields: ContactFields = {
    firstName: overwrite ? incoming.firstName : current.firstName,
    lastName: take(current.lastName, incoming.lastName, overwrite),
    phone,
    phoneExtension: phone === current.phone
      ? take(current.phoneExtension, incoming.phoneExtension, overwrite)
      : incoming.phoneExtension,
    email: take(current.email, incoming.email, false),
    company: take(current.company, incoming.company, overwrite),
    address: take(current.address, incoming.address, overwrite),
    tags: unionTags(current.tags, incoming.tags),
    notes: take(current.notes, incoming.notes, overwrite)
  }
  return { fields, changes: diff(current, fields) }
}

/** A matched property with a row's values; the address is what matched and stays. */
export const fillProperty = (
  current: PropertyFields,
  incoming: PropertyFields,
  overwrite: boolean
): { readonly fields: PropertyFields; readonly changes: FieldChanges } => {
  const fields: PropertyFields = {
    address: current.address,
    propertyType: take(current.propertyType, incoming.propertyType, overwrite),
    apn: take(current.apn, incoming.apn, false),
    latitude: take(current.latitude, incoming.latitude, overwrite),
    longitude: take(current.longitude, incoming.longitude, overwrite),
    yearBuilt: take(current.yearBuilt, incoming.yearBuilt, overwrite),
    squareFeet: take(current.squareFeet, incoming.squareFeet, overwrite),
    beds: take(current.beds, incoming.beds, overwrite),
    baths: take(current.baths, incoming.baths, overwrite),
    estimatedValueCents: take(current.estimatedValueCents, incoming.estimatedValueCents, overwrite),
    estimatedEquityCents: take(current.estimatedEquityCents, incoming.estimatedEquityCents, overwrite),
    estimatedEquityPercent: take(current.estimatedEquityPercent, incoming.estimatedEquityPercent, overwrite),
    purchaseDate: take(current.purchaseDate, incoming.purchaseDate, overwrite),
    ownerOccupied: take(current.ownerOccupied, incoming.ownerOccupied, overwrite),
    listedForSale: take(current.listedForSale, incoming.listedForSale, overwrite),
    listingStatus: take(current.listingStatus, incoming.listingStatus, overwrite),
    foreclosure: take(current.foreclosure, incoming.foreclosure, overwrite),
    mailingAddress: take(current.mailingAddress, incoming.mailingAddress, overwrite),
    notes: take(current.notes, incoming.notes, overwrite)
  }
  return { fields, changes: diff(current, fields) }
}

/** Whether nothing changed. */
export const noChanges = (changes: FieldChanges): boolean => Object.keys(changes.after).length === 0

/**
 * The fields to put back on revert: each field the import changed that still
 * holds the value the import gave it gets its value from before. A field
 * someone changed since keeps their value.
 */
export const fieldsToRestore = (
  current: object,
  before: Schema.Json | null,
  after: Schema.Json | null
): Record<string, Schema.Json> => {
  const restored: Record<string, Schema.Json> = {}
  if (before === null || after === null || typeof before !== "object" || typeof after !== "object") return restored
  const was = new Map(Object.entries(before))
  for (const [key, value] of Object.entries(after)) {
    const previous = was.get(key)
    if (previous !== undefined && same(toJson(Reflect.get(current, key)), value)) restored[key] = previous
  }
  return restored
}
