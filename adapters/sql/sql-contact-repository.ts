import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { ContactRepository, type ContactQuery } from "../../application/ports/contact-repository.ts"
import { searchWords } from "../../application/contacts/search-words.ts"
import { type Contact, ContactId } from "../../domain/contact.ts"
import { DuplicateReason } from "../../domain/duplicates.ts"
import { likePattern } from "./like-pattern.ts"
import { CONTACT_COLUMNS, type ContactRow, contactToRow, decodeContactRows } from "./contact-row.ts"
import { arrayLiteral, arrayParameter, OID } from "./pg-arrays.ts"

const DuplicatePairRow = Schema.Struct({
  first_id: ContactId,
  second_id: ContactId,
  reasons: Schema.Array(DuplicateReason)
})
const decodePairs = Schema.decodeUnknownEffect(Schema.Array(DuplicatePairRow))
const IdentityRow = Schema.Struct({ id: ContactId, field: Schema.Literals(["phone", "email"]) })
const decodeOwners = Schema.decodeUnknownEffect(Schema.Array(IdentityRow))

/** Every column of a Contact: element type, value, and the cast back for arrays sent as literals. */
const BATCH_COLUMNS: ReadonlyArray<readonly [string, number, (row: ContactRow) => unknown, string?]> = [
  ["id", OID.uuid, (row) => row.id],
  ["first_name", OID.text, (row) => row.first_name],
  ["last_name", OID.text, (row) => row.last_name],
  ["phone", OID.text, (row) => row.phone],
  ["phone_extension", OID.text, (row) => row.phone_extension],
  ["email", OID.text, (row) => row.email],
  ["company", OID.text, (row) => row.company],
  ["address_street", OID.text, (row) => row.address_street],
  ["address_city", OID.text, (row) => row.address_city],
  ["address_state", OID.text, (row) => row.address_state],
  ["address_postal_code", OID.text, (row) => row.address_postal_code],
  ["tags", OID.text, (row) => arrayLiteral(row.tags), "::text[]"],
  ["notes", OID.text, (row) => row.notes],
  ["status", OID.text, (row) => row.status],
  ["merged_into_id", OID.uuid, (row) => row.merged_into_id],
  ["source", OID.text, (row) => row.source],
  ["created_at", OID.timestamptz, (row) => row.created_at],
  ["updated_at", OID.timestamptz, (row) => row.updated_at]
]

export const SqlContactRepository = Layer.effect(
  ContactRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = sql.literal(CONTACT_COLUMNS.join(", "))

    const one = (rows: ReadonlyArray<unknown>) => Effect.map(decodeContactRows(rows), (list) => Option.fromNullishOr(list[0]))

    const findById = (id: ContactId) =>
      sql`SELECT ${columns} FROM contacts WHERE id = ${id}`.pipe(Effect.flatMap(one), Effect.orDie)

    const findByIds = (ids: ReadonlyArray<ContactId>) =>
      sql`SELECT ${columns} FROM contacts WHERE id = ANY(${[...ids]}::uuid[])`.pipe(
        Effect.flatMap(decodeContactRows),
        Effect.orDie
      )

    const findByIdForUpdate = (id: ContactId) =>
      sql`SELECT ${columns} FROM contacts WHERE id = ${id} FOR UPDATE`.pipe(Effect.flatMap(one), Effect.orDie)

    const listMergedInto = (id: ContactId) =>
      sql`SELECT ${columns} FROM contacts WHERE merged_into_id = ${id} ORDER BY id`.pipe(
        Effect.flatMap(decodeContactRows),
        Effect.orDie
      )

    const insert = (contact: Contact) =>
      sql`INSERT INTO contacts ${sql.insert(contactToRow(contact))}`.pipe(Effect.asVoid, Effect.orDie)

    const update = (contact: Contact) => {
      const { created_at: _createdAt, id, ...changes } = contactToRow(contact)
      return sql`UPDATE contacts SET ${sql.update(changes)} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie)
    }

    // Contacts merged into this one go with it (ON DELETE CASCADE on
    // merged_into_id), and so do the merge records of both.
    const remove = (id: ContactId) =>
      sql`DELETE FROM contacts WHERE id = ${id} RETURNING id`.pipe(Effect.map((rows) => rows.length > 0), Effect.orDie)

    // Transaction-scoped advisory locks, taken in a fixed order, serialise
    // writers that claim the same phone or email without a unique index
    // (legacy data may hold duplicates that users merge later).
    const lockIdentity = (identity: { readonly phone: string | null; readonly email: string | null }) => {
      const keys = [identity.phone && `phone:${identity.phone}`, identity.email && `email:${identity.email}`]
        .filter((key): key is string => typeof key === "string" && key.length > 0)
        .sort()
      return Effect.forEach(keys, (key) => sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`, {
        discard: true
      }).pipe(Effect.orDie)
    }

    const findIdentityOwner = (identity: {
      readonly phone: string | null
      readonly email: string | null
      readonly excluding: ReadonlyArray<ContactId>
    }) =>
      sql`
        SELECT id, CASE WHEN phone = ${identity.phone} THEN 'phone' ELSE 'email' END AS field
        FROM contacts
        WHERE status = 'active'
          AND (phone = ${identity.phone} OR email = ${identity.email})
          AND NOT (id = ANY(${[...identity.excluding]}::uuid[]))
        ORDER BY (phone IS NOT DISTINCT FROM ${identity.phone}) DESC, id
        LIMIT 1`.pipe(
        Effect.flatMap(decodeOwners),
        Effect.map((rows) => Option.fromNullishOr(rows[0])),
        Effect.orDie
      )

    const list = (query: ContactQuery) => {
      const status = query.status ?? "active"
      const conditions = [
        status === "all" ? sql`TRUE` : sql`status = ${status}`,
        query.after === undefined ? sql`TRUE` : sql`id > ${query.after}`,
        query.phone === undefined ? sql`TRUE` : sql`phone = ${query.phone}`,
        query.email === undefined ? sql`TRUE` : sql`email = ${query.email}`,
        query.tag === undefined ? sql`TRUE` : sql`tags @> ARRAY[${query.tag}]::text[]`,
        ...searchWords(query.q ?? "").map((word) => sql`search_text LIKE ${likePattern(word)}`)
      ]
      return sql`SELECT ${columns} FROM contacts WHERE ${sql.and(conditions)} ORDER BY id LIMIT ${query.limit}`.pipe(
        Effect.flatMap(decodeContactRows),
        Effect.orDie
      )
    }

    const duplicatePairs = (page: {
      readonly after: { readonly firstId: ContactId; readonly secondId: ContactId } | undefined
      readonly limit: number
    }) =>
      sql`
        WITH active AS (
          SELECT id, phone, email, lower(first_name) AS first_key, lower(last_name) AS last_key
          FROM contacts WHERE status = 'active'
        ), pairs AS (
          SELECT a.id AS first_id, b.id AS second_id, 1 AS rank, 'phone' AS reason
            FROM active a JOIN active b ON a.phone = b.phone AND a.id < b.id
          UNION ALL
          SELECT a.id, b.id, 2, 'email' FROM active a JOIN active b ON a.email = b.email AND a.id < b.id
          UNION ALL
          SELECT a.id, b.id, 3, 'name' FROM active a JOIN active b
            ON a.first_key = b.first_key AND a.last_key = b.last_key AND a.id < b.id
        )
        SELECT first_id, second_id, array_agg(reason ORDER BY rank) AS reasons
        FROM pairs
        WHERE ${page.after === undefined ? sql`TRUE` : sql`(first_id, second_id) > (${page.after.firstId}::uuid, ${page.after.secondId}::uuid)`}
        GROUP BY first_id, second_id
        ORDER BY first_id, second_id
        LIMIT ${page.limit}`.pipe(
        Effect.flatMap(decodePairs),
        Effect.map((rows) => rows.map((row) => ({ firstId: row.first_id, secondId: row.second_id, reasons: row.reasons }))),
        Effect.orDie
      )

    const findManyByPhones = (phones: ReadonlyArray<string>) =>
      phones.length === 0 ? Effect.succeed([]) : sql`
        SELECT ${columns} FROM contacts WHERE status = 'active' AND phone = ANY(${[...new Set(phones)]}::text[])`.pipe(
        Effect.flatMap(decodeContactRows),
        Effect.orDie
      )

    const findManyByEmails = (emails: ReadonlyArray<string>) =>
      emails.length === 0 ? Effect.succeed([]) : sql`
        SELECT ${columns} FROM contacts WHERE status = 'active' AND email = ANY(${[...new Set(emails)]}::text[])`.pipe(
        Effect.flatMap(decodeContactRows),
        Effect.orDie
      )

    // A batch travels as one typed array per column (pg-arrays.ts): one
    // statement however many rows, and far cheaper for PostgreSQL to read
    // than a JSON document (issue 9's import speed).
    const batchSource = (list: ReadonlyArray<Contact>) =>
      Effect.gen(function*() {
        const rows = list.map(contactToRow)
        const parameters = yield* Effect.forEach(BATCH_COLUMNS, ([, oid, get]) => arrayParameter(oid, rows.map(get)))
        return sql`(SELECT ${sql.literal(BATCH_COLUMNS.map(([name, , , cast]) => `${name}${cast ?? ""}`).join(", "))}
          FROM unnest(${sql.csv(parameters.map((parameter) => sql`${parameter}`))})
          AS u(${sql.literal(BATCH_COLUMNS.map(([name]) => name).join(", "))}))`
      })

    const insertMany = (list: ReadonlyArray<Contact>) =>
      list.length === 0 ? Effect.void : batchSource(list).pipe(
        Effect.flatMap((source) => sql`INSERT INTO contacts (${columns}) SELECT ${columns} FROM ${source} r`),
        Effect.asVoid,
        Effect.orDie
      )

    const updatable = CONTACT_COLUMNS.filter((column) => column !== "id" && column !== "created_at")
    const updateMany = (list: ReadonlyArray<Contact>) =>
      list.length === 0 ? Effect.void : batchSource(list).pipe(
        Effect.flatMap((source) => sql`
          UPDATE contacts c SET ${sql.literal(updatable.map((column) => `${column} = r.${column}`).join(", "))}
          FROM ${source} r
          WHERE c.id = r.id`),
        Effect.asVoid,
        Effect.orDie
      )

    return ContactRepository.of({
      insert,
      update,
      findManyByPhones,
      findManyByEmails,
      insertMany,
      updateMany,
      findById,
      findByIds,
      findByIdForUpdate,
      listMergedInto,
      delete: remove,
      lockIdentity,
      findIdentityOwner,
      list,
      duplicatePairs
    })
  })
)
