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

/**
 * Finds every single-column foreign key to `contacts` in the catalog at the
 * time of the merge, so tables added by later migrations (messages, campaign
 * memberships, customers, opt-outs ...) follow merges without registration.
 * Each such table needs a single-column primary key so an undo can move back
 * exactly the rows that moved.
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

    const moveAll = (from: ContactId, to: ContactId) =>
      Effect.gen(function*() {
        const moves: Array<ReferenceMove> = []
        for (const key of yield* foreignKeys) {
          if (key.key_column === null) {
            return yield* Effect.die(new Error(`${key.table_name} references contacts but has no single-column primary key`))
          }
          // Identifiers come from the catalog, quoted by PostgreSQL itself.
          const rows = yield* sql`
            UPDATE ${sql.literal(key.table_name)} SET ${sql.literal(key.column_name)} = ${to}
             WHERE ${sql.literal(key.column_name)} = ${from}
            RETURNING ${sql.literal(key.key_column)}::text AS id`.pipe(
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
