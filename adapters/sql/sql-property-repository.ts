import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient, type SqlError, type Statement } from "effect/sql"
import { searchWords } from "../../application/contacts/search-words.ts"
import { type AddressMatch, PropertyRepository, type PropertyQuery } from "../../application/ports/property-repository.ts"
import { ApnInUse } from "../../application/properties/property-errors.ts"
import type { Property, PropertyLink } from "../../domain/property/property.ts"
import { likePattern } from "./like-pattern.ts"
import { arrayParameter, OID } from "./pg-arrays.ts"
import {
  decodeLinked,
  decodeLinks,
  decodeProperties,
  LINK_COLUMNS,
  LINKED_COLUMNS,
  PROPERTY_COLUMNS,
  WRITTEN_COLUMNS
} from "./property-row.ts"

const decodeConflicts = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ id: Schema.String, apn: Schema.String })))
const decodeCount = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ count: Schema.Int })))

/** An APN written twice in one batch conflicts with a row that does not exist yet. */
const duplicateInBatch = (rows: ReadonlyArray<Property>): ApnInUse | undefined => {
  const seen = new Set<string>()
  for (const row of rows) {
    if (row.apn === null) continue
    if (seen.has(row.apn)) return new ApnInUse({ apn: row.apn, existingId: null })
    seen.add(row.apn)
  }
  return undefined
}

export const SqlPropertyRepository = Layer.effect(
  PropertyRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal(PROPERTY_COLUMNS)
    const linkColumns = sql.literal(LINK_COLUMNS)
    const one = (rows: ReadonlyArray<unknown>) => Effect.map(decodeProperties(rows), (list) => Option.fromNullishOr(list[0]))

    /**
     * The rows as one text array per column (pg-arrays.ts), each cast back to
     * its column's type: one statement per batch whatever its size, cheaper
     * for PostgreSQL to read than a JSON document (issue 9's import speed).
     */
    const recordset = (rows: ReadonlyArray<Property>) =>
      Effect.map(
        Effect.forEach(WRITTEN_COLUMNS, ([, , get]) =>
          arrayParameter(OID.text, rows.map((row) => {
            const value = get(row)
            return value === null || value === undefined ? null : String(value)
          }))),
        (parameters) =>
          sql`(SELECT ${sql.literal(WRITTEN_COLUMNS.map(([name, type]) => `u.${name}::${type} AS ${name}`).join(", "))}
                FROM unnest(${sql.csv(parameters.map((parameter) => sql`${parameter}`))})
                AS u(${sql.literal(WRITTEN_COLUMNS.map(([name]) => name).join(", "))})) AS d`
      )

    /**
     * Finds the APN conflict a write would hit, so the caller gets the
     * existing property's id; the constraint still guards against races.
     */
    const checkApns = (rows: ReadonlyArray<Property>) =>
      Effect.gen(function*() {
        const inBatch = duplicateInBatch(rows)
        if (inBatch !== undefined) return yield* inBatch
        const apns = rows.flatMap((row) => (row.apn === null ? [] : [row.apn]))
        if (apns.length === 0) return
        const taken = yield* sql`
          SELECT id::text AS id, apn FROM properties
           WHERE apn = ANY(${apns}::text[]) AND NOT (id = ANY(${rows.map((row) => row.id)}::uuid[]))
           LIMIT 1`.pipe(Effect.flatMap(decodeConflicts), Effect.orDie)
        const first = taken[0]
        if (first !== undefined) return yield* new ApnInUse({ apn: first.apn, existingId: first.id })
      })

    /** Runs a write after the APN check; a unique violation then means a concurrent writer took an APN. */
    const write = <A, R>(rows: ReadonlyArray<Property>, statement: (source: Statement.Fragment) => Effect.Effect<A, SqlError.SqlError, R>) =>
      checkApns(rows).pipe(
        Effect.andThen(recordset(rows)),
        Effect.flatMap(statement),
        Effect.catchReason("SqlError", "UniqueViolation", () =>
          Effect.fail(new ApnInUse({ apn: rows.find((row) => row.apn !== null)?.apn ?? "", existingId: null }))),
        Effect.catchTag("SqlError", Effect.die),
        Effect.asVoid
      )

    const insertMany = (rows: ReadonlyArray<Property>) =>
      rows.length === 0 ? Effect.void : write(rows, (source) => sql`
        INSERT INTO properties (${sql.literal(WRITTEN_COLUMNS.map(([name]) => name).join(", "))})
        SELECT * FROM ${source}`)

    // Every column but the id and the creation time, which is the row's own.
    const updated = WRITTEN_COLUMNS.filter(([name]) => name !== "id" && name !== "created_at")
      .map(([name]) => `${name} = d.${name}`)
      .join(", ")

    const updateMany = (rows: ReadonlyArray<Property>) =>
      rows.length === 0 ? Effect.void : write(rows, (source) => sql`
        UPDATE properties p SET ${sql.literal(updated)}
          FROM ${source}
         WHERE p.id = d.id`)

    const list = (query: PropertyQuery) => {
      const conditions = [
        query.after === undefined ? sql`TRUE` : sql`p.id > ${query.after}`,
        query.zip === undefined ? sql`TRUE` : sql`p.zip5 = ${query.zip}`,
        query.contactId === undefined
          ? sql`TRUE`
          : sql`EXISTS (SELECT 1 FROM contact_properties l WHERE l.property_id = p.id AND l.contact_id = ${query.contactId})`,
        // search_text is lower-cased and trigram-indexed.
        ...searchWords(query.q ?? "").map((word) => sql`p.search_text ILIKE ${likePattern(word)}`)
      ]
      return sql`SELECT ${columns} FROM properties p WHERE ${sql.and(conditions)} ORDER BY p.id LIMIT ${query.limit}`.pipe(
        Effect.flatMap(decodeProperties),
        Effect.orDie
      )
    }

    // The key alone finds the rows through the index; the pairs then keep the right ZIPs.
    const addressCondition = (matches: ReadonlyArray<AddressMatch>) => {
      const keys = matches.map((m) => m.addressKey)
      return sql`p.address_key = ANY(${keys}::text[]) AND (p.address_key, coalesce(p.zip5, '')) IN (
        SELECT * FROM unnest(${keys}::text[], ${matches.map((m) => m.zip5 ?? "")}::text[]))`
    }

    const findManyByAddressKey = (matches: ReadonlyArray<AddressMatch>) =>
      matches.length === 0 ? Effect.succeed([]) : sql`
        SELECT ${columns} FROM properties p WHERE ${addressCondition(matches)} ORDER BY p.id`.pipe(
        Effect.flatMap(decodeProperties),
        Effect.orDie
      )

    /**
     * Clears the property's other primary first: the partial unique index
     * allows one. A link made not primary also drops the flag its contact
     * inherits from a merged contact's link (see property-row.ts).
     */
    const saveLink = (link: PropertyLink) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* link.isPrimary
          ? sql`
            UPDATE contact_properties SET is_primary = false
             WHERE property_id = ${link.propertyId} AND is_primary AND contact_id <> ${link.contactId}`
          : sql`
            UPDATE contact_properties SET is_primary = false
             WHERE property_id = ${link.propertyId} AND is_primary
               AND contact_id IN (SELECT id FROM contacts WHERE merged_into_id = ${link.contactId})`
        yield* sql`
          INSERT INTO contact_properties (id, contact_id, property_id, role, is_primary, created_at)
          VALUES (${link.id}, ${link.contactId}, ${link.propertyId}, ${link.role}, ${link.isPrimary},
                  ${DateTime.toDateUtc(link.createdAt)})
          ON CONFLICT (property_id, contact_id) DO UPDATE SET role = EXCLUDED.role, is_primary = EXCLUDED.is_primary`
      })).pipe(Effect.orDie)

    // The primary flag is granted in the statement itself: to the first link
    // of the batch asking for it, when its property has no primary yet.
    const linkMany = (links: ReadonlyArray<PropertyLink>) =>
      links.length === 0 ? Effect.succeed(0) : sql`
        WITH d AS (
          SELECT * FROM unnest(
            ${links.map((l) => l.id)}::uuid[], ${links.map((l) => l.contactId)}::uuid[], ${links.map((l) => l.propertyId)}::uuid[],
            ${links.map((l) => l.role)}::text[], ${links.map((l) => l.isPrimary)}::bool[],
            ${links.map((l) => DateTime.formatIso(l.createdAt))}::timestamptz[]
          ) WITH ORDINALITY AS d(id, contact_id, property_id, role, is_primary, created_at, ord)
        ), fresh AS (
          SELECT DISTINCT ON (d.property_id, d.contact_id) d.* FROM d
           WHERE NOT EXISTS (SELECT 1 FROM contact_properties c WHERE c.property_id = d.property_id AND c.contact_id = d.contact_id)
           ORDER BY d.property_id, d.contact_id, d.ord
        ), ranked AS (
          SELECT f.*, row_number() OVER (PARTITION BY f.property_id, f.is_primary ORDER BY f.ord) AS nth FROM fresh f
        ), inserted AS (
          INSERT INTO contact_properties (id, contact_id, property_id, role, is_primary, created_at)
          SELECT r.id, r.contact_id, r.property_id, r.role,
                 r.is_primary AND r.nth = 1 AND NOT EXISTS (
                   SELECT 1 FROM contact_properties c WHERE c.property_id = r.property_id AND c.is_primary),
                 r.created_at
            FROM ranked r ORDER BY r.ord
          ON CONFLICT DO NOTHING
          RETURNING 1
        )
        SELECT count(*)::int AS count FROM inserted`.pipe(
        Effect.flatMap(decodeCount),
        Effect.map((rows) => rows[0]?.count ?? 0),
        Effect.orDie
      )

    return PropertyRepository.of({
      insert: (property) => insertMany([property]),
      update: (property) => updateMany([property]),
      findById: (id) => sql`SELECT ${columns} FROM properties p WHERE p.id = ${id}`.pipe(Effect.flatMap(one), Effect.orDie),
      findByIdForUpdate: (id) =>
        sql`SELECT ${columns} FROM properties p WHERE p.id = ${id} FOR UPDATE`.pipe(Effect.flatMap(one), Effect.orDie),
      findByApn: (apn) => sql`SELECT ${columns} FROM properties p WHERE p.apn = ${apn}`.pipe(Effect.flatMap(one), Effect.orDie),
      findByAddressKey: (match) => findManyByAddressKey([match]),
      delete: (id) =>
        sql`DELETE FROM properties WHERE id = ${id} RETURNING id`.pipe(Effect.map((rows) => rows.length > 0), Effect.orDie),
      list,
      findLink: (propertyId, contactId) =>
        sql`SELECT ${linkColumns} FROM contact_properties l WHERE l.property_id = ${propertyId} AND l.contact_id = ${contactId}`.pipe(
          Effect.flatMap(decodeLinks),
          Effect.map((links) => Option.fromNullishOr(links[0])),
          Effect.orDie
        ),
      linksOf: (propertyId) =>
        sql`
          SELECT ${linkColumns} FROM contact_properties l JOIN contacts c ON c.id = l.contact_id AND c.status = 'active'
           WHERE l.property_id = ${propertyId} ORDER BY is_primary DESC, l.id`.pipe(
          Effect.flatMap(decodeLinks),
          Effect.orDie
        ),
      saveLink,
      // The flag a merged contact's link left to this contact goes with the link.
      unlink: (propertyId, contactId) =>
        sql.withTransaction(Effect.gen(function*() {
          yield* sql`
            UPDATE contact_properties SET is_primary = false
             WHERE property_id = ${propertyId} AND is_primary
               AND contact_id IN (SELECT id FROM contacts WHERE merged_into_id = ${contactId})`
          const rows = yield* sql`DELETE FROM contact_properties WHERE property_id = ${propertyId} AND contact_id = ${contactId} RETURNING id`
          return rows.length > 0
        })).pipe(Effect.orDie),
      listByContact: (query) =>
        sql`
          SELECT ${sql.literal(LINKED_COLUMNS)}
            FROM contact_properties l JOIN properties p ON p.id = l.property_id
           WHERE l.contact_id = ${query.contactId} ${query.after === undefined ? sql`` : sql`AND p.id > ${query.after}`}
           ORDER BY p.id LIMIT ${query.limit}`.pipe(Effect.flatMap(decodeLinked), Effect.orDie),
      findManyByApn: (apns) =>
        apns.length === 0 ? Effect.succeed([]) : sql`
          SELECT ${columns} FROM properties p WHERE p.apn = ANY(${[...apns]}::text[]) ORDER BY p.id`.pipe(
          Effect.flatMap(decodeProperties),
          Effect.orDie
        ),
      findManyByAddressKey,
      insertMany,
      updateMany,
      linkMany
    })
  })
)
