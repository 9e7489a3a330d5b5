import { PgTypes } from "@effect/sql-pg"
import { Effect } from "effect"

/**
 * One column of a batch as one typed, binary-encoded array parameter, for
 * `INSERT ... SELECT FROM unnest(...)`: a batch is one short statement
 * whatever its size, cheaper for PostgreSQL to read than a JSON document or
 * a VALUES list. Typed here, so an all-null column works (the driver cannot
 * infer the type of one).
 */
export const arrayParameter = (elementOid: number, values: ReadonlyArray<unknown>) =>
  // Fails only for an OID without an array type; the callers pass built-in ones.
  Effect.orDie(Effect.fromResult(PgTypes.array(values, elementOid)))

/**
 * A text[] value as an array literal, for a column of arrays (the driver has
 * no two-dimensional arrays of uneven length): cast back with `::text[]`.
 */
export const arrayLiteral = (values: ReadonlyArray<string>): string =>
  `{${values.map((value) => `"${value.replace(/["\\]/gu, "\\$&")}"`).join(",")}}`

export const OID = PgTypes.OID
