import { Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { MergeConflict } from "../../application/contacts/contact-errors.ts"
import { ContactReferences } from "../../application/ports/contact-references.ts"
import type { ContactId } from "../../domain/contact.ts"
import { ReferenceMove } from "../../domain/contact-merge-record.ts"

/**
 * Tables whose foreign keys to contacts are history, not live relations: a
 * merge record keeps pointing at the contacts it merged.
 */
const HISTORY_TABLES = new Set(["contact_merges"])

const ForeignKey = Schema.Struct({
  table_name: Schema.String,
  column_name: Schema.String,
  key_column: Schema.NullOr(Schema.String)
})
const decodeForeignKeys = Schema.decodeUnknownEffect(Schema.Array(ForeignKey))
const decodeIds = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ id: Schema.String })))
const UniqueKey = Schema.Struct({ table_name: Schema.String, columns: Schema.Array(Schema.String) })
const decodeUniqueKeys = Schema.decodeUnknownEffect(Schema.Array(UniqueKey))

/**
 * Finds every single-column foreign key to `contacts` in the catalog at the
 * time of the merge, so tables added by later migrations (messages, campaign
 * memberships, customers, opt-outs ...) follow merges without registration.
 * Each such table needs a single-column primary key so an undo can move back
 * exactly the rows that moved.
 *
 * A link table whose UNIQUE key holds the contact column and others
 * (contact_properties, list members) would refuse the move of a link both
 * contacts have: such a row stays with the secondary, which no read shows,
 * and the primary's own link stands for both; the rest move. A UNIQUE key on
 * the contact column alone (one row per contact) still fails the merge.
 */
export const SqlContactReferences = Layer.effect(
  ContactReferences,
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const foreignKeys = sql`
      SELECT c.conrelid::regclass::text AS table_name,
             quote_ident(a.attname) AS column_name,
             (SELECT quote_ident(k.attname)
                FROM pg_index i JOIN pg_attribute k ON k.attrelid = i.indrelid AND k.attnum = i.indkey[0]
               WHERE i.indrelid = c.conrelid AND i.indisprimary AND i.indnatts = 1) AS key_column
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.confrelid = 'contacts'::regclass AND cardinality(c.conkey) = 1
       ORDER BY 1, 2`.pipe(
      Effect.flatMap(decodeForeignKeys),
      Effect.map((keys) => keys.filter((key) => !HISTORY_TABLES.has(key.table_name))),
      Effect.orDie
    )

    // Plain (not partial, no expressions) UNIQUE keys of more than one column.
    const uniqueKeys = sql`
      SELECT i.indrelid::regclass::text AS table_name,
             array(SELECT quote_ident(a.attname)
                     FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    WHERE k.n <= i.indnkeyatts ORDER BY k.n) AS columns
        FROM pg_index i
       WHERE i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts > 1`.pipe(
      Effect.flatMap(decodeUniqueKeys),
      Effect.orDie
    )

    /** Rows whose counterpart (same values in the rest of a UNIQUE key) the target contact already has stay. */
    const noCounterpart = (key: typeof ForeignKey.Type, unique: ReadonlyArray<typeof UniqueKey.Type>, to: ContactId) =>
      unique
        .filter((u) => u.table_name === key.table_name && u.columns.includes(key.column_name))
        .map((u) => {
          const same = u.columns.filter((column) => column !== key.column_name)
            .map((column) => sql`o.${sql.literal(column)} = t.${sql.literal(column)}`)
          return sql`NOT EXISTS (
            SELECT 1 FROM ${sql.literal(key.table_name)} o WHERE o.${sql.literal(key.column_name)} = ${to} AND ${sql.and(same)})`
        })

    const moveAll = (from: ContactId, to: ContactId) =>
      Effect.gen(function*() {
        const moves: Array<ReferenceMove> = []
        const unique = yield* uniqueKeys
        for (const key of yield* foreignKeys) {
          if (key.key_column === null) {
            return yield* Effect.die(new Error(`${key.table_name} references contacts but has no single-column primary key`))
          }
          // Identifiers come from the catalog, quoted by PostgreSQL itself.
          const rows = yield* sql`
            UPDATE ${sql.literal(key.table_name)} AS t SET ${sql.literal(key.column_name)} = ${to}
             WHERE ${sql.and([sql`t.${sql.literal(key.column_name)} = ${from}`, ...noCounterpart(key, unique, to)])}
            RETURNING t.${sql.literal(key.key_column)}::text AS id`.pipe(
            Effect.catchReason("SqlError", "UniqueViolation", () =>
              Effect.fail(
                new MergeConflict({
                  message: `Both contacts have a ${key.table_name} row that may exist only once per contact`,
                  contactId: from
                })
              )),
            Effect.flatMap((rows) => Effect.orDie(decodeIds(rows))),
            Effect.catchTag("SqlError", Effect.die)
          )
          if (rows.length > 0) {
            moves.push(new ReferenceMove({ table: key.table_name, column: key.column_name, rowIds: rows.map((r) => r.id) }))
          }
        }
        return moves
      })

    const moveBack = (moves: ReadonlyArray<ReferenceMove>, current: ContactId, original: ContactId) =>
      Effect.gen(function*() {
        const keys = new Map((yield* foreignKeys).map((key) => [`${key.table_name}.${key.column_name}`, key]))
        for (const move of moves) {
          // A table dropped since the merge has nothing left to move back.
          const key = keys.get(`${move.table}.${move.column}`)
          if (key === undefined || key.key_column === null) continue
          yield* sql`
            UPDATE ${sql.literal(key.table_name)} SET ${sql.literal(key.column_name)} = ${original}
             WHERE ${sql.literal(key.column_name)} = ${current}
               AND ${sql.literal(key.key_column)}::text = ANY(${[...move.rowIds]}::text[])`.pipe(Effect.orDie)
        }
      })

    return ContactReferences.of({ moveAll, moveBack })
  })
)
