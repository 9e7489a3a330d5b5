import { Array as Arr, Effect, Schema, SchemaTransformation } from "effect"
import type { SqlClient, SqlError } from "effect/sql"
import { fromScaledInteger, parseNumeric } from "../../domain/billing/decimal.ts"

/**
 * A `bigint` column as a number. The driver decodes int8 to a JS bigint (a
 * text-protocol driver would give a string); every amount fits a safe integer
 * (at most 1e12 cents), so Number() is exact.
 */
export const Int8 = Schema.Union([Schema.BigInt, Schema.String.check(Schema.isPattern(/^-?\d+$/u))]).pipe(
  Schema.decodeTo(
    Schema.Number,
    SchemaTransformation.transform<number, bigint | string>({ decode: Number, encode: (n) => BigInt(n) })
  )
)

/** A `numeric(p, places)` column, selected as text ("2.500"), as the number it spells. */
export const Numeric = (places: number) =>
  Schema.String.check(Schema.isPattern(/^-?\d+(\.\d+)?$/u)).pipe(
    Schema.decodeTo(
      Schema.Number,
      SchemaTransformation.transform({
        decode: (text: string) => fromScaledInteger(parseNumeric(text, places), places),
        encode: (n: number) => String(n)
      })
    )
  )

/** A `date` column, selected through {@link dateText}, as `YYYY-MM-DD`. */
export const DateText = Schema.String

/**
 * The SQL that selects a date column as `YYYY-MM-DD` text whatever the driver
 * would make of a `date` (a Date at some zone's midnight, or a string).
 */
export const dateText = (column: string, alias = column.replace(/^.*\./u, "")) =>
  `to_char(${column}, 'YYYY-MM-DD') AS ${alias}`

export const DiscountType = Schema.Literals(["none", "percent", "fixed"])


/**
 * The most parameters one statement binds. The protocol allows 65,535; the
 * @effect/sql-pg encoder refuses more than 32,767.
 */
export const MAX_BIND_PARAMETERS = 32_767

/** Rows per multi-row INSERT: `preferred`, or fewer when the row binds many columns. */
export const rowsPerStatement = (columns: number, preferred: number) =>
  Math.min(preferred, Math.floor(MAX_BIND_PARAMETERS / columns))

/** Splits rows into statements of at most `size` rows. */
export const chunksOf = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<Arr.NonEmptyReadonlyArray<A>> => {
  const chunks: Array<Arr.NonEmptyReadonlyArray<A>> = []
  for (let start = 0; start < items.length; start += size) {
    const chunk = items.slice(start, start + size)
    if (Arr.isReadonlyArrayNonEmpty(chunk)) chunks.push(chunk)
  }
  return chunks
}

/**
 * What PostgreSQL answers when a foreign key keeps a row: `restrict_violation`
 * for ON DELETE RESTRICT, `foreign_key_violation` for NO ACTION.
 */
const REFERENCED = new Set(["23001", "23503"])

/** The SQLSTATE the server reported; @effect/sql-pg keeps the error fields on the cause. */
const sqlStateOf = (cause: unknown): string | undefined =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : undefined

/**
 * Runs a DELETE ... RETURNING in a transaction of its own (a savepoint inside
 * an outer one, which stays usable when the delete fails): `in-use` when a
 * foreign key keeps the row, `absent` when there was no row.
 */
export const deleteOutcome = (
  sql: SqlClient.SqlClient,
  statement: Effect.Effect<ReadonlyArray<unknown>, SqlError.SqlError>
): Effect.Effect<"deleted" | "absent" | "in-use"> =>
  sql.withTransaction(statement).pipe(
    Effect.map((rows): "deleted" | "absent" | "in-use" => rows.length > 0 ? "deleted" : "absent"),
    Effect.catchReason("SqlError", "ConstraintError", (reason) =>
      REFERENCED.has(sqlStateOf(reason.cause) ?? "") ? Effect.succeed("in-use" as const) : Effect.die(reason)),
    Effect.orDie
  )
