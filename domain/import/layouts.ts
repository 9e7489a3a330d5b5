import { Result, Schema } from "effect"
import { type ColumnMapping, type ImportField, IMPORT_FIELDS, isImportField } from "./import-fields.ts"

/**
 * Known export layouts, each a mapping from our fields to the header names the
 * exporting product writes, plus the headers that identify it. Header names come
 * from these sources (checked 2026-11):
 * - PropertyRadar: the header list, and a full export row in the
 *   replaced system's tests (mrjmd/attackacrack tests/unit/services/
 *   test_propertyradar_import_service.py: "Owner", "Mail City", "Mail State",
 *   "Mail ZIP", "Purchase Date", "Listing Status", "Latitude", "Longitude").
 * - OpenPhone contacts export: "First name", "Last name", "Phone number",
 *   "Email", "Address", "Role", "Company" (mrjmd/attackacrack services/
 *   csv_import_service.py, its OpenPhone format).
 * - Google Contacts "Google CSV": the old export ("Name", "Given Name",
 *   "Additional Name", "Family Name", "E-mail 1 - Value", "Phone 1 - Value",
 *   "Address 1 - Street", "Organization 1 - Name", "Group Membership") and the
 *   2023+ one ("First Name", "Last Name", "Organization Name", "Labels",
 *   "Address 1 - Formatted", "Address 1 - Postal Code", "Address 1 - Region").
 * - Outlook CSV: the Import/Export wizard's columns as listed by Microsoft
 *   ("Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company",
 *   "Home Street", "Home City", "Home State", "Home Postal Code",
 *   "Business Phone", "Home Phone", "Mobile Phone", "Primary Phone",
 *   "E-mail Address", "E-mail 2 Address", "Notes", "Categories").
 * - QuickBooks customer list: QuickBooks Online's customer export and import
 *   template ("Customer", "Display Name As", "Company", "Phone", "Mobile",
 *   "Email", "Billing Address Line 1", "Billing Address City", "Billing Address
 *   State", "Billing Address Postal Code", "Street Address", "Zip", "Open
 *   Balance") and QuickBooks Desktop's ("Bill Address 1", "Bill City",
 *   "Bill Zip", "Main Phone", "Main Email", "Balance Total").
 */

export const LayoutId = Schema.Literals(["propertyradar", "openphone", "google", "outlook", "quickbooks", "generic"])
export type LayoutId = typeof LayoutId.Type

export interface Layout {
  readonly id: LayoutId
  readonly name: string
  /** For each field, the header names that may carry it, in order of preference. */
  readonly fields: Readonly<Partial<Record<ImportField, ReadonlyArray<string>>>>
  /**
   * Headers that together identify the layout, as groups of alternatives (one
   * product writes "Bill Address 1", its online edition "Billing Address Line 1");
   * the score is the share of groups with a header present.
   */
  readonly signature: ReadonlyArray<ReadonlyArray<string>>
}

const range = (make: (n: number) => string, count: number): Array<string> =>
  Array.from({ length: count }, (_, i) => make(i + 1))

export const PROPERTYRADAR: Layout = {
  id: "propertyradar",
  name: "PropertyRadar",
  fields: {
    fullName: ["Primary Name", "Owner"],
    firstName: ["Primary First Name"],
    lastName: ["Primary Last Name"],
    phone: ["Primary Mobile Phone1", "Primary Mobile Phone2", "Primary Phone1"],
    email: ["Primary Email1", "Primary Email2"],
    secondaryFullName: ["Secondary Name"],
    secondaryFirstName: ["Secondary First Name"],
    secondaryLastName: ["Secondary Last Name"],
    secondaryPhone: ["Secondary Mobile Phone1", "Secondary Mobile Phone2", "Secondary Phone1"],
    secondaryEmail: ["Secondary Email1", "Secondary Email2"],
    // The owner's own address is where the mail goes.
    street: ["Mail Address"],
    city: ["Mail City"],
    state: ["Mail State"],
    zip: ["Mail ZIP"],
    propertyStreet: ["Address"],
    propertyCity: ["City"],
    propertyState: ["State"],
    propertyZip: ["ZIP"],
    apn: ["APN"],
    propertyType: ["Type"],
    latitude: ["Latitude"],
    longitude: ["Longitude"],
    yearBuilt: ["Yr Built"],
    squareFeet: ["Sq Ft"],
    beds: ["Beds"],
    baths: ["Baths"],
    estimatedValue: ["Est Value"],
    estimatedEquity: ["Est Equity $"],
    estimatedEquityPercent: ["Est Equity %"],
    purchaseDate: ["Purchase Date"],
    ownerOccupied: ["Owner Occ?"],
    listedForSale: ["Listed for Sale?"],
    listingStatus: ["Listing Status"],
    foreclosure: ["Foreclosure?"],
    mailingStreet: ["Mail Address"],
    mailingCity: ["Mail City"],
    mailingState: ["Mail State"],
    mailingZip: ["Mail ZIP"]
  },
  signature: [
    "APN", "Yr Built", "Sq Ft", "Est Value", "Est Equity $", "Est Equity %", "Owner Occ?", "Listed for Sale?",
    "Foreclosure?", "Mail Address", "Primary Name", "Primary Mobile Phone1", "Primary Email1", "Secondary Name"
  ].map((header) => [header])
}

export const OPENPHONE: Layout = {
  id: "openphone",
  name: "OpenPhone contacts export",
  fields: {
    firstName: ["First name"],
    lastName: ["Last name"],
    phone: ["Phone number", "Phone number 2", "Phone number 3"],
    email: ["Email", "Email 2"],
    company: ["Company"],
    street: ["Address"],
    notes: ["Role"]
  },
  // Sentence case ("First name", "Phone number") is what sets it apart from the
  // generic layout; header matching below is case-sensitive for signatures.
  signature: [["First name"], ["Last name"], ["Phone number"], ["Role"]]
}

export const GOOGLE: Layout = {
  id: "google",
  name: "Google Contacts",
  fields: {
    fullName: ["Name"],
    firstName: ["Given Name", "First Name"],
    lastName: ["Family Name", "Last Name"],
    phone: range((n) => `Phone ${n} - Value`, 5),
    email: range((n) => `E-mail ${n} - Value`, 5),
    company: ["Organization 1 - Name", "Organization Name"],
    street: ["Address 1 - Street"],
    city: ["Address 1 - City"],
    state: ["Address 1 - Region"],
    zip: ["Address 1 - Postal Code"],
    tags: ["Group Membership", "Labels"],
    notes: ["Notes"]
  },
  signature: [
    ["Phone 1 - Value"],
    ["E-mail 1 - Value"],
    ["Phone 1 - Type", "Phone 1 - Label", "E-mail 1 - Type", "E-mail 1 - Label"],
    ["Given Name", "Organization 1 - Name", "Organization Name", "Address 1 - Street", "Address 1 - Formatted"],
    ["Group Membership", "Labels"]
  ]
}

export const OUTLOOK: Layout = {
  id: "outlook",
  name: "Outlook",
  fields: {
    firstName: ["First Name"],
    lastName: ["Last Name"],
    phone: ["Mobile Phone", "Primary Phone", "Home Phone", "Business Phone", "Home Phone 2", "Business Phone 2", "Other Phone", "Car Phone"],
    email: ["E-mail Address", "E-mail 2 Address", "E-mail 3 Address"],
    company: ["Company"],
    street: ["Home Street", "Business Street", "Other Street"],
    street2: ["Home Street 2"],
    city: ["Home City", "Business City", "Other City"],
    state: ["Home State", "Business State", "Other State"],
    zip: ["Home Postal Code", "Business Postal Code", "Other Postal Code"],
    tags: ["Categories"],
    notes: ["Notes"]
  },
  signature: [
    ["Mobile Phone", "Home Phone", "Business Phone", "Primary Phone"],
    ["E-mail Address"],
    ["Middle Name", "Suffix", "Title"],
    ["Home Street", "Business Street", "Home Postal Code", "Business Postal Code"],
    ["Categories", "E-mail Type", "E-mail Display Name"]
  ]
}

export const QUICKBOOKS: Layout = {
  id: "quickbooks",
  name: "QuickBooks customer list",
  fields: {
    fullName: ["Customer", "Display Name As", "Full Name", "Name"],
    firstName: ["First Name"],
    lastName: ["Last Name"],
    phone: ["Phone", "Mobile", "Main Phone", "Phone Numbers", "Alt. Phone", "Alt Phone"],
    email: ["Email", "Main Email"],
    company: ["Company", "Company name", "Company Name"],
    street: ["Billing Address Line 1", "Bill Address 1", "Street Address", "Billing Address"],
    street2: ["Billing Address Line 2", "Bill Address 2"],
    city: ["Billing Address City", "Bill City", "City"],
    state: ["Billing Address State", "Bill State", "State"],
    zip: ["Billing Address Postal Code", "Bill Zip", "Zip"],
    notes: ["Notes", "Note"]
  },
  signature: [
    ["Customer", "Display Name As"],
    ["Open Balance", "Balance Total", "Attachments"],
    ["Billing Address Line 1", "Bill Address 1", "Billing Address", "Street Address"],
    ["Phone", "Main Phone", "Phone Numbers", "Mobile"],
    ["Email", "Main Email"]
  ]
}

/**
 * Whatever a person's spreadsheet calls its columns: headers are compared with
 * case, spaces and punctuation removed, so "First Name", "first_name" and
 * "FIRSTNAME" all match.
 */
export const GENERIC: Layout = {
  id: "generic",
  name: "Generic spreadsheet",
  fields: {
    fullName: ["Name", "Full Name", "Contact", "Contact Name", "Customer", "Owner", "Owner Name"],
    firstName: ["First Name", "First", "Given Name", "FName", "Forename"],
    lastName: ["Last Name", "Last", "Surname", "Family Name", "LName"],
    phone: ["Phone", "Mobile", "Cell", "Mobile Phone", "Cell Phone", "Phone Number", "Telephone", "Tel", "Phone 1", "Phone1", "Phone 2", "Phone2", "Home Phone", "Work Phone"],
    email: ["Email", "E-mail", "Email Address", "E-mail Address", "Email 1", "Email1", "Email 2", "Email2"],
    company: ["Company", "Company Name", "Organization", "Organisation", "Business", "Business Name"],
    street: ["Address", "Street", "Street Address", "Address 1", "Address1", "Address Line 1"],
    street2: ["Address 2", "Address2", "Address Line 2", "Unit", "Apt"],
    city: ["City", "Town"],
    state: ["State", "Province", "Region", "ST"],
    zip: ["Zip", "ZIP Code", "Zipcode", "Postal Code", "Postcode"],
    tags: ["Tags", "Tag", "Labels", "Groups", "Categories"],
    notes: ["Notes", "Note", "Comments"]
  },
  signature: []
}

export const LAYOUTS: ReadonlyArray<Layout> = [PROPERTYRADAR, OPENPHONE, GOOGLE, OUTLOOK, QUICKBOOKS, GENERIC]

/** A named layout wins only when at least this share of its signature is present. */
export const MIN_LAYOUT_SCORE = 0.5

const exact = (header: string): string => header.replace(/^\uFEFF/u, "").trim().replace(/\s+/gu, " ")
const loose = (header: string): string => exact(header).toLowerCase().replace(/[^a-z0-9$%?]/gu, "")

/**
 * Resolves a layout's aliases to the file's own header names. Named layouts
 * match headers ignoring case and spacing; the generic one also ignores
 * punctuation.
 */
export const mappingFor = (layout: Layout, headers: ReadonlyArray<string>): ColumnMapping => {
  const key = layout.id === "generic" ? loose : (header: string) => exact(header).toLowerCase()
  const byKey = new Map<string, string>()
  for (const header of headers) {
    const k = key(header)
    if (k.length > 0 && !byKey.has(k)) byKey.set(k, header)
  }
  const mapping: Partial<Record<ImportField, ReadonlyArray<string>>> = {}
  for (const field of IMPORT_FIELDS) {
    const aliases = layout.fields[field] ?? []
    const found = [...new Set(aliases.flatMap((alias) => {
      const header = byKey.get(key(alias))
      return header === undefined ? [] : [header]
    }))]
    if (found.length > 0) mapping[field] = found
  }
  return mapping
}

/** Share of the layout's signature groups present (exact spelling and case, any spacing). */
export const layoutScore = (layout: Layout, headers: ReadonlyArray<string>): number => {
  if (layout.signature.length === 0) return 0
  const present = new Set(headers.map(exact))
  const hits = layout.signature.filter((group) => group.some((header) => present.has(header))).length
  return hits / layout.signature.length
}

/** A mapping that can make a contact: some name or a phone. */
const canMakeContacts = (mapping: ColumnMapping): boolean =>
  mapping.phone !== undefined || mapping.fullName !== undefined || mapping.firstName !== undefined ||
  mapping.lastName !== undefined || mapping.company !== undefined

export interface ResolvedLayout {
  /** `custom` when an explicit mapping was given with no layout detected. */
  readonly layout: LayoutId | "custom"
  readonly score: number
  readonly mapping: ColumnMapping
  /** Headers no field reads, shown in the preview so nothing is silently ignored. */
  readonly unmappedHeaders: ReadonlyArray<string>
}

export class UnknownLayout extends Schema.TaggedError<UnknownLayout>()("UnknownLayout", {
  headers: Schema.Array(Schema.String),
  message: Schema.String
}) {}

export class InvalidMapping extends Schema.TaggedError<InvalidMapping>()("InvalidMapping", {
  field: Schema.String,
  message: Schema.String
}) {}

/**
 * An explicit mapping as a client sends it (JSON): our field -> a header or a
 * list of headers in order of preference; `null` unmaps a field the detected
 * layout would fill. A header -> field entry ({ "Cell": "phone" }) is read too.
 */
export const MappingInput = Schema.Record(
  Schema.String,
  Schema.NullOr(Schema.Union([Schema.String, Schema.Array(Schema.String)]))
).annotate({
  identifier: "ColumnMappingInput",
  description: "Our field -> CSV header (or headers in order of preference); null unmaps a field",
  examples: [{ fullName: "Owner Name", phone: ["Cell", "Home Phone"], propertyStreet: "Site Address" }]
})
export type MappingInput = typeof MappingInput.Type

const mappedHeaders = (mapping: ColumnMapping): ReadonlySet<string> =>
  new Set(Object.values(mapping).flatMap((headers) => headers ?? []))

const resolved = (layout: LayoutId | "custom", score: number, mapping: ColumnMapping, headers: ReadonlyArray<string>): ResolvedLayout => {
  const used = mappedHeaders(mapping)
  return { layout, score, mapping, unmappedHeaders: headers.filter((header) => !used.has(header)) }
}

/** The best named layout by score (ties go to the earlier one), else the generic one if it can make contacts. */
export const detectLayout = (headers: ReadonlyArray<string>): Result.Result<ResolvedLayout, UnknownLayout> => {
  let best: { readonly layout: Layout; readonly score: number } | undefined
  for (const layout of LAYOUTS) {
    const score = layoutScore(layout, headers)
    if (score >= MIN_LAYOUT_SCORE && (best === undefined || score > best.score)) best = { layout, score }
  }
  if (best !== undefined) return Result.succeed(resolved(best.layout.id, best.score, mappingFor(best.layout, headers), headers))
  const generic = mappingFor(GENERIC, headers)
  if (canMakeContacts(generic)) return Result.succeed(resolved("generic", 0, generic, headers))
  return Result.fail(new UnknownLayout({
    headers: [...headers],
    message: "The columns match no known layout and no name or phone column was found; send a column mapping"
  }))
}

const applyOverride = (
  base: ColumnMapping,
  input: MappingInput,
  headers: ReadonlyArray<string>
): Result.Result<ColumnMapping, InvalidMapping> => {
  const byExact = new Map(headers.map((header) => [exact(header).toLowerCase(), header] as const))
  const out: Partial<Record<ImportField, ReadonlyArray<string>>> = { ...base }
  const setHere = new Set<ImportField>()
  for (const [key, raw] of Object.entries(input)) {
    // Both directions are accepted: { phone: "Cell" } (ours) and
    // { "Cell": "phone" } (header -> field, as spreadsheets' mapping dialogs read).
    const reversed = !isImportField(key) && typeof raw === "string" && isImportField(raw)
    const field = reversed ? raw : key
    const value = reversed ? key : raw
    if (!isImportField(field)) {
      return Result.fail(new InvalidMapping({ field, message: `Unknown field; expected one of ${IMPORT_FIELDS.join(", ")}` }))
    }
    if (value === null) {
      delete out[field]
      continue
    }
    const wanted = typeof value === "string" ? [value] : value
    const found: Array<string> = []
    for (const name of wanted) {
      const header = byExact.get(exact(name).toLowerCase())
      if (header === undefined) return Result.fail(new InvalidMapping({ field, message: `The file has no column "${name}"` }))
      found.push(header)
    }
    // Several headers naming one field ({ "Cell": "phone", "Home": "phone" }) add up in order.
    const earlier = setHere.has(field) ? out[field] ?? [] : []
    setHere.add(field)
    if (earlier.length + found.length === 0) delete out[field]
    else out[field] = [...earlier, ...found]
  }
  return Result.succeed(out)
}

export interface LayoutChoice {
  /** Force a layout instead of detecting one. */
  readonly layout?: LayoutId | undefined
  /** Field -> header overrides, applied over the (detected or forced) layout. */
  readonly mapping?: MappingInput | undefined
}

/**
 * The mapping an import uses: the forced or detected layout, then the explicit
 * mapping over it. An explicit mapping alone is enough for a file no layout
 * recognises, as long as it can make contacts.
 */
export const resolveLayout = (
  headers: ReadonlyArray<string>,
  choice: LayoutChoice = {}
): Result.Result<ResolvedLayout, UnknownLayout | InvalidMapping> => {
  const forced = choice.layout === undefined ? undefined : LAYOUTS.find((layout) => layout.id === choice.layout)
  const base: Result.Result<ResolvedLayout, UnknownLayout> = forced === undefined
    ? detectLayout(headers)
    : Result.succeed(resolved(forced.id, layoutScore(forced, headers), mappingFor(forced, headers), headers))
  if (choice.mapping === undefined) return base
  const start = Result.isSuccess(base) ? base.success : resolved("custom", 0, {}, headers)
  const applied = applyOverride(start.mapping, choice.mapping, headers)
  if (Result.isFailure(applied)) return Result.fail(applied.failure)
  if (!canMakeContacts(applied.success)) {
    return Result.fail(new InvalidMapping({ field: "mapping", message: "Map at least a name, company or phone column" }))
  }
  return Result.succeed(resolved(start.layout, start.score, applied.success, headers))
}
