import { Effect, Layer, Option, Ref } from "effect"
import type { Property, PropertyLink } from "../../domain/property/property.ts"
import { propertyZip5 } from "../../domain/property/property.ts"
import { searchWords } from "../contacts/search-words.ts"
import { type AddressMatch, PropertyRepository, type PropertyQuery } from "../ports/property-repository.ts"
import { ApnInUse } from "../properties/property-errors.ts"
import { byId, keysetPage, MemoryStore, type MemoryState, withoutKeys } from "./memory-store.ts"

/** The SQL table's generated search_text. */
const searchText = (p: Property): string =>
  [p.address.line1, p.address.line2 ?? "", p.address.city ?? "", p.address.state ?? "", p.address.zip ?? "", p.apn ?? ""]
    .join(" ")
    .toLowerCase()

const linksOfContact = (s: MemoryState, contactId: string) =>
  [...s.propertyLinks.values()].filter((link) => link.contactId === contactId)

const matches = (s: MemoryState, query: PropertyQuery) => {
  const linked = query.contactId === undefined ? undefined : new Set(linksOfContact(s, query.contactId).map((l) => l.propertyId))
  return (p: Property): boolean =>
    (query.zip === undefined || propertyZip5(p.address) === query.zip) &&
    (linked === undefined || linked.has(p.id)) &&
    (query.q === undefined || searchWords(query.q).every((word) => searchText(p).includes(word)))
}

const sameAddress = (p: Property, match: AddressMatch) => p.addressKey === match.addressKey && propertyZip5(p.address) === match.zip5

/**
 * The UNIQUE (apn) constraint over the rows as they would be after writing
 * `rows`; an APN twice in the batch names no existing property, as in SQL.
 */
const apnConflict = (s: MemoryState, rows: ReadonlyArray<Property>): ApnInUse | undefined => {
  const batch = new Set(rows.map((row) => row.id))
  const seen = new Set<string>()
  for (const row of rows) {
    if (row.apn === null) continue
    if (seen.has(row.apn)) return new ApnInUse({ apn: row.apn, existingId: null })
    seen.add(row.apn)
  }
  for (const row of rows) {
    const other = [...s.properties.values()].find((p) => p.apn === row.apn && row.apn !== null && !batch.has(p.id))
    if (other !== undefined && row.apn !== null) return new ApnInUse({ apn: row.apn, existingId: other.id })
  }
  return undefined
}

/** Writes rows all or nothing, as one SQL statement would. */
const write = (state: Ref.Ref<MemoryState>, rows: ReadonlyArray<Property>, existingOnly: boolean) =>
  Effect.flatten(Ref.modify(state, (s): readonly [Effect.Effect<void, ApnInUse>, MemoryState] => {
    // As the SQL UPDATE: absent rows stay absent, and the creation time is the row's own.
    const kept = existingOnly
      ? rows.flatMap((row) => {
        const current = s.properties.get(row.id)
        return current === undefined ? [] : [{ ...row, createdAt: current.createdAt }]
      })
      : rows
    const conflict = apnConflict(s, kept)
    if (conflict !== undefined) return [Effect.fail(conflict), s]
    const properties = new Map(s.properties)
    for (const row of kept) properties.set(row.id, row)
    return [Effect.void, { ...s, properties }]
  }))

/** Primary first, then in link (creation) order, as the SQL ORDER BY. */
const linkOrder = (a: PropertyLink, b: PropertyLink) => (a.isPrimary === b.isPrimary ? byId(a, b) : a.isPrimary ? -1 : 1)

/** Links of contacts merged into `contactId`, to the same property (left behind by a merge). */
const leftBehind = (s: MemoryState, propertyId: string, contactId: string) =>
  [...s.propertyLinks.values()].filter((h) => h.propertyId === propertyId && s.contacts.get(h.contactId)?.mergedIntoId === contactId)

/** As the SQL's EFFECTIVE_PRIMARY: a merged contact's primary link left behind makes its primary's link read as primary. */
const effective = (s: MemoryState) => (link: PropertyLink): PropertyLink =>
  link.isPrimary || !leftBehind(s, link.propertyId, link.contactId).some((h) => h.isPrimary) ? link : { ...link, isPrimary: true }

const unflag = (links: Map<string, PropertyLink>, rows: ReadonlyArray<PropertyLink>) => {
  for (const row of rows) if (row.isPrimary) links.set(row.id, { ...row, isPrimary: false })
}

const withLink = (s: MemoryState, link: PropertyLink): MemoryState => {
  const links = new Map(s.propertyLinks)
  unflag(
    links,
    link.isPrimary
      ? [...links.values()].filter((other) => other.propertyId === link.propertyId && other.contactId !== link.contactId)
      : leftBehind(s, link.propertyId, link.contactId)
  )
  const existing = [...links.values()].find((l) => l.propertyId === link.propertyId && l.contactId === link.contactId)
  const saved = existing === undefined ? link : { ...existing, role: link.role, isPrimary: link.isPrimary }
  links.set(saved.id, saved)
  return { ...s, propertyLinks: links }
}

export const MemoryPropertyRepository = Layer.effect(
  PropertyRepository,
  Effect.gen(function*() {
    const { state } = yield* MemoryStore
    const read = <A>(f: (s: MemoryState) => A) => Effect.map(Ref.get(state), f)
    const findById = (id: string) => read((s) => Option.fromNullishOr(s.properties.get(id)))

    return PropertyRepository.of({
      insert: (property) => write(state, [property], false),
      update: (property) => write(state, [property], true),
      findById,
      findByIdForUpdate: findById,
      findByApn: (apn) => read((s) => Option.fromNullishOr([...s.properties.values()].find((p) => p.apn === apn))),
      findByAddressKey: (match) => read((s) => [...s.properties.values()].filter((p) => sameAddress(p, match)).sort(byId)),
      delete: (id) =>
        Ref.modify(state, (s): readonly [boolean, MemoryState] => {
          if (!s.properties.has(id)) return [false, s]
          const links = [...s.propertyLinks.values()].filter((l) => l.propertyId === id).map((l) => l.id)
          return [true, { ...s, properties: withoutKeys(s.properties, [id]), propertyLinks: withoutKeys(s.propertyLinks, links) }]
        }),
      list: (query) => read((s) => keysetPage(s.properties.values(), query, matches(s, query))),
      findLink: (propertyId, contactId) =>
        read((s) =>
          Option.map(
            Option.fromNullishOr([...s.propertyLinks.values()].find((l) => l.propertyId === propertyId && l.contactId === contactId)),
            effective(s)
          )
        ),
      linksOf: (propertyId) =>
        read((s) =>
          [...s.propertyLinks.values()]
            .filter((l) => l.propertyId === propertyId && s.contacts.get(l.contactId)?.status === "active")
            .map(effective(s))
            .sort(linkOrder)
        ),
      saveLink: (link) => Ref.update(state, (s) => withLink(s, link)),
      unlink: (propertyId, contactId) =>
        Ref.modify(state, (s): readonly [boolean, MemoryState] => {
          const link = [...s.propertyLinks.values()].find((l) => l.propertyId === propertyId && l.contactId === contactId)
          if (link === undefined) return [false, s]
          const links = new Map(s.propertyLinks)
          unflag(links, leftBehind(s, propertyId, contactId))
          links.delete(link.id)
          return [true, { ...s, propertyLinks: links }]
        }),
      listByContact: (query) =>
        read((s) => {
          const links = new Map(linksOfContact(s, query.contactId).map((link) => [link.propertyId, effective(s)(link)]))
          return keysetPage(s.properties.values(), query, (p) => links.has(p.id)).flatMap((property) => {
            const link = links.get(property.id)
            return link === undefined ? [] : [{ property, link }]
          })
        }),
      findManyByApn: (apns) => read((s) => [...s.properties.values()].filter((p) => p.apn !== null && apns.includes(p.apn)).sort(byId)),
      findManyByAddressKey: (list) =>
        read((s) => [...s.properties.values()].filter((p) => list.some((match) => sameAddress(p, match))).sort(byId)),
      insertMany: (properties) => write(state, properties, false),
      updateMany: (properties) => write(state, properties, true),
      linkMany: (links) =>
        Ref.modify(state, (s): readonly [number, MemoryState] => {
          let next = s
          let added = 0
          for (const link of links) {
            const taken = [...next.propertyLinks.values()]
            if (taken.some((l) => l.propertyId === link.propertyId && l.contactId === link.contactId)) continue
            const hasPrimary = taken.some((l) => l.propertyId === link.propertyId && l.isPrimary)
            next = withLink(next, { ...link, isPrimary: link.isPrimary && !hasPrimary })
            added++
          }
          return [added, next]
        })
    })
  })
)
