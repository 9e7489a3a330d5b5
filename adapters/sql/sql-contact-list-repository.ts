import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import { ContactListNameTaken, ContactListNotFound } from "../../application/lists/list-errors.ts"
import { ContactListRepository, type ContactListSummary } from "../../application/ports/contact-list-repository.ts"
import type { ContactId } from "../../domain/contact.ts"
import {
  type ContactList,
  ContactListId,
  type ImportedContact,
  type ImportId,
  type InstantRange,
  type MemberFilter
} from "../../domain/list/contact-list.ts"
import { CONTACT_COLUMNS, decodeContactRows } from "./contact-row.ts"

const ListRow = Schema.Struct({
  id: ContactListId,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  created_at: Schema.Date,
  updated_at: Schema.Date,
  member_count: Schema.Number
})
const decodeLists = Schema.decodeUnknownEffect(Schema.Array(ListRow))
const decodeAdded = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ found: Schema.Boolean, added: Schema.Number })))

const summaryFromRow = (row: typeof ListRow.Type): ContactListSummary => ({
  list: {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: DateTime.fromDateUnsafe(row.created_at),
    updatedAt: DateTime.fromDateUnsafe(row.updated_at)
  },
  memberCount: row.member_count
})

const toDate = (millis: number) => new Date(millis)

export const SqlContactListRepository = Layer.effect(
  ContactListRepository,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const contactColumns = sql.literal(CONTACT_COLUMNS.map((column) => `c.${column}`).join(", "))

    // Merged contacts keep memberships a merge could not move (the primary had one); they are never counted or shown.
    const selectLists = sql`
      SELECT l.id, l.name, l.description, l.created_at, l.updated_at,
             (SELECT count(*)::int FROM contact_list_members m JOIN contacts c ON c.id = m.contact_id
               WHERE m.list_id = l.id AND c.status = 'active') AS member_count
        FROM contact_lists l`

    const insert = (list: ContactList) =>
      sql`
        INSERT INTO contact_lists (id, name, description, created_at, updated_at)
        VALUES (${list.id}, ${list.name}, ${list.description}, ${DateTime.toDate(list.createdAt)}, ${DateTime.toDate(list.updatedAt)})`
        .pipe(
        Effect.asVoid,
        Effect.catchReason("SqlError", "UniqueViolation", () => Effect.fail(new ContactListNameTaken({ name: list.name }))),
        Effect.catchTag("SqlError", Effect.die)
      )

    const update = (list: ContactList) =>
      sql`
        UPDATE contact_lists SET name = ${list.name}, description = ${list.description}, updated_at = ${DateTime.toDate(list.updatedAt)}
         WHERE id = ${list.id} RETURNING id`
        .pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.catchReason("SqlError", "UniqueViolation", () => Effect.fail(new ContactListNameTaken({ name: list.name }))),
        Effect.catchTag("SqlError", Effect.die)
      )

    const remove = (id: ContactListId) =>
      sql`DELETE FROM contact_lists WHERE id = ${id} RETURNING id`.pipe(Effect.map((rows) => rows.length > 0), Effect.orDie)

    const findById = (id: ContactListId) =>
      sql`${selectLists} WHERE l.id = ${id}`.pipe(
        Effect.flatMap(decodeLists),
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), summaryFromRow)),
        Effect.orDie
      )

    const list = (page: { readonly after: ContactListId | undefined; readonly limit: number }) =>
      sql`${selectLists} WHERE ${page.after === undefined ? sql`TRUE` : sql`l.id > ${page.after}`} ORDER BY l.id LIMIT ${page.limit}`.pipe(
        Effect.flatMap(decodeLists),
        Effect.map((rows) => rows.map(summaryFromRow)),
        Effect.orDie
      )

    const range = (column: string, bounds: InstantRange | undefined): ReadonlyArray<Statement.Fragment> => {
      const target = sql.literal(column)
      return [
        bounds?.from === undefined ? sql`TRUE` : sql`${target} >= ${toDate(bounds.from)}`,
        bounds?.to === undefined ? sql`TRUE` : sql`${target} < ${toDate(bounds.to)}`
      ]
    }

    // A number's latest opt-out log entry decides (as in sql-opt-out-log.ts); a contact counts as
    // opted out when its own number or that of a contact merged into it is (merges are flattened,
    // so merged_into_id names the primary directly).
    const optedOut = sql`
      EXISTS (
        SELECT 1 FROM contacts g
         WHERE (g.id = c.id OR g.merged_into_id = c.id) AND g.phone IS NOT NULL
           AND (SELECT e.action FROM opt_out_events e WHERE e.phone = g.phone
                 ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) = 'opt-out')`

    const filterConditions = (filter: MemberFilter): ReadonlyArray<Statement.Fragment> => {
      const imported = filter.importId !== undefined || filter.imported !== undefined
      return [
        filter.tag === undefined ? sql`TRUE` : sql`c.tags @> ARRAY[${filter.tag}]::text[]`,
        ...range("c.created_at", filter.created),
        filter.hasPhone === undefined ? sql`TRUE` : filter.hasPhone ? sql`c.phone IS NOT NULL` : sql`c.phone IS NULL`,
        filter.notOptedOut === true ? sql`NOT ${optedOut}` : sql`TRUE`,
        // One import row must meet both the id and the dates.
        imported
          ? sql`EXISTS (SELECT 1 FROM import_contacts i WHERE i.contact_id = c.id AND ${
            sql.and([
              filter.importId === undefined ? sql`TRUE` : sql`i.import_id = ${filter.importId}`,
              ...range("i.imported_at", filter.imported)
            ])
          })`
          : sql`TRUE`
      ]
    }

    // One statement: the list row is locked against a concurrent delete (FOR KEY SHARE, as the
    // foreign key would), and `found` tells an absent list from one that gained nobody.
    const insertMembers = (
      listId: ContactListId,
      conditions: ReadonlyArray<Statement.Fragment>,
      addedAt: DateTime.Utc,
      importId: ImportId | null
    ) =>
      sql`
        WITH list AS (SELECT id FROM contact_lists WHERE id = ${listId} FOR KEY SHARE),
        added AS (
          INSERT INTO contact_list_members (list_id, contact_id, added_at, import_id)
          SELECT list.id, c.id, ${DateTime.toDate(addedAt)}, ${importId}::uuid
            FROM list CROSS JOIN contacts c
           WHERE c.status = 'active' AND ${sql.and(conditions)}
          ON CONFLICT (list_id, contact_id) DO NOTHING
          RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM list) AS found, (SELECT count(*)::int FROM added) AS added`.pipe(
        Effect.flatMap(decodeAdded),
        Effect.orDie,
        Effect.flatMap((rows) =>
          rows[0]?.found === true ? Effect.succeed(rows[0].added) : Effect.fail(new ContactListNotFound({ id: listId }))
        )
      )

    const addMembers = (
      listId: ContactListId,
      contactIds: ReadonlyArray<ContactId>,
      options: { readonly addedAt: DateTime.Utc; readonly importId?: ImportId | undefined }
    ) => insertMembers(listId, [sql`c.id = ANY(${[...contactIds]}::uuid[])`], options.addedAt, options.importId ?? null)

    const addByFilter = (listId: ContactListId, filter: MemberFilter, addedAt: DateTime.Utc) =>
      insertMembers(listId, filterConditions(filter), addedAt, null)

    const removeMembers = (listId: ContactListId, contactIds: ReadonlyArray<ContactId>) =>
      sql`
        DELETE FROM contact_list_members
         WHERE list_id = ${listId} AND contact_id = ANY(${[...contactIds]}::uuid[])
        RETURNING 1`.pipe(Effect.map((rows) => rows.length), Effect.orDie)

    // Keyed on the membership's (list_id, contact_id) index, so a page reads only that list's rows.
    const members = (listId: ContactListId, page: { readonly after: ContactId | undefined; readonly limit: number }) =>
      sql`
        SELECT ${contactColumns} FROM contact_list_members m JOIN contacts c ON c.id = m.contact_id
         WHERE m.list_id = ${listId} AND c.status = 'active'
           AND ${page.after === undefined ? sql`TRUE` : sql`m.contact_id > ${page.after}`}
         ORDER BY m.contact_id LIMIT ${page.limit}`.pipe(Effect.flatMap(decodeContactRows), Effect.orDie)

    const recordImported = (entries: ReadonlyArray<ImportedContact>) =>
      entries.length === 0 ? Effect.void : sql`
        INSERT INTO import_contacts (import_id, contact_id, imported_at)
        SELECT * FROM unnest(${entries.map((e) => e.importId)}::uuid[], ${entries.map((e) => e.contactId)}::uuid[],
                             ${entries.map((e) => DateTime.toDate(e.importedAt))}::timestamptz[])
        ON CONFLICT (import_id, contact_id) DO NOTHING`.pipe(Effect.asVoid, Effect.orDie)

    return ContactListRepository.of({
      insert,
      update,
      delete: remove,
      findById,
      list,
      addMembers,
      addByFilter,
      removeMembers,
      members,
      recordImported
    })
  })
)
