import { Result, Schema } from "effect"
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max"
import type { Address, ContactFields } from "../contact.ts"
import { Email, normalizeEmail } from "../email.ts"
import { DEFAULT_PHONE_COUNTRY, formatPhone, type NormalizedPhone, normalizePhone } from "../phone.ts"
import { normalizeTag, unionTags } from "../tags.ts"
import { addressKey, zip5 } from "../property/address.ts"
import { type MailingAddress, normalizeApn, type PropertyFields } from "../property/property.ts"
import {
  parseDate, parseDecimal, parseFlag, parseInteger, parseMoneyCents, parsePercent, type Parsed
} from "./cell-values.ts"
import type { ColumnMapping, ImportField } from "./import-fields.ts"
import { type ParsedName, type PersonName, splitName, splitNameParts } from "./names.ts"

/**
 * One CSV row turned into what the import would store: up to two contacts and a
 * property, or the one reason the row cannot be stored. Pure: matching against
 * the database and the in-file duplicates is the import engine's job.
 */

/** Why a row is refused: the field, the column it came from, the cell and the reason. */
export interface RowRejection {
  readonly _tag: "Rejected"
  readonly field: ImportField
  readonly column: string
  readonly value: string
  readonly reason: string
}

export interface RowSkip {
  readonly _tag: "Skipped"
  readonly reason: string
}

/** `primary` is the row's first person (PropertyRadar's primary owner), `secondary` the second. */
export interface CandidateContact {
  readonly slot: "primary" | "secondary"
  readonly fields: ContactFields
}

export interface CandidateProperty {
  readonly fields: PropertyFields
  /** Normalised line 1 + 2 and ZIP5 (domain/property/address.ts), matched when there is no APN. */
  readonly addressKey: string
  readonly zip5: string | null
}

export interface MappedRow {
  readonly _tag: "Mapped"
  /** Zero contacts only when the row is a property alone (no owner named). */
  readonly contacts: ReadonlyArray<CandidateContact>
  readonly property: CandidateProperty | null
}

export type RowMapping = MappedRow | RowRejection | RowSkip

export const NO_NAME_NO_PHONE = "No name and no phone"

export interface RowMappingOptions {
  readonly defaultCountry?: CountryCode | undefined
}

const isEmailValid = Schema.is(Email)

/**
 * Reads cells through the mapping. A bad cell is recorded (the first one is the
 * row's rejection, naming field and column) and reads as empty, so reading goes
 * on without exceptions and the row is refused at the end.
 */
const makeReader = (values: Readonly<Record<string, string>>, mapping: ColumnMapping) => {
  let rejection: RowRejection | null = null
  // A field is read several times a row (value, rejection source): clean its cells once.
  const cleaned = new Map<ImportField, ReadonlyArray<{ readonly column: string; readonly value: string }>>()
  const cells = (field: ImportField): ReadonlyArray<{ readonly column: string; readonly value: string }> => {
    const known = cleaned.get(field)
    if (known !== undefined) return known
    const found: Array<{ readonly column: string; readonly value: string }> = []
    for (const column of mapping[field] ?? []) {
      const cell = values[column] ?? ""
      // NUL never belongs in text and PostgreSQL refuses it; spreadsheets leave stray ones.
      const value = (cell.includes("\u0000") ? cell.replace(/\u0000/gu, "") : cell).trim()
      if (value.length > 0) found.push({ column, value })
    }
    cleaned.set(field, found)
    return found
  }
  const reject = (field: ImportField, column: string, value: string, reason: string): null => {
    rejection ??= { _tag: "Rejected", field, column, value, reason }
    return null
  }
  const text = (field: ImportField, maxLength: number): string | null => {
    const cell = cells(field)[0]
    if (cell === undefined) return null
    if (cell.value.length > maxLength) return reject(field, cell.column, cell.value, `Longer than ${maxLength} characters`)
    return cell.value
  }
  const parsed = <A>(field: ImportField, parse: (cell: string) => Parsed<A>): A | null => {
    const cell = cells(field)[0]
    if (cell === undefined) return null
    const result = parse(cell.value)
    return Result.isSuccess(result) ? result.success : reject(field, cell.column, cell.value, result.failure)
  }
  return { cells, reject, text, parsed, rejection: (): RowRejection | null => rejection }
}
type Reader = ReturnType<typeof makeReader>

/**
 * The first valid phone of the field's columns; the others (valid or not) go to
 * notes so nothing typed is lost. A row whose only phones are all invalid is
 * rejected: the phone is what the business calls.
 */
const readPhone = (reader: Reader, field: ImportField, country: CountryCode) => {
  let phone: NormalizedPhone | null = null
  let firstBad: { readonly column: string; readonly value: string; readonly reason: string } | null = null
  const others: Array<string> = []
  for (const cell of reader.cells(field)) {
    const result = normalizePhone(cell.value, country)
    if (Result.isSuccess(result) && phone === null) phone = result.success
    else if (Result.isSuccess(result)) {
      if (result.success.e164 !== phone?.e164) others.push(formatPhone(result.success))
    } else {
      firstBad ??= { column: cell.column, value: cell.value, reason: result.failure.reason }
      others.push(cell.value)
    }
  }
  if (phone === null && firstBad !== null) reader.reject(field, firstBad.column, firstBad.value, firstBad.reason)
  return { phone, others }
}

const readEmail = (reader: Reader, field: ImportField) => {
  let email: string | null = null
  let firstBad: { readonly column: string; readonly value: string } | null = null
  const others: Array<string> = []
  for (const cell of reader.cells(field)) {
    const normalised = normalizeEmail(cell.value)
    if (!isEmailValid(normalised)) {
      firstBad ??= cell
      others.push(cell.value)
    } else if (email === null) email = normalised
    else if (normalised !== email) others.push(normalised)
  }
  if (email === null && firstBad !== null) {
    reader.reject(field, firstBad.column, firstBad.value, "Not an email address (expected name@example.com)")
  }
  return { email, others }
}

/** Tags as exports write them: "a, b", "a; b", "a | b", Google's "* myContacts ::: Friends". */
const readTags = (reader: Reader): ReadonlyArray<string> =>
  unionTags(reader.cells("tags").flatMap((cell) =>
    cell.value.split(/:::|[,;|]/u)
      .map((tag) => normalizeTag(tag.replace(/^\*\s*/u, "")).slice(0, 64).trim())
      // Google marks its built-in groups with "*"; "mycontacts" says nothing.
      .filter((tag) => tag.length > 0 && tag !== "mycontacts" && tag !== "starred")
  ))

const readName = (reader: Reader, full: ImportField, first: ImportField, last: ImportField): ParsedName => {
  const firstCell = reader.cells(first)[0]?.value ?? ""
  const lastCell = reader.cells(last)[0]?.value ?? ""
  if (firstCell.length > 0 || lastCell.length > 0) return splitNameParts(firstCell, lastCell)
  return splitName(reader.cells(full)[0]?.value ?? "")
}

const readAddress = (reader: Reader): Address | null => {
  const street = reader.text("street", 200)
  const street2 = reader.text("street2", 200)
  const joined = street !== null && street2 !== null ? `${street}, ${street2}` : street ?? street2
  if (joined !== null && joined.length > 200) {
    reader.reject("street", reader.cells("street")[0]?.column ?? "", joined, "Line 1 and 2 together are longer than 200 characters")
  }
  const address: Address = {
    street: joined,
    city: reader.text("city", 100),
    state: reader.text("state", 100),
    postalCode: reader.text("zip", 20)
  }
  return Object.values(address).every((value) => value === null) ? null : address
}

const people = (name: ParsedName): ReadonlyArray<PersonName> => (name._tag === "People" ? name.people : [])

/** The cell a name came from, so a rejection points at the column to fix. */
const nameSource = (reader: Reader, fields: ReadonlyArray<ImportField>): { readonly field: ImportField; readonly column: string } => {
  for (const field of fields) {
    const cell = reader.cells(field)[0]
    if (cell !== undefined) return { field, column: cell.column }
  }
  return { field: fields[0] ?? "fullName", column: "" }
}

const checkName = (
  reader: Reader,
  fields: { readonly first: ImportField; readonly last: ImportField; readonly full: ReadonlyArray<ImportField> },
  person: PersonName
): PersonName => {
  if (person.firstName.length > 100) {
    const source = nameSource(reader, [fields.first, fields.last, ...fields.full])
    reader.reject(source.field, source.column, person.firstName, "First name longer than 100 characters")
  }
  if (person.lastName !== null && person.lastName.length > 100) {
    const source = nameSource(reader, [fields.last, fields.first, ...fields.full])
    reader.reject(source.field, source.column, person.lastName, "Last name longer than 100 characters")
  }
  return person
}

interface ContactDraft {
  readonly person: PersonName | null
  readonly company: string | null
  readonly phone: NormalizedPhone | null
  readonly email: string | null
  readonly extras: ReadonlyArray<string>
}

/** The phone as people read it names a contact known only by number, as inbound leads are named. */
const nameFromPhone = (phone: NormalizedPhone): string => {
  const parsed = parsePhoneNumberFromString(phone.e164)
  if (parsed === undefined) return phone.e164
  return parsed.country === DEFAULT_PHONE_COUNTRY ? parsed.formatNational() : parsed.formatInternational()
}

const toFields = (
  draft: ContactDraft,
  shared: { readonly address: Address | null; readonly tags: ReadonlyArray<string>; readonly notes: string | null }
): ContactFields | null => {
  const firstName = draft.person?.firstName ?? draft.company ?? (draft.phone === null ? null : nameFromPhone(draft.phone))
  if (firstName === null) return null
  const extraNote = draft.extras.length === 0 ? null : `Also: ${draft.extras.join(", ")}`
  const notes = [shared.notes, extraNote].filter((note) => note !== null).join("\n")
  return {
    firstName,
    lastName: draft.person?.lastName ?? null,
    phone: draft.phone?.e164 ?? null,
    phoneExtension: draft.phone?.extension ?? null,
    email: draft.email,
    company: draft.company,
    address: shared.address,
    tags: shared.tags,
    notes: notes.length === 0 ? null : notes.slice(0, 10_000)
  }
}

const samePerson = (a: ContactFields, b: ContactFields): boolean =>
  a.firstName === b.firstName && a.lastName === b.lastName &&
  (a.phone === null || b.phone === null || a.phone === b.phone) &&
  (a.email === null || b.email === null || a.email === b.email)

const readContacts = (reader: Reader, country: CountryCode): ReadonlyArray<CandidateContact> => {
  const primaryName = readName(reader, "fullName", "firstName", "lastName")
  const secondaryName = readName(reader, "secondaryFullName", "secondaryFirstName", "secondaryLastName")
  const primaryPhone = readPhone(reader, "phone", country)
  const secondaryPhone = readPhone(reader, "secondaryPhone", country)
  const primaryEmail = readEmail(reader, "email")
  const secondaryEmail = readEmail(reader, "secondaryEmail")
  const companyCell = reader.text("company", 200)
  const company = companyCell ?? (primaryName._tag === "Company" ? primaryName.company : null)
  if (company !== null && company.length > 200) {
    const source = nameSource(reader, ["fullName"])
    reader.reject(source.field, source.column, company, "Company name longer than 200 characters")
  }
  const shared = { address: readAddress(reader), tags: readTags(reader), notes: reader.text("notes", 9_000) }

  const household = people(primaryName)
  const first = household[0] ?? null
  // "SMITH, JOHN & MARY" with no secondary name: Mary is the second person.
  const second = people(secondaryName)[0] ?? household[1] ?? null
  const secondaryCompany = secondaryName._tag === "Company" ? secondaryName.company : null

  const primary = toFields({
    person: first === null ? null : checkName(reader, { first: "firstName", last: "lastName", full: ["fullName"] }, first),
    company,
    phone: primaryPhone.phone,
    email: primaryEmail.email,
    extras: [...primaryPhone.others, ...primaryEmail.others]
  }, shared)
  const secondary = toFields({
    person: second === null
      ? null
      : checkName(reader, { first: "secondaryFirstName", last: "secondaryLastName", full: ["secondaryFullName", "fullName"] }, second),
    company: secondaryCompany,
    phone: secondaryPhone.phone,
    email: secondaryEmail.email,
    extras: [...secondaryPhone.others, ...secondaryEmail.others]
  }, { ...shared, notes: null })

  const out: Array<CandidateContact> = []
  if (primary !== null) out.push({ slot: "primary", fields: primary })
  if (secondary !== null && !(primary !== null && samePerson(primary, secondary))) out.push({ slot: "secondary", fields: secondary })
  return out
}

const readMailing = (reader: Reader): MailingAddress | null => {
  const mailing: MailingAddress = {
    line1: reader.text("mailingStreet", 200),
    line2: null,
    city: reader.text("mailingCity", 100),
    state: reader.text("mailingState", 50),
    zip: reader.text("mailingZip", 20)
  }
  return Object.values(mailing).every((value) => value === null) ? null : mailing
}

const readZip = (reader: Reader, field: ImportField): string | null =>
  reader.parsed(field, (cell) => {
    const five = zip5(cell)
    return five === null ? Result.fail("Expected a US ZIP code: 5 digits, or ZIP+4") : Result.succeed(five)
  })

/** A property needs an address line or an APN to be found again; without both there is none. */
const readProperty = (reader: Reader): CandidateProperty | null => {
  const line1 = reader.text("propertyStreet", 200)
  const apn = reader.text("apn", 60)
  if (line1 === null && apn === null) return null
  const zip = readZip(reader, "propertyZip")
  const line2 = reader.text("propertyStreet2", 100)
  const fields: PropertyFields = {
    // An APN-only row keeps the parcel number as its address line, which is what the county knows it by.
    address: { line1: line1 ?? `APN ${apn ?? ""}`, line2, city: reader.text("propertyCity", 100), state: reader.text("propertyState", 50), zip },
    propertyType: reader.text("propertyType", 100),
    apn: apn === null ? null : normalizeApn(apn),
    latitude: reader.parsed("latitude", (cell) => parseDecimal(cell, -90, 90)),
    longitude: reader.parsed("longitude", (cell) => parseDecimal(cell, -180, 180)),
    yearBuilt: reader.parsed("yearBuilt", (cell) => parseInteger(cell, 1600, 2200)),
    squareFeet: reader.parsed("squareFeet", (cell) => parseInteger(cell, 0, 10_000_000)),
    beds: reader.parsed("beds", (cell) => parseInteger(cell, 0, 1000)),
    baths: reader.parsed("baths", (cell) => parseDecimal(cell, 0, 1000)),
    estimatedValueCents: reader.parsed("estimatedValue", (cell) => parseMoneyCents(cell, { allowNegative: false })),
    estimatedEquityCents: reader.parsed("estimatedEquity", (cell) => parseMoneyCents(cell, { allowNegative: true })),
    estimatedEquityPercent: reader.parsed("estimatedEquityPercent", parsePercent),
    purchaseDate: reader.parsed("purchaseDate", parseDate),
    ownerOccupied: reader.parsed("ownerOccupied", parseFlag),
    listedForSale: reader.parsed("listedForSale", parseFlag),
    listingStatus: reader.text("listingStatus", 100),
    foreclosure: reader.parsed("foreclosure", parseFlag),
    mailingAddress: readMailing(reader),
    notes: reader.text("propertyNotes", 10_000)
  }
  return { fields, addressKey: addressKey(fields.address.line1, line2, zip), zip5: zip }
}

/**
 * Maps one row. Rejected: a cell that cannot be stored (a phone that is not a
 * real number, a malformed e-mail, "abc" in Sq Ft), naming field and column.
 * Skipped: a row with no person or company name, no phone and no property.
 */
export const mapRow = (
  values: Readonly<Record<string, string>>,
  mapping: ColumnMapping,
  options: RowMappingOptions = {}
): RowMapping => {
  const reader = makeReader(values, mapping)
  const contacts = readContacts(reader, options.defaultCountry ?? DEFAULT_PHONE_COUNTRY)
  const property = readProperty(reader)
  const rejection = reader.rejection()
  if (rejection !== null) return rejection
  if (contacts.length === 0 && property === null) return { _tag: "Skipped", reason: NO_NAME_NO_PHONE }
  return { _tag: "Mapped", contacts, property }
}
