import { DateTime, Effect } from "effect"
import { type Contact, ContactId } from "../../domain/contact.ts"
import { fillContact, fillProperty, type FieldChanges, noChanges } from "../../domain/import/fill-fields.ts"
import type { ColumnMapping } from "../../domain/import/import-fields.ts"
import type { ImportChange, ImportId, ImportOptions, ImportRowRecord, RowOutcome } from "../../domain/import/import-job.ts"
import { type CandidateContact, type CandidateProperty, mapRow, type RowMapping } from "../../domain/import/row-mapping.ts"
import {
  type Property,
  PropertyId,
  type PropertyLink,
  PropertyLinkId,
  propertyAddressKey,
  propertyZip5,
  withFields
} from "../../domain/property/property.ts"
import { ContactRepository } from "../ports/contact-repository.ts"
import { ContactListRepository } from "../ports/contact-list-repository.ts"
import { Ids } from "../ports/ids.ts"
import type { ImportFileRow } from "../ports/import-files.ts"
import { ImportRepository } from "../ports/import-repository.ts"
import { OptOutLog } from "../ports/opt-out-log.ts"
import { PropertyRepository } from "../ports/property-repository.ts"

export interface BatchSettings {
  readonly importId: ImportId
  readonly options: ImportOptions
  readonly mapping: ColumnMapping
  readonly layout: string
}

/** What one entity of a row came to. */
type EntityResult =
  | { readonly outcome: "created" | "updated" | "unchanged" | "merged_in_file"; readonly id: string }
  | { readonly outcome: "skipped"; readonly reason: string }

// A row's outcome is the strongest of its contacts' and property's.
const RANK: Record<RowOutcome, number> = { created: 5, updated: 4, merged_in_file: 3, unchanged: 2, skipped: 1, rejected: 0 }

const OPTED_OUT = "Opted out"
const EXISTS = "Already exists (mode create_only)"
const NO_MATCH = "No matching contact (mode update_only)"

const addressKeyOf = (key: string, zip: string | null) => `${key}|${zip ?? ""}`

/**
 * Working state of one batch: what the database held for the batch's phones,
 * emails, APNs and addresses, plus what earlier rows of the batch did, so a
 * row sees the rows before it (in-file duplicates).
 */
const makeState = () => ({
  contacts: new Map<string, Contact>(),
  byPhone: new Map<string, string>(),
  byEmail: new Map<string, string>(),
  properties: new Map<string, Property>(),
  byApn: new Map<string, string>(),
  byAddress: new Map<string, string>(),
  /** Entities this import created or changed, earlier in the file. */
  touched: new Set<string>(),
  createdContacts: new Set<string>(),
  changedContacts: new Set<string>(),
  createdProperties: new Set<string>(),
  changedProperties: new Set<string>(),
  changes: new Map<string, ImportChange>(),
  links: new Array<PropertyLink>()
})
type State = ReturnType<typeof makeState>

const indexContact = (state: State, contact: Contact) => {
  state.contacts.set(contact.id, contact)
  // The first contact found for a number keeps it (lowest id: the oldest).
  if (contact.phone !== null && !state.byPhone.has(contact.phone)) state.byPhone.set(contact.phone, contact.id)
  if (contact.email !== null && !state.byEmail.has(contact.email)) state.byEmail.set(contact.email, contact.id)
}

const indexProperty = (state: State, property: Property) => {
  state.properties.set(property.id, property)
  if (property.apn !== null && !state.byApn.has(property.apn)) state.byApn.set(property.apn, property.id)
  const key = addressKeyOf(property.addressKey, propertyZip5(property.address))
  if (!state.byAddress.has(key)) state.byAddress.set(key, property.id)
}

const recordChange = (state: State, entity: "contact" | "property", id: string, changes: FieldChanges | null) => {
  const key = `${entity}:${id}`
  const earlier = state.changes.get(key)
  if (changes === null) {
    state.changes.set(key, { entity, entityId: id, action: "created", before: null, after: null })
  } else if (earlier === undefined) {
    state.changes.set(key, { entity, entityId: id, action: "updated", before: changes.before, after: changes.after })
  } else if (earlier.action === "updated") {
    // The earliest value before and the latest after, field by field.
    const before = typeof earlier.before === "object" && earlier.before !== null ? earlier.before : {}
    const after = typeof earlier.after === "object" && earlier.after !== null ? earlier.after : {}
    state.changes.set(key, {
      ...earlier,
      before: { ...changes.before, ...Object.fromEntries(Object.entries(before)) },
      after: { ...Object.fromEntries(Object.entries(after)), ...changes.after }
    })
  }
}

/**
 * Imports one batch of rows: every row gets exactly one outcome, and the
 * contacts, properties, links, outcomes, revert snapshots and checkpoint are
 * written together (the caller runs this in one transaction). Answers false
 * when the batch was already committed (a replay after a crash).
 */
/** A row of the file as mapping made it, or why it could not be read. */
export type MappedFileRow = RowMapping | { readonly _tag: "Unreadable"; readonly reason: string }

/**
 * Maps a batch's rows (pure, so it can run ahead of the database: the
 * workflow maps the next batch while this one is written).
 */
export const mapBatch = (mapping: ColumnMapping, rows: ReadonlyArray<ImportFileRow>): ReadonlyArray<MappedFileRow> =>
  rows.map((row) =>
    row.values === null ? { _tag: "Unreadable", reason: row.problem ?? "Unreadable row" } : mapRow(row.values, mapping)
  )

export const importBatch = Effect.fn("Imports.batch")(function*(
  settings: BatchSettings,
  rows: ReadonlyArray<ImportFileRow>,
  premapped?: ReadonlyArray<MappedFileRow>
) {
  const importsRepo = yield* ImportRepository
  const contactsRepo = yield* ContactRepository
  const propertiesRepo = yield* PropertyRepository
  const lists = yield* ContactListRepository
  const optOuts = yield* OptOutLog
  const ids = yield* Ids
  const lastRow = rows.at(-1)?.rowNumber
  if (lastRow === undefined) return false
  const job = yield* importsRepo.findById(settings.importId)
  if (job._tag === "None" || job.value.checkpointRow >= lastRow) return false
  const now = yield* DateTime.now
  const { mode, overwrite } = settings.options

  const mapped = premapped ?? mapBatch(settings.mapping, rows)
  const candidates = mapped.flatMap((row) => (row._tag === "Mapped" ? row.contacts : []))
  const phones = [...new Set(candidates.flatMap((c) => (c.fields.phone === null ? [] : [c.fields.phone])))]
  const emails = [...new Set(candidates.flatMap((c) => (c.fields.email === null ? [] : [c.fields.email])))]
  const places = mapped.flatMap((row) => (row._tag === "Mapped" && row.property !== null ? [row.property] : []))
  const apns = [...new Set(places.flatMap((p) => (p.fields.apn === null ? [] : [p.fields.apn])))]
  const addresses = places.map((p) => ({ addressKey: propertyAddressKey(p.fields.address), zip5: propertyZip5(p.fields.address) }))

  const [byPhone, byEmail, optedOut, byApn, byAddress] = yield* Effect.all([
    contactsRepo.findManyByPhones(phones),
    contactsRepo.findManyByEmails(emails),
    optOuts.optedOutAmong(phones),
    propertiesRepo.findManyByApn(apns),
    propertiesRepo.findManyByAddressKey(addresses)
  ])
  const state = makeState()
  for (const contact of [...byPhone, ...byEmail].sort((a, b) => (a.id < b.id ? -1 : 1))) indexContact(state, contact)
  for (const property of [...byApn, ...byAddress].sort((a, b) => (a.id < b.id ? -1 : 1))) indexProperty(state, property)
  for (const id of yield* importsRepo.touched(settings.importId, "contact", [...state.contacts.keys()])) state.touched.add(id)
  for (const id of yield* importsRepo.touched(settings.importId, "property", [...state.properties.keys()])) state.touched.add(id)

  const importContact = (candidate: CandidateContact) =>
    Effect.gen(function*() {
      const { email, phone } = candidate.fields
      if (phone !== null && optedOut.has(phone)) return { outcome: "skipped", reason: OPTED_OUT } satisfies EntityResult
      const matchId = (phone === null ? undefined : state.byPhone.get(phone)) ?? (email === null ? undefined : state.byEmail.get(email))
      const match = matchId === undefined ? undefined : state.contacts.get(matchId)
      if (match !== undefined) {
        const inFile = state.touched.has(match.id)
        if (!inFile && mode === "create_only") return { outcome: "skipped", reason: EXISTS } satisfies EntityResult
        // A second row for someone met earlier in the file fills gaps only: the first row wins.
        const filled = fillContact(match, candidate.fields, overwrite && !inFile)
        if (!noChanges(filled.changes)) {
          const next: Contact = { ...match, ...filled.fields, updatedAt: now }
          indexContact(state, next)
          if (!state.createdContacts.has(match.id)) {
            state.changedContacts.add(match.id)
            recordChange(state, "contact", match.id, filled.changes)
          }
        }
        state.touched.add(match.id)
        const outcome = inFile ? "merged_in_file" : noChanges(filled.changes) ? "unchanged" : "updated"
        return { outcome, id: match.id } satisfies EntityResult
      }
      if (mode === "update_only") return { outcome: "skipped", reason: NO_MATCH } satisfies EntityResult
      const id = ContactId.make(yield* ids.next)
      const contact: Contact = {
        id,
        ...candidate.fields,
        status: "active",
        mergedIntoId: null,
        source: "import",
        createdAt: now,
        updatedAt: now
      }
      indexContact(state, contact)
      state.createdContacts.add(id)
      state.touched.add(id)
      recordChange(state, "contact", id, null)
      return { outcome: "created", id } satisfies EntityResult
    })

  const importProperty = (candidate: CandidateProperty) =>
    Effect.gen(function*() {
      const { fields } = candidate
      const key = addressKeyOf(propertyAddressKey(fields.address), propertyZip5(fields.address))
      const byAddressId = state.byAddress.get(key)
      const addressMatch = byAddressId === undefined ? undefined : state.properties.get(byAddressId)
      const matchId = (fields.apn === null ? undefined : state.byApn.get(fields.apn)) ??
        // An address match with another APN is another parcel.
        (addressMatch !== undefined && (addressMatch.apn === null || fields.apn === null) ? addressMatch.id : undefined)
      const match = matchId === undefined ? undefined : state.properties.get(matchId)
      if (match !== undefined) {
        const inFile = state.touched.has(match.id)
        if (!inFile && mode === "create_only") return { outcome: "unchanged", id: match.id } satisfies EntityResult
        const filled = fillProperty(match, fields, overwrite && !inFile)
        if (!noChanges(filled.changes)) {
          indexProperty(state, withFields({ ...match, updatedAt: now }, filled.fields))
          if (!state.createdProperties.has(match.id)) {
            state.changedProperties.add(match.id)
            recordChange(state, "property", match.id, filled.changes)
          }
        }
        state.touched.add(match.id)
        const outcome = inFile ? "merged_in_file" : noChanges(filled.changes) ? "unchanged" : "updated"
        return { outcome, id: match.id } satisfies EntityResult
      }
      if (mode === "update_only") return { outcome: "skipped", reason: "No matching property (mode update_only)" } satisfies EntityResult
      const id = PropertyId.make(yield* ids.next)
      indexProperty(state, withFields({ id, createdAt: now, updatedAt: now }, fields))
      state.createdProperties.add(id)
      state.touched.add(id)
      recordChange(state, "property", id, null)
      return { outcome: "created", id } satisfies EntityResult
    })

  const records: Array<ImportRowRecord> = []
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    const result = mapped[i]!
    const base = { rowNumber: row.rowNumber, reason: null, field: null, contactIds: [], propertyId: null, raw: null }
    if (result._tag === "Unreadable") {
      records.push({ ...base, outcome: "rejected", field: "row", reason: result.reason, raw: row.raw })
      continue
    }
    if (result._tag === "Rejected") {
      const reason = result.column.length > 0 ? `${result.column}: ${result.reason}` : result.reason
      records.push({ ...base, outcome: "rejected", field: result.field, reason, raw: row.raw })
      continue
    }
    if (result._tag === "Skipped") {
      records.push({ ...base, outcome: "skipped", reason: result.reason })
      continue
    }
    const people: Array<{ readonly slot: CandidateContact["slot"]; readonly result: EntityResult }> = []
    for (const candidate of result.contacts) people.push({ slot: candidate.slot, result: yield* importContact(candidate) })
    const kept = people.flatMap((p) => (p.result.outcome === "skipped" ? [] : [{ slot: p.slot, id: p.result.id }]))
    // Every person of the row skipped (opted out, exists, no match): the row is skipped, its house untouched.
    if (people.length > 0 && kept.length === 0) {
      const first = people[0]!.result
      records.push({ ...base, outcome: "skipped", reason: first.outcome === "skipped" ? first.reason : null })
      continue
    }
    const house = result.property === null ? null : yield* importProperty(result.property)
    const results = [...people.map((p) => p.result), ...(house === null ? [] : [house])]
    const best = results.reduce((a, b) => (RANK[b.outcome] > RANK[a.outcome] ? b : a))
    const propertyId = house !== null && house.outcome !== "skipped" ? house.id : null
    if (propertyId !== null) {
      for (const person of kept) {
        state.links.push({
          id: PropertyLinkId.make(yield* ids.next),
          propertyId: PropertyId.make(propertyId),
          contactId: ContactId.make(person.id),
          role: "owner",
          isPrimary: person.slot === "primary",
          createdAt: now
        })
      }
    }
    records.push({
      ...base,
      outcome: best.outcome,
      reason: best.outcome === "skipped" ? best.reason : null,
      contactIds: kept.map((p) => p.id),
      propertyId
    })
  }

  const contactsOf = (set: ReadonlySet<string>) => [...set].flatMap((id) => {
    const contact = state.contacts.get(id)
    return contact === undefined ? [] : [contact]
  })
  const propertiesOf = (set: ReadonlySet<string>) => [...set].flatMap((id) => {
    const property = state.properties.get(id)
    return property === undefined ? [] : [property]
  })
  yield* contactsRepo.insertMany(contactsOf(state.createdContacts))
  yield* contactsRepo.updateMany(contactsOf(state.changedContacts))
  // APNs were matched first, so a clash here is another writer's parcel of
  // the same moment: the batch fails and is retried whole.
  yield* propertiesRepo.insertMany(propertiesOf(state.createdProperties)).pipe(Effect.orDie)
  yield* propertiesRepo.updateMany(propertiesOf(state.changedProperties)).pipe(Effect.orDie)
  yield* propertiesRepo.linkMany(state.links)
  const touchedContacts = [...new Set(records.flatMap((record) => record.contactIds))].map((id) => ContactId.make(id))
  yield* lists.recordImported(touchedContacts.map((contactId) => ({ importId: settings.importId, contactId, importedAt: now })))
  if (settings.options.listId !== null && touchedContacts.length > 0) {
    // The list was checked when the import was queued; deleted since, the members have nowhere to go.
    yield* lists.addMembers(settings.options.listId, touchedContacts, { addedAt: now, importId: settings.importId }).pipe(
      Effect.catchTag("ContactListNotFound", () => Effect.succeed(0))
    )
  }
  const committed = yield* importsRepo.commitBatch(settings.importId, {
    rows: records,
    changes: [...state.changes.values()],
    lastRow,
    layout: settings.layout
  })
  // Checked above in the same transaction; a false here means a concurrent
  // runner, and everything above must roll back with it.
  if (!committed) return yield* Effect.die(new Error(`import ${settings.importId}: batch ending at row ${lastRow} committed twice`))
  return true
})
